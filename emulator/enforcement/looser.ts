import {
  RATE_LIMIT_PERIOD_MS,
  type RateLimit,
  type Restrictions,
  type TimeRestrictions,
} from "../../client/schemas";
import { networkWithin, parseNetwork } from "./networks";
import { parseReferrerPattern, referrerWithin } from "./referrers";

/*
 * When is a key's set of restrictions, or its lifetime, looser than another's? A caller may hand
 * out (create, update, rotate into) only keys that are not looser than itself, and may manage only
 * keys that are not looser than itself, just as it may grant only scopes it holds. Per kind, with
 * "absent or empty" meaning "no restriction" as everywhere else:
 *
 * - ipAddresses: every network of the new list lies inside one network of the caller's (IPv4 and
 *   IPv6 compared in one space, IPv4 as IPv4-mapped). A network covered only by the union of
 *   several of the caller's networks counts as looser: the rule stays simple to state and check.
 * - referrers: every pattern of the new list matches only Referers one of the caller's patterns
 *   matches (`a.example.org` and `*.a.example.org` are inside `*.example.org`; a pattern without a
 *   port is not inside one with a port).
 * - rateLimit: in no window of any length does the new limit admit more requests than the
 *   caller's. Periods divide each other, so that is: new.requests x max(1, caller period / new
 *   period) <= caller.requests (100/second is looser than 100/minute; 1/second is looser than
 *   10/minute, since it admits 60 a minute).
 * - timeRestrictions: the caller restricts when it lists days or hours. Then the new window must be
 *   in the same time zone and list days (hours) that are a subset of the caller's, wherever the
 *   caller lists them.
 * - lifetime: a caller that expires (or authenticates with a rotated-out secret, which expires
 *   with its grace period) grants only keys that expire no later.
 *
 * A limit per key is no limit on the caller: it can still create many keys, each within its own.
 */

export type RestrictionKind = keyof Restrictions;

const present = <T>(list: readonly T[] | undefined): list is readonly T[] => !!list && list.length > 0;

export function networksLooser(next: readonly string[] | undefined, own: readonly string[] | undefined) {
  if (!present(own)) return false;
  if (!present(next)) return true;
  const owned = own.map(parseNetwork).filter((network) => network !== null);
  return next.some((entry) => {
    const network = parseNetwork(entry);
    return network === null || !owned.some((outer) => networkWithin(network, outer));
  });
}

export function referrersLooser(next: readonly string[] | undefined, own: readonly string[] | undefined) {
  if (!present(own)) return false;
  if (!present(next)) return true;
  const owned = own.map(parseReferrerPattern).filter((pattern) => pattern !== undefined);
  return next.some((text) => {
    const pattern = parseReferrerPattern(text);
    return pattern === undefined || !owned.some((outer) => referrerWithin(pattern, outer));
  });
}

export function rateLooser(next: RateLimit | undefined, own: RateLimit | undefined): boolean {
  if (!own) return false;
  if (!next) return true;
  const scale = Math.max(1, RATE_LIMIT_PERIOD_MS[own.period] / RATE_LIMIT_PERIOD_MS[next.period]);
  return next.requests * scale > own.requests;
}

function canonicalZone(zone: string | undefined): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone ?? "UTC" }).resolvedOptions().timeZone;
  } catch {
    return zone ?? "UTC";
  }
}

const subsetLooser = <T>(next: readonly T[] | undefined, own: readonly T[] | undefined) =>
  present(own) && (!present(next) || next.some((value) => !own.includes(value)));

export function timeWindowLooser(next: TimeRestrictions | undefined, own: TimeRestrictions | undefined) {
  if (!own || (!present(own.daysOfWeek) && !present(own.hoursOfDay))) return false;
  if (!next || canonicalZone(next.timezone) !== canonicalZone(own.timezone)) return true;
  return subsetLooser(next.daysOfWeek, own.daysOfWeek) || subsetLooser(next.hoursOfDay, own.hoursOfDay);
}

/** The kinds of restriction in which `next` is looser than `own`, in a fixed order. */
export function looserRestrictions(next: Restrictions, own: Restrictions): RestrictionKind[] {
  const looser: RestrictionKind[] = [];
  if (networksLooser(next.ipAddresses, own.ipAddresses)) looser.push("ipAddresses");
  if (referrersLooser(next.referrers, own.referrers)) looser.push("referrers");
  if (rateLooser(next.rateLimit, own.rateLimit)) looser.push("rateLimit");
  if (timeWindowLooser(next.timeRestrictions, own.timeRestrictions)) looser.push("timeRestrictions");
  return looser;
}

/** True when a key expiring at `next` outlives one expiring at `own` (null: never). */
export function lifetimeLonger(next: number | null, own: number | null): boolean {
  return own !== null && (next === null || next > own);
}
