import type { RequestOptions, Requester } from "./http";
import { paginate } from "./pagination";
import type {
  CreateApiKeyParams,
  ListApiKeysParams,
  LogsParams,
  ProjectUsageParams,
  ResourceKind,
  ResourceUsageParams,
  Restrictions,
  RevokeApiKeyParams,
  RotateApiKeyParams,
  UpdateApiKeyParams,
  UsageParams,
} from "./schemas";

/** `client.apiKeys`: manage keys, read their usage and request logs. */
export function apiKeysResource(request: Requester) {
  return {
    /** Creates a key; the secret `key` is in this response only. */
    create: (params: CreateApiKeyParams, options?: RequestOptions) =>
      request("apiKeys.create", { body: params }, options),

    /** Lists one page of keys, newest first (never secrets). */
    list: (params: ListApiKeysParams = {}, options?: RequestOptions) =>
      request("apiKeys.list", { query: params }, options),

    /** Iterates over every key, fetching pages as needed: `for await (const key of listAll())`. */
    listAll: (params: ListApiKeysParams = {}, options?: RequestOptions) =>
      paginate((page: ListApiKeysParams) => request("apiKeys.list", { query: page }, options), params),

    /** Gets one key (never the secret). */
    get: (id: string, options?: RequestOptions) => request("apiKeys.get", { path: { id } }, options),

    /** Changes name, description, expiresAt, scopes, projects or restrictions. */
    update: (id: string, params: UpdateApiKeyParams, options?: RequestOptions) =>
      request("apiKeys.update", { path: { id }, body: params }, options),

    /** Deletes a key; a missing key throws NotFoundError (callers that do not care catch it). */
    delete: (id: string, options?: RequestOptions) => request("apiKeys.delete", { path: { id } }, options),

    /** Revokes a key at once, keeping the record and the reason. */
    revoke: (id: string, params: RevokeApiKeyParams, options?: RequestOptions) =>
      request("apiKeys.revoke", { path: { id }, body: params }, options),

    /** Issues a new secret for the same key id, returned once; the old one lives on for `gracePeriod`. */
    rotate: (id: string, params: RotateApiKeyParams = {}, options?: RequestOptions) =>
      request("apiKeys.rotate", { path: { id }, body: params }, options),

    /** Replaces the key's restrictions (an empty object removes them all). */
    updateRestrictions: (id: string, restrictions: Restrictions, options?: RequestOptions) =>
      request("apiKeys.updateRestrictions", { path: { id }, body: restrictions }, options),

    /** Request counts and cost, bucketed by time, resource or project. */
    getUsage: (id: string, params: UsageParams = {}, options?: RequestOptions) =>
      request("apiKeys.getUsage", { path: { id }, query: params }, options),

    /** Usage of one resource kind. */
    getResourceUsage: (
      id: string,
      resource: ResourceKind,
      params: ResourceUsageParams = {},
      options?: RequestOptions,
    ) => request("apiKeys.getResourceUsage", { path: { id, resource }, query: params }, options),

    /** Usage within one project. */
    getProjectUsage: (
      id: string,
      project: string,
      params: ProjectUsageParams = {},
      options?: RequestOptions,
    ) => request("apiKeys.getProjectUsage", { path: { id, project }, query: params }, options),

    /** One page of request log entries, newest first. */
    getLogs: (id: string, params: LogsParams = {}, options?: RequestOptions) =>
      request("apiKeys.getLogs", { path: { id }, query: params }, options),

    /** One request log entry. */
    getLog: (id: string, logId: string, options?: RequestOptions) =>
      request("apiKeys.getLog", { path: { id, logId } }, options),
  };
}

export type ApiKeysResource = ReturnType<typeof apiKeysResource>;
