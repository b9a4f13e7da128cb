import { DAYS_OF_WEEK, type DayOfWeek, type TimeRestrictions } from "../../client/schemas";

/*
 * Pure checks of a key's restrictions. An absent or empty list means "unrestricted": `[]` is what
 * a program that computes its allow-list naturally sends when it has nothing to restrict. IP
 * networks are compared in networks.ts, referrers in referrers.ts.
 */

export { ipAllowed } from "./networks";
export { referrerAllowed } from "./referrers";

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Day of week and hour of `instant` on the wall clock of `timeZone`. */
export function localTime(instant: Date, timeZone: string): { day: DayOfWeek; hour: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      weekday: "long",
      hour: "numeric",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const weekday = parts.find((part) => part.type === "weekday")!.value.toLowerCase() as DayOfWeek;
  const hour = Number(parts.find((part) => part.type === "hour")!.value) % 24;
  if (!DAYS_OF_WEEK.includes(weekday)) throw new Error(`unexpected weekday ${weekday}`);
  return { day: weekday, hour };
}

/** True when `instant` falls on an allowed day and hour in the window's time zone (default UTC). */
export function withinTimeWindow(window: TimeRestrictions | undefined, instant: Date): boolean {
  if (!window) return true;
  const { daysOfWeek, hoursOfDay } = window;
  const { day, hour } = localTime(instant, window.timezone ?? "UTC");
  if (daysOfWeek && daysOfWeek.length > 0 && !daysOfWeek.includes(day)) return false;
  if (hoursOfDay && hoursOfDay.length > 0 && !hoursOfDay.includes(hour)) return false;
  return true;
}
