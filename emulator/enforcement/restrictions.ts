import {
  DAYS_OF_WEEK,
  cidrContains,
  normalizeReferrer,
  referrerMatches,
  type DayOfWeek,
  type TimeRestrictions,
} from "../../client/schemas";

/*
 * Pure checks of a key's restrictions. An absent or empty list means "unrestricted": `[]` is what
 * a program that computes its allow-list naturally sends when it has nothing to restrict.
 */

/** True when `ip` lies inside one of `cidrs` (IPv4, IPv6 and IPv4-mapped IPv6 addresses). */
export function ipAllowed(cidrs: readonly string[] | undefined, ip: string): boolean {
  if (!cidrs || cidrs.length === 0) return true;
  return cidrs.some((cidr) => cidrContains(cidr.includes("/") ? cidr : withHostPrefix(cidr), ip));
}

function withHostPrefix(address: string): string {
  return address.includes(":") ? `${address}/128` : `${address}/32`;
}

/** True when the Referer header's host matches one of `patterns`; a missing header never does. */
export function referrerAllowed(
  patterns: readonly string[] | undefined,
  referer: string | undefined,
): boolean {
  if (!patterns || patterns.length === 0) return true;
  if (!referer) return false;
  return patterns.some((pattern) => {
    const normalized = normalizeReferrer(pattern);
    return normalized !== undefined && referrerMatches(normalized, referer);
  });
}

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
