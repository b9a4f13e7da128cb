import {
  DAYS_OF_WEEK,
  normalizeCidr,
  normalizeReferrer,
  type Restrictions,
  type TimeRestrictions,
} from "../client/schemas";

/**
 * Canonical forms of set-valued inputs, so that order, duplicates and equivalent spellings
 * (192.168.1.1/24 vs 192.168.1.0/24, Example.COM vs example.com) never cause a diff.
 * Every function here is idempotent: normalize(normalize(x)) equals normalize(x).
 */

/** Sorted, de-duplicated copy of a list of strings. */
export function normalizeSet(values: readonly string[] | undefined): string[] {
  return [...new Set(values ?? [])].sort();
}

function normalizeCidrs(values: readonly string[] | undefined): string[] {
  return normalizeSet((values ?? []).map((value) => normalizeCidr(value) ?? value));
}

function normalizeReferrers(values: readonly string[] | undefined): string[] {
  return normalizeSet((values ?? []).map((value) => normalizeReferrer(value) ?? value));
}

function normalizeTimeRestrictions(value: TimeRestrictions): TimeRestrictions {
  const result: TimeRestrictions = {};
  if (value.daysOfWeek?.length) {
    const days = new Set(value.daysOfWeek);
    result.daysOfWeek = DAYS_OF_WEEK.filter((day) => days.has(day));
  }
  if (value.hoursOfDay?.length) result.hoursOfDay = [...new Set(value.hoursOfDay)].sort((a, b) => a - b);
  if (value.timezone && value.timezone !== "UTC") result.timezone = value.timezone;
  return result;
}

/**
 * Canonical restrictions: empty lists and empty objects are dropped, so "no restriction"
 * has exactly one spelling ({}), and UTC (the default time zone) is left implicit.
 */
export function normalizeRestrictions(value: Restrictions | undefined): Restrictions {
  const result: Restrictions = {};
  if (!value) return result;
  const ipAddresses = normalizeCidrs(value.ipAddresses);
  if (ipAddresses.length) result.ipAddresses = ipAddresses;
  const referrers = normalizeReferrers(value.referrers);
  if (referrers.length) result.referrers = referrers;
  if (value.rateLimit)
    result.rateLimit = { requests: value.rateLimit.requests, period: value.rateLimit.period };
  if (value.timeRestrictions) {
    const time = normalizeTimeRestrictions(value.timeRestrictions);
    if (Object.keys(time).length) result.timeRestrictions = time;
  }
  return result;
}

/** Deep equality of JSON-like values with object keys in any order. */
export function sameValue(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
