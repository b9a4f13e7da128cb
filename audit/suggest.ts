import {
  DAYS_OF_WEEK,
  SCOPES,
  normalizeReferrer,
  type ApiKey,
  type RateLimit,
  type Restrictions,
} from "../client/schemas";
import type { KeyUsageAggregator } from "./aggregate";
import { NONE, type Suggestion } from "./model";
import { coverNetworks } from "./networks";
import type { Period } from "./peaks";

/**
 * The least a key needs: the scopes its admitted requests used, the projects they named, and the
 * tightest restrictions that would have admitted every one of them. Nothing here is looser than
 * what the key has today: networks are cut from the addresses seen inside the key's networks,
 * and the rest is what those requests did. A key with no admitted request (or none that reached
 * a scope check) gets no suggestion.
 */

export interface SuggestOptions {
  /** Period of a suggested rate limit when the key has none (default "minute"). */
  ratePeriod: Period;
}

export function suggest(key: ApiKey, usage: KeyUsageAggregator, options: SuggestOptions): Suggestion | null {
  if (usage.admitted === 0) return null;
  const order = (scope: string) => SCOPES.indexOf(scope as (typeof SCOPES)[number]);
  const scopes = [...usage.scopes.keys()].sort((a, b) => order(a) - order(b));
  // Admitted requests that reached no operation's scope check (unknown routes, unreadable projects).
  if (scopes.length === 0) return null;

  // Bound to the projects named, unless some admitted request named none (a bound key needs one).
  const projectNames = usage.sources.projects.keys();
  const projects = projectNames.includes(NONE) || usage.sources.projects.truncated ? [] : projectNames.sort();

  const restrictions: Restrictions = {};
  const groups = usage.sources.addresses.keys();
  if (!usage.sources.addresses.truncated && !groups.includes("(unreadable)") && groups.length > 0) {
    restrictions.ipAddresses = coverNetworks(groups);
  }

  const hosts = usage.sources.hosts.keys();
  if (
    usage.withoutReferrer === 0 &&
    !usage.sources.hosts.truncated &&
    hosts.length > 0 &&
    hosts.every((host) => normalizeReferrer(host) === host)
  ) {
    restrictions.referrers = hosts.sort();
  }

  const period = key.restrictions.rateLimit?.period ?? options.ratePeriod;
  const peak = usage.peaks.peaks()[period];
  if (peak > 0) restrictions.rateLimit = { requests: peak, period } satisfies RateLimit;

  const slots = usage.slotList();
  const days = DAYS_OF_WEEK.filter((day) => slots.some((slot) => slot.day === day));
  const hours = [...new Set(slots.map((slot) => slot.hour))].sort((a, b) => a - b);
  if (days.length < 7 || hours.length < 24) {
    restrictions.timeRestrictions = {
      ...(days.length < 7 && { daysOfWeek: days }),
      ...(hours.length < 24 && { hoursOfDay: hours }),
      timezone: usage.options.timezone,
    };
  }
  return { scopes, projects, restrictions };
}
