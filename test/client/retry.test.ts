import {
  ConnectionError,
  DEFAULT_RETRY_POLICY,
  ServerError,
  TimeoutError,
  backoffDelay,
  errorForStatus,
  outcomeUnknown,
  parseRetryAfter,
  type RetryPolicy,
} from "pulumi-admindo/client";
import { isRetryableStatus } from "../../client/retry";
import { NEW_SECRET, apiKeyRecord, errorBody, harness, rejectionOf } from "./helpers";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const created = { ...apiKeyRecord(), key: NEW_SECRET };
const createParams = { name: "n", organization: "acme", scopes: ["data:read" as const] };

function connectionError(code: string): Error {
  return Object.assign(new Error(`socket trouble (${code})`), { code });
}

describe("retries", () => {
  it("retries a 503 and honours its Retry-After in seconds", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 503, errorBody("service_unavailable", "busy"), {
      "retry-after": "2",
    });
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    await expect(h.client.apiKeys.get("key_123")).resolves.toMatchObject({ id: "key_123" });
    expect(h.seen).toHaveLength(2);
    expect(h.sleeps).toEqual([2000]);
  });

  it("retries a 429 and honours Retry-After as an HTTP date", async () => {
    const h = harness();
    const in5s = new Date(NOW + 5000).toUTCString();
    h.reply("GET", "/api-keys/key_123", 429, errorBody("rate_limited", "slow down"), { "retry-after": in5s });
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    await h.client.apiKeys.get("key_123");
    expect(h.sleeps).toEqual([5000]);
  });

  it("caps a long Retry-After", async () => {
    const h = harness({ retry: { maxRetryAfterMs: 10_000, random: () => 0.5, now: () => NOW } });
    h.reply("GET", "/api-keys/key_123", 429, errorBody("rate_limited", "slow down"), {
      "retry-after": "3600",
    });
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    await h.client.apiKeys.get("key_123");
    expect(h.sleeps).toEqual([10_000]);
  });

  it("backs off exponentially with jitter when there is no Retry-After, then gives up", async () => {
    const h = harness();
    for (let i = 0; i < 4; i++) h.reply("GET", "/api-keys/key_123", 500, errorBody("internal_error", "boom"));
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as Error).message).toContain("after 4 attempts");
    expect(h.seen).toHaveLength(4);
    // random() = 0.5 of ceilings 500, 1000, 2000 ms
    expect(h.sleeps).toEqual([250, 500, 1000]);
  });

  it("respects maxRetries", async () => {
    const h = harness({ maxRetries: 1 });
    h.reply("GET", "/api-keys/key_123", 502, "");
    h.reply("GET", "/api-keys/key_123", 502, "");
    await expect(h.client.apiKeys.get("key_123")).rejects.toMatchObject({ status: 502 });
    expect(h.seen).toHaveLength(2);
  });

  it.each(["ECONNRESET", "ECONNREFUSED", "UND_ERR_SOCKET", "EPIPE"])(
    "retries the connection error %s",
    async (code) => {
      const h = harness();
      h.pool.intercept({ method: "GET", path: "/api-keys/key_123" }).replyWithError(connectionError(code));
      h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
      await expect(h.client.apiKeys.get("key_123")).resolves.toMatchObject({ id: "key_123" });
      expect(h.sleeps).toHaveLength(1);
    },
  );

  it("gives up on a persistent connection error with a ConnectionError keeping the cause", async () => {
    const h = harness({ maxRetries: 2 });
    for (let i = 0; i < 3; i++) {
      h.pool
        .intercept({ method: "GET", path: "/api-keys/key_123" })
        .replyWithError(connectionError("ECONNREFUSED"));
    }
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: "connection_error", status: undefined });
    expect(((error as Error).cause as { code: string }).code).toBe("ECONNREFUSED");
    expect(h.sleeps).toHaveLength(2);
  });

  it("does not retry an unknown transport error", async () => {
    const h = harness();
    h.pool.intercept({ method: "GET", path: "/api-keys/key_123" }).replyWithError(new Error("weird"));
    await expect(h.client.apiKeys.get("key_123")).rejects.toBeInstanceOf(ConnectionError);
    expect(h.sleeps).toEqual([]);
  });

  it.each([400, 401, 403, 404, 409, 422])("never retries a %i", async (status) => {
    const h = harness();
    h.reply("POST", "/api-keys", status, errorBody("nope", "no"), { "retry-after": "1" });
    await expect(h.client.apiKeys.create(createParams)).rejects.toMatchObject({ status });
    expect(h.seen).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });
});

describe("idempotency keys", () => {
  it("reuses one generated key across every retry of a POST", async () => {
    const h = harness();
    h.reply("POST", "/api-keys", 503, errorBody("service_unavailable", "busy"));
    h.pool.intercept({ method: "POST", path: "/api-keys" }).replyWithError(connectionError("ECONNRESET"));
    h.reply("POST", "/api-keys", 201, created);
    await h.client.apiKeys.create(createParams);
    // The connection error never reached `seen`: compare the two attempts that did.
    expect(h.seen).toHaveLength(2);
    const [first, last] = h.seen.map((r) => r.headers["idempotency-key"]);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(last).toBe(first);
  });

  it("uses a fresh key for each call", async () => {
    const h = harness();
    h.reply("POST", "/api-keys", 201, created);
    h.reply("POST", "/api-keys", 201, created);
    await h.client.apiKeys.create(createParams);
    await h.client.apiKeys.create(createParams);
    expect(h.seen[0].headers["idempotency-key"]).not.toBe(h.seen[1].headers["idempotency-key"]);
  });

  it("sends the caller's key, on every retry", async () => {
    const h = harness();
    h.reply("POST", "/api-keys/key_123/rotate", 500, "");
    h.reply("POST", "/api-keys/key_123/rotate", 200, created);
    await h.client.apiKeys.rotate("key_123", {}, { idempotencyKey: "rotate-key_123-2026-01" });
    expect(h.seen.map((r) => r.headers["idempotency-key"])).toEqual([
      "rotate-key_123-2026-01",
      "rotate-key_123-2026-01",
    ]);
  });
});

describe("timeouts and cancellation", () => {
  it("times out a slow response, retries, and reports code timeout", async () => {
    const h = harness({ timeoutMs: 30, maxRetries: 1 });
    for (let i = 0; i < 2; i++) {
      h.pool.intercept({ method: "GET", path: "/api-keys/key_123" }).reply(200, apiKeyRecord()).delay(500);
    }
    const error = await rejectionOf(h.client.apiKeys.get("key_123"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as Error).message).toContain("30 ms");
    expect(h.sleeps).toHaveLength(1);
  });

  it("lets a call's timeoutMs override the client's", async () => {
    const h = harness({ maxRetries: 0 });
    h.pool.intercept({ method: "GET", path: "/api-keys/key_123" }).reply(200, apiKeyRecord()).delay(500);
    await expect(h.client.apiKeys.get("key_123", { timeoutMs: 20 })).rejects.toMatchObject({
      code: "timeout",
    });
  });

  it("fails with code aborted, without retrying, when the caller aborts", async () => {
    const h = harness();
    h.pool.intercept({ method: "GET", path: "/api-keys/key_123" }).reply(200, apiKeyRecord()).delay(500);
    const controller = new AbortController();
    const pending = h.client.apiKeys.get("key_123", { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: "ConnectionError", code: "aborted" });
    expect(h.sleeps).toEqual([]);
  });

  it("stops retrying when the caller aborts during the wait", async () => {
    const controller = new AbortController();
    const h = harness({
      sleep: async () => {
        controller.abort();
      },
    });
    h.reply("GET", "/api-keys/key_123", 503, "");
    await expect(h.client.apiKeys.get("key_123", { signal: controller.signal })).rejects.toMatchObject({
      code: "aborted",
    });
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("0", NOW)).toBe(0);
    expect(parseRetryAfter("120", NOW)).toBe(120_000);
    expect(parseRetryAfter("1.5", NOW)).toBe(1500);
    expect(parseRetryAfter(["3", "9"], NOW)).toBe(3000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", NOW)).toBe(30_000);
  });

  it("treats a date in the past as no wait and garbage as absent", () => {
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter("soon", NOW)).toBeUndefined();
    expect(parseRetryAfter("-5", NOW)).toBeUndefined();
    expect(parseRetryAfter("", NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});

describe("backoffDelay", () => {
  const policy = (random: number): RetryPolicy => ({ ...DEFAULT_RETRY_POLICY, random: () => random });

  it("doubles the ceiling per retry up to the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 10].map((retry) => backoffDelay(retry, policy(0.999999)));
    expect(ceilings).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999]);
  });

  it("jitters over the whole range down to zero", () => {
    expect(backoffDelay(3, policy(0))).toBe(0);
    expect(backoffDelay(3, policy(0.25))).toBe(1000);
  });
});

describe("outcomeUnknown: did a failed call happen?", () => {
  it("may have, when no response came or a retried status survived the retries", () => {
    expect(outcomeUnknown(new ConnectionError("reset", { code: "connection_error" }))).toBe(true);
    expect(outcomeUnknown(new TimeoutError("slow", { code: "timeout" }))).toBe(true);
    for (const status of [429, 500, 502, 503]) {
      expect(outcomeUnknown(errorForStatus(status, "m", { code: "x" }))).toBe(true);
    }
  });

  it("did not, after a definite refusal, the caller's abort, or anything not from the client", () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      expect(outcomeUnknown(errorForStatus(status, "m", { code: "x" }))).toBe(false);
    }
    expect(outcomeUnknown(new ConnectionError("aborted", { code: "aborted" }))).toBe(false);
    expect(outcomeUnknown(new Error("boom"))).toBe(false);
    expect(outcomeUnknown({ status: 503 })).toBe(false);
    expect(outcomeUnknown(undefined)).toBe(false);
  });

  it("answers for every status exactly as the retry policy retries it", () => {
    for (let status = 400; status < 600; status++) {
      expect(outcomeUnknown(errorForStatus(status, "m", { code: "x" }))).toBe(isRetryableStatus(status));
    }
  });
});
