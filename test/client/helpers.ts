import { MockAgent, type Interceptable } from "undici";
import { createAdminClient, type AdminClient, type ApiKey, type ClientOptions } from "pulumi-admindo/client";

export const ORIGIN = "http://admindo.test";
/** Looks like a real key so a leak would be obvious in any printed output. */
export const API_KEY = "adk_live_Sup3rS3cretAdminKey0123456789";
export const NEW_SECRET = "adk_live_FreshlyMintedSecret9876543210";

/** What the mock server saw of one request. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export interface Harness {
  client: AdminClient;
  agent: MockAgent;
  pool: Interceptable;
  /** Every request that reached the mock server, in order. */
  seen: SeenRequest[];
  /** Every delay the client asked to sleep, in ms. */
  sleeps: number[];
  /** Answers the next request matching method and target (path and query, or a predicate on them). */
  reply(
    method: string,
    path: string | ((path: string) => boolean),
    status: number,
    body?: unknown,
    headers?: Record<string, string>,
  ): void;
}

/** A client on a MockAgent with a recording sleep and deterministic jitter (random() = 0.5). */
export function harness(options: Partial<ClientOptions> = {}): Harness {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const pool = agent.get(ORIGIN);
  const seen: SeenRequest[] = [];
  const sleeps: number[] = [];
  const client = createAdminClient({
    baseUrl: ORIGIN,
    apiKey: API_KEY,
    dispatcher: agent,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    retry: { random: () => 0.5, now: () => Date.parse("2026-01-01T00:00:00Z") },
    ...options,
  });
  const reply: Harness["reply"] = (method, path, status, body, headers = {}) => {
    const matches = typeof path === "string" ? (p: string) => sameTarget(p, path) : path;
    pool.intercept({ method, path: matches }).reply((opts) => {
      seen.push({
        method: opts.method,
        path: opts.path,
        headers: opts.headers as Record<string, string>,
        body: typeof opts.body === "string" ? JSON.parse(opts.body) : undefined,
      });
      const data = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
      return {
        statusCode: status,
        data,
        responseOptions: { headers: { "x-request-id": `req_${seen.length}`, ...headers } },
      };
    });
  };
  return { client, agent, pool, seen, sleeps, reply };
}

/** Same path and same query parameters, in any order: parameter order is not part of the contract. */
export function sameTarget(actual: string, expected: string): boolean {
  const normalize = (target: string) => {
    const url = new URL(target, ORIGIN);
    url.searchParams.sort();
    return url.pathname + url.search;
  };
  return normalize(actual) === normalize(expected);
}

export function apiKeyRecord(overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id: "key_123",
    name: "ci-deployer",
    description: null,
    organization: "acme",
    scopes: ["functions:read"],
    projects: [],
    restrictions: {},
    expiresAt: null,
    status: "active",
    prefix: "adk_live_Fr",
    lastFour: "3210",
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    lastUsedAt: null,
    revokedAt: null,
    revokedReason: null,
    previousKeyExpiresAt: null,
    ...overrides,
  };
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The rejection of a promise, for asserting on error objects. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}
