import { DAYS_OF_WEEK, RATE_LIMIT_PERIODS, normalizeReferrer, referrerMatches } from "../client/schemas";
import { NONE, type KeyAudit, type Tally } from "./model";
import { networksAdmitGroup } from "./networks";
import { code, number, plural } from "./wording";

/**
 * What other settings would have done to the traffic an audit saw: which of the admitted
 * requests a narrower scope list, project list, network list, referrer list, rate limit or time
 * window would have refused. `admindo-review --usage` states it next to a pending change; the
 * audit states it for settings a stack declares but the key does not have (drift).
 */

export type ConsequenceSetting =
  "scopes" | "projects" | "ipAddresses" | "referrers" | "rateLimit" | "timeRestrictions";

export interface Consequence {
  setting: ConsequenceSetting;
  /** Admitted requests in the window that these settings would refuse (a lower bound for rateLimit). */
  requests: number;
  /** One sentence; values as inline code in backticks. */
  text: string;
}

const list = (values: string[], max = 5) =>
  values.length > max
    ? `${values.slice(0, max).map(code).join(", ")} and ${number(values.length - max)} more`
    : values.map(code).join(", ");

function refusedTallies(tallies: Tally[], admits: (value: string) => boolean) {
  const refused = tallies.filter((tally) => !admits(tally.value));
  return { refused, requests: refused.reduce((sum, tally) => sum + tally.requests, 0) };
}

/** Scopes: the uses of every scope that would no longer be granted. */
export function scopeConsequences(audit: KeyAudit, scopes: readonly string[], window: string): Consequence[] {
  return audit.scopes.used
    .filter((use) => !scopes.includes(use.scope))
    .map((use) => ({
      setting: "scopes",
      requests: use.requests,
      text: `${code(use.scope)} was used ${plural(use.requests, "time")} in the last ${window} (last at ${use.lastAt}).`,
    }));
}

export function projectConsequence(audit: KeyAudit, projects: readonly string[]): Consequence | undefined {
  if (projects.length === 0) return undefined;
  const { refused, requests } = refusedTallies(audit.admitted.projects, (project) =>
    projects.includes(project),
  );
  if (refused.length === 0) return undefined;
  const named = refused.map((tally) => (tally.value === NONE ? "no project" : tally.value));
  return {
    setting: "projects",
    requests,
    text: `would have refused ${plural(requests, "request")} of ${number(audit.activity.admitted)} (${list(named)}).`,
  };
}

export function networkConsequence(audit: KeyAudit, networks: readonly string[]): Consequence | undefined {
  if (networks.length === 0) return undefined;
  const seen = audit.admitted.addresses;
  const { refused, requests } = refusedTallies(seen, (group) => networksAdmitGroup(networks, group));
  if (refused.length === 0) return undefined;
  return {
    setting: "ipAddresses",
    requests,
    text: `would have refused ${number(refused.length)} of ${plural(seen.length, "address", "addresses")} seen (${plural(requests, "request")} of ${number(audit.activity.admitted)}): ${list(refused.map((tally) => tally.value))}.`,
  };
}

export function referrerConsequence(audit: KeyAudit, referrers: readonly string[]): Consequence | undefined {
  if (referrers.length === 0) return undefined;
  const patterns = referrers.map((pattern) => normalizeReferrer(pattern)).filter((p): p is string => !!p);
  const admits = (host: string) =>
    host !== NONE && patterns.some((pattern) => referrerMatches(pattern, `https://${host}`));
  const { refused, requests } = refusedTallies(audit.admitted.referrerHosts, admits);
  if (refused.length === 0) return undefined;
  const named = refused.map((tally) => (tally.value === NONE ? "no Referer" : tally.value));
  return {
    setting: "referrers",
    requests,
    text: `would have refused ${plural(requests, "request")} of ${number(audit.activity.admitted)} (${list(named)}).`,
  };
}

/** A rate limit or time window as the API takes it, or as a review reads it from a preview. */
export interface RateLimitLike {
  requests: number;
  period: string;
}
export interface TimeWindowLike {
  daysOfWeek?: readonly string[];
  hoursOfDay?: readonly number[];
  timezone?: string;
}

export function rateConsequence(audit: KeyAudit, limit: RateLimitLike | undefined): Consequence | undefined {
  const period = RATE_LIMIT_PERIODS.find((item) => item === limit?.period);
  if (!limit || !period) return undefined;
  const peak = audit.rate.peaks[period];
  if (peak <= limit.requests) return undefined;
  return {
    setting: "rateLimit",
    requests: peak - limit.requests,
    text: `the busiest ${limit.period} had ${plural(peak, "request")}: a limit of ${number(limit.requests)} per ${limit.period} would have refused at least ${number(peak - limit.requests)}.`,
  };
}

export function timeConsequence(
  audit: KeyAudit,
  window: TimeWindowLike | undefined,
): Consequence | undefined {
  if (!window) return undefined;
  const zone = window.timezone ?? "UTC";
  const days: readonly string[] = window.daysOfWeek?.length ? window.daysOfWeek : DAYS_OF_WEEK;
  const hours = window.hoursOfDay?.length ? window.hoursOfDay : undefined;
  if (zone !== audit.time.timezone) {
    return audit.activity.admitted === 0
      ? undefined
      : {
          setting: "timeRestrictions",
          requests: 0,
          text: `requests were counted in ${code(audit.time.timezone)}, not ${code(zone)}: run the audit with \`--timezone ${zone}\` to see what this window would refuse.`,
        };
  }
  const outside = audit.time.slots.filter(
    (slot) => !days.includes(slot.day) || (hours !== undefined && !hours.includes(slot.hour)),
  );
  const requests = outside.reduce((sum, slot) => sum + slot.requests, 0);
  if (requests === 0) return undefined;
  return {
    setting: "timeRestrictions",
    requests,
    text: `would have refused ${plural(requests, "request")} of ${number(audit.activity.admitted)}, made outside it (${zone}).`,
  };
}
