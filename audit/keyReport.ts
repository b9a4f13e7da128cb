import type { ApiKey, Restrictions, Usage } from "../client/schemas";
import type { KeyUsageAggregator } from "./aggregate";
import {
  networkConsequence,
  projectConsequence,
  rateConsequence,
  referrerConsequence,
  scopeConsequences,
  timeConsequence,
  type Consequence,
} from "./consequences";
import type { KeyTarget } from "./input";
import { NONE, type Finding, type KeyAudit, type Sources, type Suggestion } from "./model";
import { networksAdmitGroup } from "./networks";
import { code, daysText, hoursText, number, timeText, times } from "./wording";

/** One key's part of the report: the aggregate turned into figures, findings and the suggestion. */

export interface KeyAuditInput {
  target: KeyTarget;
  key: ApiKey;
  usage: KeyUsageAggregator;
  byResource: Usage;
  byProject: Usage;
  suggestion: Suggestion | null;
  /** "30 days". */
  window: string;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const tallyText = (sources: Sources["addresses"]) =>
  sources.map((tally) => `${code(tally.value)} (${number(tally.requests)})`).join(", ");

export function buildKeyAudit(input: KeyAuditInput): KeyAudit {
  const { key, usage, target } = input;
  const granted = { scopes: key.scopes, projects: key.projects, restrictions: key.restrictions };
  const admittedSources = usage.sources.report(Infinity);
  const audit: KeyAudit = {
    keyId: key.id,
    name: key.name,
    resource: target.resource,
    organization: key.organization,
    status: key.status,
    lastUsedAt: key.lastUsedAt,
    granted,
    declared: target.declared,
    activity: {
      requests: usage.requests,
      admitted: usage.admitted,
      denied: usage.denied,
      errors: usage.errors,
      firstAt: iso(usage.firstAt),
      lastAt: iso(usage.lastAt),
      complete: usage.requests === input.byResource.total.requests,
    },
    usage: {
      byResource: input.byResource.buckets.map(bucket),
      byProject: input.byProject.buckets.map(bucket),
    },
    scopes: {
      used: [...usage.scopes]
        .map(([scope, use]) => ({
          scope,
          requests: use.requests,
          lastAt: iso(use.lastAt)!,
          operations: use.operations.top(),
        }))
        .sort((a, b) => b.requests - a.requests || a.scope.localeCompare(b.scope)),
      unused: key.scopes.filter((scope) => !usage.scopes.has(scope)).sort(),
      missing: [...usage.missing]
        .map(([scope, missing]) => ({
          scope,
          requests: missing.requests,
          operations: missing.operations.top(),
          sources: missing.sources.report(),
        }))
        .sort((a, b) => b.requests - a.requests || a.scope.localeCompare(b.scope)),
    },
    denials: [...usage.denials]
      .map(([reason, denial]) => ({ reason, requests: denial.requests, sources: denial.report() }))
      .sort((a, b) => b.requests - a.requests || a.reason.localeCompare(b.reason)),
    admitted: {
      ...admittedSources,
      withoutReferrer: usage.withoutReferrer,
      truncated: usage.sources.addresses.truncated,
    },
    rate: { peaks: usage.peaks.peaks() },
    time: { timezone: usage.options.timezone, slots: usage.slotList() },
    unknownOperations: usage.unknownOperations,
    suggestion: input.suggestion,
    findings: [],
    verification: null,
  };
  audit.findings = findingsOf(audit, input.window);
  return audit;
}

function bucket(item: Usage["buckets"][number]) {
  return { key: item.key, requests: item.requests, errors: item.errors, cost: item.cost };
}

function findingsOf(audit: KeyAudit, window: string): Finding[] {
  const findings: Finding[] = [];
  const add = (kind: Finding["kind"], text: string) => findings.push({ kind, text });
  const { activity, scopes, granted } = audit;

  if (activity.admitted === 0) {
    const last = audit.lastUsedAt ? `last used at ${audit.lastUsedAt}` : "never used";
    add(
      "unused-key",
      activity.requests === 0
        ? `No request in the last ${window} (${last}): delete the key, or keep it only for a job that runs less often.`
        : `All ${number(activity.requests)} requests in the last ${window} were denied: no client uses this key successfully.`,
    );
  } else if (scopes.unused.length > 0) {
    add(
      "unused-scopes",
      `Granted but not used in the last ${window}: ${scopes.unused.map(code).join(", ")}.`,
    );
  }

  for (const missing of scopes.missing) {
    const where = tallyText(missing.sources.addresses.slice(0, 3));
    const projects = missing.sources.projects.map((tally) => code(tally.value)).join(", ");
    add(
      "missing-scopes",
      `${code(missing.scope)} was refused ${times(missing.requests)} (403 \`insufficient_scope\`) from ${where}, project ${projects}: a real need (grant it) or a probe (find the caller).`,
    );
  }

  const declaredProjects = audit.declared?.projects ?? granted.projects;
  const outside = [
    projectConsequence(audit, declaredProjects),
    ...audit.denials
      .filter((denial) => denial.reason === "project_not_allowed" || denial.reason === "project_required")
      .map((denial): Consequence => ({
        setting: "projects",
        requests: denial.requests,
        text: `${number(denial.requests)} refused with \`${denial.reason}\` (${denial.sources.projects.map((tally) => `${tally.value === NONE ? "no project" : code(tally.value)} ${number(tally.requests)}`).join(", ")})`,
      })),
  ].filter((item): item is Consequence => !!item);
  if (outside.length > 0) {
    add(
      "outside-projects",
      `Requests outside the declared projects ${declaredProjects.length ? declaredProjects.map(code).join(", ") : "(every project)"}: ${outside.map((item) => item.text.replace(/\.$/, "")).join("; ")}.`,
    );
  }

  for (const consequence of declaredConsequences(audit, window)) {
    add(
      "refused-by-declared",
      `The program declares ${consequence.setting} that differ from the key's: they ${consequence.text}`,
    );
  }

  const unusedNetworks = (granted.restrictions.ipAddresses ?? []).filter(
    (network) =>
      !audit.admitted.truncated &&
      !audit.admitted.addresses.some((tally) => networksAdmitGroup([network], tally.value)),
  );
  if (activity.admitted > 0 && unusedNetworks.length > 0) {
    add("unused-networks", `No admitted request came from ${unusedNetworks.map(code).join(", ")}.`);
  }

  if (activity.denied > 0) {
    add(
      "denied-requests",
      `${number(activity.denied)} of ${number(activity.requests)} requests were denied: ${audit.denials.map((denial) => `\`${denial.reason}\` ${number(denial.requests)}`).join(", ")}.`,
    );
  }

  if (activity.admitted > 0) {
    const limit = granted.restrictions.rateLimit;
    const period = limit?.period ?? "minute";
    const peak = audit.rate.peaks[period];
    add(
      "rate-limit-headroom",
      limit
        ? `Busiest ${period}: ${number(peak)} admitted requests, against a limit of ${number(limit.requests)} per ${period}.`
        : `No rate limit; the busiest ${period} had ${number(peak)} admitted requests.`,
    );
  }

  if (activity.admitted > 0) {
    const window = granted.restrictions.timeRestrictions;
    const configured = window
      ? `${daysText(window.daysOfWeek ?? [])}, ${window.hoursOfDay?.length ? `hours ${hoursText(window.hoursOfDay)}` : "every hour"} (${window.timezone ?? "UTC"})`
      : undefined;
    add(
      "time-window-use",
      configured
        ? `Used ${timeText(audit)}, within a window of ${configured}.`
        : `No time window; used ${timeText(audit)}.`,
    );
  }

  if (!activity.complete) {
    add(
      "incomplete",
      `${number(activity.requests)} log entries were read but the usage API counts ${number(audit.usage.byResource.reduce((sum, item) => sum + item.requests, 0))} in the window: entries were added or expired while the audit ran.`,
    );
  }
  if (audit.unknownOperations > 0) {
    add(
      "unknown-operations",
      `${number(audit.unknownOperations)} admitted requests match no operation of the contract; their scopes are unknown.`,
    );
  }
  return findings;
}

const sameSet = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort());
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What the settings a stack declares, where they differ from the key's, would refuse. */
function declaredConsequences(audit: KeyAudit, window: string): Consequence[] {
  const declared = audit.declared;
  if (!declared) return [];
  const granted = audit.granted;
  const out: (Consequence | undefined)[] = [];
  if (declared.scopes && !sameSet(declared.scopes, granted.scopes)) {
    out.push(...scopeConsequences(audit, declared.scopes, window));
  }
  const restrictions: Restrictions | undefined = declared.restrictions;
  if (restrictions) {
    const now = granted.restrictions;
    if (!sameSet(restrictions.ipAddresses, now.ipAddresses))
      out.push(networkConsequence(audit, restrictions.ipAddresses ?? []));
    if (!sameSet(restrictions.referrers, now.referrers))
      out.push(referrerConsequence(audit, restrictions.referrers ?? []));
    if (!sameValue(restrictions.rateLimit, now.rateLimit))
      out.push(rateConsequence(audit, restrictions.rateLimit));
    if (!sameValue(restrictions.timeRestrictions, now.timeRestrictions))
      out.push(timeConsequence(audit, restrictions.timeRestrictions));
  }
  return out.filter((item): item is Consequence => !!item);
}
