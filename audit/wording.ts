import { DAYS_OF_WEEK } from "../client/schemas";
import type { KeyAudit } from "./model";

/** Phrases shared by findings, renderers and the review's usage notes. */

/** "1,204" */
export const number = (value: number) => value.toLocaleString("en-US");
/** "1 request", "3 addresses" */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${number(count)} ${count === 1 ? one : many}`;
/** "1 time", "1,204 times" */
export const times = (count: number) => plural(count, "time");
/** A value marked as inline code in report text (renderers turn it into a code span). */
export const code = (text: string) => `\`${text}\``;

/** "8–11, 14, 20–23" */
export function hoursText(hours: readonly number[]): string {
  const sorted = [...new Set(hours)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(j === i ? `${sorted[i]}` : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(", ");
}

/** "monday, friday" or "every day". */
export function daysText(days: readonly string[]): string {
  const ordered = DAYS_OF_WEEK.filter((day) => days.includes(day));
  return ordered.length === 0 || ordered.length === 7 ? "every day" : ordered.join(", ");
}

/** Days and hours admitted requests were made in, e.g. "monday, tuesday; hours 8–18 (UTC)". */
export function timeText(key: KeyAudit): string {
  if (key.time.slots.length === 0) return "no admitted request";
  const days = key.time.slots.map((slot) => slot.day);
  const hours = key.time.slots.map((slot) => slot.hour);
  return `${daysText(days)}; hours ${hoursText(hours)} (${key.time.timezone})`;
}
