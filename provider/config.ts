import type * as pulumi from "@pulumi/pulumi";
import { createAdminClient, type AdminClient } from "../client";

export const DEFAULT_BASE_URL = "https://api.admin.do";
/** What to do when no credential is configured (the provider and the SDK's read-side helpers say the same). */
export const MISSING_API_KEY =
  "admindo:apiKey is not set: run `pulumi config set --secret admindo:apiKey <key>` or set ADMINDO_API_KEY";

interface Settings {
  baseUrl: string;
  apiKey?: string;
}

/**
 * Provider settings live in this module's state inside the provider process, filled by
 * `configure` from Pulumi config (`admindo:apiKey`, `admindo:baseUrl`) with the environment
 * (`ADMINDO_API_KEY`, `ADMINDO_BASE_URL`) as fallback. They are never part of a resource's
 * inputs or of the serialized provider, so no credential reaches the state file.
 */
let settings: Settings | undefined;
let client: AdminClient | undefined;

export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  settings = {
    baseUrl: req.config.get("admindo:baseUrl") || process.env.ADMINDO_BASE_URL || DEFAULT_BASE_URL,
    apiKey: req.config.get("admindo:apiKey") || process.env.ADMINDO_API_KEY || undefined,
  };
  client = undefined;
}

/** The API client for the configured endpoint; fails with instructions when no key is configured. */
export function adminClient(): AdminClient {
  if (client) return client;
  const current = settings ?? {
    baseUrl: process.env.ADMINDO_BASE_URL || DEFAULT_BASE_URL,
    apiKey: process.env.ADMINDO_API_KEY || undefined,
  };
  if (!current.apiKey) {
    throw new Error(MISSING_API_KEY);
  }
  client = createAdminClient({ baseUrl: current.baseUrl, apiKey: current.apiKey });
  return client;
}
