import type { ApiKeysResource } from "../client/apiKeys";
import { AdminApiError } from "../client/errors";
import { streamLogs } from "../client/logStream";
import { parseDuration, type ApiKey, type Usage } from "../client/schemas";
import { KeyUsageAggregator } from "./aggregate";
import type { KeyTarget, Targets } from "./input";
import { buildKeyAudit } from "./keyReport";
import type { AuditReport, KeyAudit } from "./model";
import { DEFAULT_PREFIXES, type PrefixOptions } from "./networks";
import type { Period } from "./peaks";
import { Spool } from "./spool";
import { suggest } from "./suggest";
import { assertVerifyAvailable, verifySuggestion } from "./verify";

/**
 * The audit of a set of keys over one time window: per key, its record, its usage (per resource
 * and project) and its whole request log, streamed through the aggregator, then the suggestion
 * and, with `verify`, its replay. Keys are read one after another, with the client's retries and
 * Retry-After handling; only `admin:read` is needed.
 */

export interface AuditOptions {
  apiKeys: Pick<ApiKeysResource, "get" | "getUsage" | "getLogs">;
  targets: Targets;
  /** A window ending now, as a duration ("30d", the default; "7d", "12h"). */
  window?: string;
  /** An absolute window instead (ISO timestamps); `until` defaults to now. */
  since?: string;
  until?: string;
  prefixes?: PrefixOptions;
  /** Period of a suggested rate limit for keys without one (default "minute"). */
  ratePeriod?: Period;
  /** Time zone for days and hours of keys without a time window of their own (default "UTC"). */
  timezone?: string;
  /** Replay each key's window against its suggestion in the local emulator. */
  verify?: boolean;
  progress?: (event: AuditProgress) => void;
  /** The time the report is stamped with (default: now). */
  now?: () => Date;
}

export type AuditProgress =
  | { kind: "key"; index: number; count: number; name: string }
  | { kind: "entries"; read: number; total: number }
  | { kind: "verify"; name: string };

const DAY = 86_400_000;

const isoRange = (window: { start: number; end: number }) => ({
  start: new Date(window.start).toISOString(),
  end: new Date(window.end).toISOString(),
});

/** "30 days", "12 hours", "90 minutes". */
export function durationLabel(ms: number): string {
  const unit = (count: number, name: string) =>
    `${count.toLocaleString("en-US")} ${name}${count === 1 ? "" : "s"}`;
  if (ms % DAY === 0) return unit(ms / DAY, "day");
  if (ms % 3_600_000 === 0) return unit(ms / 3_600_000, "hour");
  return unit(Math.round(ms / 60_000), "minute");
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
  const now = options.now ?? (() => new Date());
  const prefixes = options.prefixes ?? DEFAULT_PREFIXES;
  const ratePeriod = options.ratePeriod ?? "minute";
  const timezone = options.timezone ?? "UTC";
  if (options.verify) assertVerifyAvailable();
  const duration = options.window ?? "30d";
  const durationMs = parseDuration(duration);
  if (options.since === undefined && (durationMs === undefined || durationMs <= 0)) {
    throw new RangeError(`window ${JSON.stringify(duration)} is not a duration such as "30d" or "12h"`);
  }
  // Absolute bounds, fixed for every key: logged later, an entry cannot shift the pages read.
  let window: { start: number; end: number } | undefined =
    options.since !== undefined
      ? { start: Date.parse(options.since), end: options.until ? Date.parse(options.until) : now().getTime() }
      : undefined;
  if (window && !(window.start <= window.end)) throw new RangeError("the window ends before it starts");

  const keys: KeyAudit[] = [];
  const unavailable: AuditReport["unavailable"] = [];
  const { targets } = options;
  for (const [index, target] of targets.keys.entries()) {
    options.progress?.({
      kind: "key",
      index,
      count: targets.keys.length,
      name: target.resource?.name ?? target.keyId,
    });
    let key: ApiKey;
    try {
      key = await options.apiKeys.get(target.keyId);
    } catch (error) {
      // A key deleted outside the stack, or of another organization, is reported; anything else
      // (the credential lacks admin:read, is refused from this address, …) fails the audit.
      const missing = error instanceof AdminApiError && error.code === "not_found";
      const foreign = error instanceof AdminApiError && error.code === "organization_not_allowed";
      if (!missing && !foreign) throw error;
      unavailable.push({
        keyId: target.keyId,
        resource: target.resource,
        reason: missing
          ? "not found (deleted, or never created)"
          : "in another organization than the credential's",
      });
      continue;
    }
    // The first usage call fixes the window in the server's time when only a duration was given.
    const byResource = await options.apiKeys.getUsage(key.id, {
      timeRange: window ? isoRange(window) : duration,
      groupBy: "resource",
    });
    window ??= { start: Date.parse(byResource.start), end: Date.parse(byResource.end) };
    const byProject = await options.apiKeys.getUsage(key.id, {
      timeRange: isoRange(window),
      groupBy: "project",
    });
    keys.push(await auditKey(target, key, window, { byResource, byProject }));
  }
  window ??= { start: now().getTime() - (durationMs ?? 30 * DAY), end: now().getTime() };
  const label = durationLabel(window.end - window.start);
  return {
    schemaVersion: 1,
    generatedAt: now().toISOString(),
    window: { ...isoRange(window), label },
    options: { ...prefixes, ratePeriod, timezone },
    source: { kind: targets.kind, stack: targets.stack, project: targets.project },
    summary: {
      keys: keys.length,
      unused: keys.filter((key) => key.activity.admitted === 0).length,
      withUnusedScopes: keys.filter((key) => key.scopes.unused.length > 0).length,
      withMissingScopes: keys.filter((key) => key.scopes.missing.length > 0).length,
      requests: keys.reduce((sum, key) => sum + key.activity.requests, 0),
      denied: keys.reduce((sum, key) => sum + key.activity.denied, 0),
      verified: keys.filter((key) => key.verification).length,
      verificationFailed: keys.filter((key) => key.verification && !key.verification.passed).length,
    },
    keys,
    unavailable,
  };

  async function auditKey(
    target: KeyTarget,
    key: ApiKey,
    bounds: { start: number; end: number },
    usage: { byResource: Usage; byProject: Usage },
  ): Promise<KeyAudit> {
    const aggregator = new KeyUsageAggregator({
      prefixes,
      timezone: key.restrictions.timeRestrictions?.timezone ?? timezone,
      configuredNetworks: key.restrictions.ipAddresses,
    });
    const spool = options.verify ? new Spool() : undefined;
    try {
      let total = 0;
      let read = 0;
      for await (const entry of streamLogs(options.apiKeys, key.id, bounds, {
        onTotal: (count) => (total = count),
      })) {
        aggregator.add(entry);
        spool?.add(entry);
        if (++read % 500 === 0) options.progress?.({ kind: "entries", read, total });
      }
      options.progress?.({ kind: "entries", read, total });
      const suggestion = suggest(key, aggregator, { ratePeriod });
      const audit = buildKeyAudit({
        target,
        key,
        usage: aggregator,
        byResource: usage.byResource,
        byProject: usage.byProject,
        suggestion,
        window: durationLabel(bounds.end - bounds.start),
      });
      if (spool && suggestion) {
        options.progress?.({ kind: "verify", name: target.resource?.name ?? key.name });
        audit.verification = await verifySuggestion(key, suggestion, spool);
      }
      return audit;
    } finally {
      spool?.close();
    }
  }
}
