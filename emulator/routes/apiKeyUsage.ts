import type { FastifyInstance } from "fastify";
import { ProjectSchema, ResourceKindSchema, type LogEntry } from "../../client/schemas";
import { invalidInput, notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import type { LogRecord } from "../store";
import { visibleKey } from "../keys";
import { DEFAULT_USAGE_RANGE_MS, resolveTimeRange, usageOf } from "../usage";

function logToWire(entry: LogRecord): LogEntry {
  return {
    id: entry.id,
    keyId: entry.keyId,
    timestamp: new Date(entry.timestamp).toISOString(),
    method: entry.method,
    path: entry.path,
    resource: entry.resource,
    project: entry.project,
    status: entry.status,
    latencyMs: entry.latencyMs,
    ip: entry.ip,
    referrer: entry.referrer,
    denialReason: entry.denialReason,
  };
}

/** Usage (aggregated from the request log) and the log itself, per key. */
export function registerApiKeyUsageRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "apiKeys.getUsage", ({ caller, params, query, now }) =>
    usageOf(store, {
      keyId: visibleKey(store, caller, params.id).id,
      range: resolveTimeRange(query.timeRange, now, DEFAULT_USAGE_RANGE_MS),
      groupBy: query.groupBy ?? "day",
      resources: query.resources,
    }),
  );

  defineOperation(app, services, "apiKeys.getResourceUsage", ({ caller, params, query, now }) => {
    const key = visibleKey(store, caller, params.id);
    const resource = ResourceKindSchema.safeParse(params.resource);
    if (!resource.success) throw invalidInput(resource.error, "resource", ["params", "resource"]);
    return usageOf(store, {
      keyId: key.id,
      range: resolveTimeRange(query.timeRange, now, DEFAULT_USAGE_RANGE_MS),
      groupBy: query.groupBy ?? "day",
      resource: resource.data,
    });
  });

  defineOperation(app, services, "apiKeys.getProjectUsage", ({ caller, params, query, now }) => {
    const key = visibleKey(store, caller, params.id);
    const project = ProjectSchema.safeParse(params.project);
    if (!project.success) throw invalidInput(project.error, "project", ["params", "project"]);
    return usageOf(store, {
      keyId: key.id,
      range: resolveTimeRange(query.timeRange, now, DEFAULT_USAGE_RANGE_MS),
      groupBy: "day",
      resources: query.resources,
      project: project.data,
    });
  });

  defineOperation(app, services, "apiKeys.getLogs", ({ caller, params, query, now }) => {
    const key = visibleKey(store, caller, params.id);
    // Without a time range the whole log is searched.
    const [from, to] = query.timeRange
      ? resolveTimeRange(query.timeRange, now, 0)
      : [0, Number.MAX_SAFE_INTEGER];
    return listPage(
      query,
      (bounds) => store.logs.list({ keyId: key.id, from, to, status: query.status, ...bounds }),
      logToWire,
    );
  });

  defineOperation(app, services, "apiKeys.getLog", ({ caller, params }) => {
    const key = visibleKey(store, caller, params.id);
    const entry = store.logs.get(key.id, params.logId);
    if (!entry) throw notFound("Log entry", params.logId);
    return logToWire(entry);
  });
}
