import * as pulumi from "@pulumi/pulumi";
import {
  createAdminClient,
  type LogPage,
  type LogsParams,
  type ProjectUsageParams,
  type ResourceKind,
  type ResourceUsageParams,
  type Usage,
  type UsageParams,
} from "../client";
import { DEFAULT_BASE_URL, MISSING_API_KEY } from "../provider/config";

/**
 * Read-side helpers for programs: usage and logs of a key, as Outputs. They use the same
 * settings as the resources (`admindo:apiKey`, `admindo:baseUrl`, or ADMINDO_API_KEY /
 * ADMINDO_BASE_URL) and call the API when the key id is known (not during a preview of a new key).
 */
function client() {
  // Read raw: Config.get would warn that the value is a secret; it never leaves this function.
  const apiKey = pulumi.runtime.getConfig("admindo:apiKey") ?? process.env.ADMINDO_API_KEY;
  const baseUrl = pulumi.runtime.getConfig("admindo:baseUrl") ?? process.env.ADMINDO_BASE_URL;
  if (!apiKey) throw new Error(MISSING_API_KEY);
  return createAdminClient({ baseUrl: baseUrl ?? DEFAULT_BASE_URL, apiKey });
}

async function withClient<T>(call: (c: ReturnType<typeof client>) => Promise<T>): Promise<T> {
  const c = client();
  try {
    return await call(c);
  } finally {
    await c.close();
  }
}

/** Request counts and cost of a key, per time bucket, resource or project. */
export function getUsage(keyId: pulumi.Input<string>, params: UsageParams = {}): pulumi.Output<Usage> {
  return pulumi.output(keyId).apply((id) => withClient((c) => c.apiKeys.getUsage(id, params)));
}

/** Usage of one resource kind (functions, workflows, agents, data, events, admin). */
export function getResourceUsage(
  keyId: pulumi.Input<string>,
  resource: ResourceKind,
  params: ResourceUsageParams = {},
): pulumi.Output<Usage> {
  return pulumi
    .output(keyId)
    .apply((id) => withClient((c) => c.apiKeys.getResourceUsage(id, resource, params)));
}

/** Usage within one project. */
export function getProjectUsage(
  keyId: pulumi.Input<string>,
  project: string,
  params: ProjectUsageParams = {},
): pulumi.Output<Usage> {
  return pulumi
    .output(keyId)
    .apply((id) => withClient((c) => c.apiKeys.getProjectUsage(id, project, params)));
}

/** A page of request log entries of a key, newest first. */
export function getLogs(keyId: pulumi.Input<string>, params: LogsParams = {}): pulumi.Output<LogPage> {
  return pulumi.output(keyId).apply((id) => withClient((c) => c.apiKeys.getLogs(id, params)));
}
