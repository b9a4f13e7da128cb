export { ApiKey, type ApiKeyArgs, type RestrictionsArgs } from "./apiKey";
export { ApiKeyRestrictions, type ApiKeyRestrictionsArgs } from "./apiKeyRestrictions";
export { getLogs, getProjectUsage, getResourceUsage, getUsage } from "./usage";
export * as client from "../client";
export { createAdminClient } from "../client";
export type { Scope } from "../client/schemas";
