import { RATE_LIMIT_PERIOD_MS } from "../../client/schemas";
import type { RateLimit, TimeWindow } from "../input/settings";
import { isOpaque, opaqueText, type Field } from "../input/values";

/** How the review words values: one short phrase each, the same in every output format. */

export function formatRateLimit(limit: RateLimit): string {
  return `${limit.requests} per ${limit.period}`;
}

/** Requests per second a limit allows on average (NaN for an unknown period). */
export function ratePerSecond(limit: RateLimit): number {
  return (
    (limit.requests * 1000) / ((RATE_LIMIT_PERIOD_MS as Record<string, number>)[limit.period] ?? Number.NaN)
  );
}

const DAY_NAMES: Record<string, string> = {
  monday: "Mon",
  tuesday: "Tue",
  wednesday: "Wed",
  thursday: "Thu",
  friday: "Fri",
  saturday: "Sat",
  sunday: "Sun",
};
const WEEK = Object.keys(DAY_NAMES);

/** Consecutive runs of integers: [1,2,3,5] -> [[1,3],[5,5]]. */
function runs(values: readonly number[]): [number, number][] {
  const result: [number, number][] = [];
  for (const value of values) {
    const last = result[result.length - 1];
    if (last && value === last[1] + 1) last[1] = value;
    else result.push([value, value]);
  }
  return result;
}

const hour = (value: number) => `${String(value).padStart(2, "0")}:00`;

function formatDays(days: readonly string[]): string {
  if (days.length === 0 || days.length === 7) return "every day";
  return runs(days.map((day) => WEEK.indexOf(day)))
    .map(([from, to]) =>
      from === to
        ? DAY_NAMES[WEEK[from]]
        : `${DAY_NAMES[WEEK[from]]}${to === from + 1 ? ", " : "–"}${DAY_NAMES[WEEK[to]]}`,
    )
    .join(", ");
}

function formatHours(hours: readonly number[]): string {
  if (hours.length === 0 || hours.length === 24) return "all day";
  return runs(hours)
    .map(([from, to]) => `${hour(from)}–${hour(to + 1)}`)
    .join(", ");
}

export function formatTimeWindow(window: TimeWindow): string {
  return `${formatDays(window.daysOfWeek)}, ${formatHours(window.hoursOfDay)} (${window.timezone})`;
}

/** A list for a sentence: "a, b and c". */
export function formatList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** A timestamp to the minute, in UTC: "2027-01-25 00:00 UTC". */
export function formatTime(timestamp: string | number): string {
  const time = typeof timestamp === "number" ? timestamp : Date.parse(timestamp);
  if (Number.isNaN(time)) return String(timestamp);
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A field for people: its text, or "(known after apply)" / "[secret]". */
export function fieldText<T>(
  value: Field<T> | undefined,
  format: (value: T) => string,
  absent = "none",
): string {
  if (value === undefined) return absent;
  return isOpaque(value) ? opaqueText(value) : format(value);
}

/** Free text shortened to one line of at most `max` characters. */
export function shorten(text: string, max = 80): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A value as inline code in report text (`admin:write`); backticks inside become quotes. */
export function code(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}
