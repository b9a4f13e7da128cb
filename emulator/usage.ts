import { parseDuration, type ResourceKind, type TimeRange, type Usage } from "../client/schemas";
import type { Store, UsageGrouping, UsageRow } from "./store";

/**
 * Price per request in micro-dollars, by resource kind: a small made-up list so that usage has
 * a cost to show. Only requests that succeed (status < 400) are charged.
 */
const PRICE_MICROS: Record<ResourceKind, number> = {
  functions: 20,
  workflows: 50,
  agents: 500,
  data: 10,
  events: 5,
  admin: 0,
};

export function costOf(resource: string | null, status: number): number {
  if (status >= 400 || resource === null) return 0;
  return PRICE_MICROS[resource as ResourceKind] ?? 0;
}

export const DEFAULT_USAGE_RANGE_MS = 30 * 86_400_000;

/** A time range as [from, to] in ms: a duration ends now; `start` without `end` also ends now. */
export function resolveTimeRange(
  range: TimeRange | undefined,
  now: number,
  defaultMs: number,
): [number, number] {
  if (range === undefined) return [Math.max(0, now - defaultMs), now];
  // Clamped at the epoch: "100000w" means "everything", not an invalid date.
  if (typeof range === "string") return [Math.max(0, now - parseDuration(range)!), now];
  return [Date.parse(range.start), range.end === undefined ? now : Date.parse(range.end)];
}

const dollars = (micros: number) => micros / 1_000_000;

function bucketOf(row: UsageRow, groupBy: UsageGrouping) {
  const counts = { requests: row.requests, errors: row.errors, cost: dollars(row.costMicros) };
  if (groupBy === "hour" || groupBy === "day") {
    const start = new Date(Number(row.key)).toISOString();
    return { key: start, start, ...counts };
  }
  return { key: row.key, ...counts };
}

export interface UsageRequest {
  keyId: string;
  range: [number, number];
  groupBy: UsageGrouping;
  resources?: string[];
  resource?: ResourceKind;
  project?: string;
}

/** Usage of one key, aggregated from its request log. Only non-empty buckets are listed. */
export function usageOf(store: Store, request: UsageRequest): Usage {
  const [from, to] = request.range;
  const resources = request.resource ? [request.resource] : request.resources;
  const rows = store.logs.aggregate({
    keyId: request.keyId,
    from,
    to,
    resources,
    project: request.project,
    groupBy: request.groupBy,
  });
  const total = rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      errors: sum.errors + row.errors,
      costMicros: sum.costMicros + row.costMicros,
    }),
    { requests: 0, errors: 0, costMicros: 0 },
  );
  return {
    keyId: request.keyId,
    start: new Date(from).toISOString(),
    end: new Date(to).toISOString(),
    groupBy: request.groupBy,
    ...(request.resource ? { resource: request.resource } : {}),
    ...(request.project !== undefined ? { project: request.project } : {}),
    total: { requests: total.requests, errors: total.errors, cost: dollars(total.costMicros) },
    buckets: rows.map((row) => bucketOf(row, request.groupBy)),
  };
}
