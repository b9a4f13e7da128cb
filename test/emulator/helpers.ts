import type { LightMyRequestResponse } from "fastify";
import type { ApiKeyWithSecret, CreateApiKeyParams, ErrorCode } from "../../client/schemas";
import { buildEmulator, type AppOptions } from "../../emulator/app";
import { openSqliteStore, type Store } from "../../emulator/store";

/*
 * fastify's inject() loads light-my-request, which requires cookie@2: an ES module that jest's
 * CommonJS runtime can require only from Node 24.9 (jest-runtime's require(esm) support), so not on
 * Node 22, the oldest line we support. light-my-request uses it only to encode the
 * `cookies` inject option, which these tests never pass, so a stand-in that refuses is exact.
 * (Alternative: let ts-jest transform node_modules/cookie in jest.config.js.)
 */
jest.mock("cookie", () => ({
  stringifySetCookie: () => {
    throw new Error("inject({ cookies }) is not supported in the emulator tests");
  },
}));

export const ROOT_KEY = "adk_rootTestKey0123456789abcdefXYZ";
/** A Monday, 10:00 UTC. */
export const START = new Date("2026-03-02T10:00:00.000Z");

export interface RequestOptions {
  key?: string;
  body?: unknown;
  /** Raw payload, sent as is (for malformed JSON and size tests). */
  payload?: string;
  headers?: Record<string, string>;
  ip?: string;
  project?: string;
  referer?: string;
  idempotencyKey?: string;
}

/**
 * A fresh emulator on an in-memory database, driven in-process with app.inject(). Its clock
 * starts at START and moves only when a test advances it.
 */
export function setup(options: Partial<AppOptions> = {}) {
  const store: Store = options.store ?? openSqliteStore(":memory:");
  const emulator = buildEmulator({ store, rootKey: ROOT_KEY, clock: () => START, ...options });
  const { app, clock, faults, operations } = emulator;

  async function request(method: string, url: string, opts: RequestOptions = {}) {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? ROOT_KEY : opts.key;
    if (key !== "") headers.authorization = `Bearer ${key}`;
    if (opts.project) headers["x-admindo-project"] = opts.project;
    if (opts.referer) headers.referer = opts.referer;
    if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
    let payload: string | undefined = opts.payload;
    if (opts.body !== undefined) payload = JSON.stringify(opts.body);
    if (payload !== undefined) headers["content-type"] ??= "application/json";
    return app.inject({
      method: method as "GET",
      url,
      headers,
      payload,
      remoteAddress: opts.ip ?? "127.0.0.1",
    });
  }

  /** Creates a key (as root unless `as` says otherwise) and returns it with its secret. */
  async function createKey(
    params: Partial<CreateApiKeyParams> = {},
    as: RequestOptions = {},
  ): Promise<ApiKeyWithSecret> {
    const response = await request("POST", "/api-keys", {
      ...as,
      body: { name: "test key", organization: "acme", scopes: ["functions:read"], ...params },
    });
    if (response.statusCode !== 201)
      throw new Error(`createKey failed: ${response.statusCode} ${response.body}`);
    return response.json();
  }

  return {
    app,
    store,
    clock,
    faults,
    rootKeyId: emulator.rootKeyId,
    operations,
    request,
    createKey,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}

export type Emulator = ReturnType<typeof setup>;

/** Asserts the common error body, its code and status, and that it names the request id. */
export function expectError(response: LightMyRequestResponse, status: number, code: ErrorCode): void {
  const body = response.json();
  expect({ status: response.statusCode, code: body.error?.code }).toEqual({ status, code });
  expect(typeof body.error.message).toBe("string");
  expect(body.error.requestId).toBe(response.headers["x-request-id"]);
  expect(Object.keys(body)).toEqual(["error"]);
}
