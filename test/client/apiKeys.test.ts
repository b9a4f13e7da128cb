import { API_KEY, NEW_SECRET, apiKeyRecord, harness } from "./helpers";

const usage = {
  keyId: "key_123",
  start: "2026-01-01T00:00:00Z",
  end: "2026-01-08T00:00:00Z",
  groupBy: "day",
  total: { requests: 3, errors: 1, cost: 0.03 },
  buckets: [
    { key: "2026-01-01T00:00:00Z", start: "2026-01-01T00:00:00Z", requests: 3, errors: 1, cost: 0.03 },
  ],
};
const logEntry = {
  id: "log_1",
  keyId: "key_123",
  timestamp: "2026-01-01T10:00:00Z",
  method: "POST",
  path: "/functions/fn_1/execute",
  resource: "functions",
  project: "web",
  status: 403,
  latencyMs: 2,
  ip: "10.0.0.1",
  referrer: null,
  denialReason: "ip_not_allowed",
};
const page = <T>(data: T[], hasMore = false) => ({ data, total: data.length, limit: 20, offset: 0, hasMore });

describe("apiKeys request shapes", () => {
  it("create POSTs the validated body with auth, JSON and idempotency headers and returns the secret", async () => {
    const h = harness();
    h.reply("POST", "/api-keys", 201, { ...apiKeyRecord(), key: NEW_SECRET });
    const created = await h.client.apiKeys.create({
      name: "ci-deployer",
      organization: "acme",
      scopes: ["functions:read"],
      restrictions: { ipAddresses: ["192.168.1.1/24"] },
    });
    expect(created.key).toBe(NEW_SECRET);
    expect(created.id).toBe("key_123");
    const [req] = h.seen;
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api-keys");
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
    expect(req.headers["idempotency-key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.body).toEqual({
      name: "ci-deployer",
      organization: "acme",
      scopes: ["functions:read"],
      restrictions: { ipAddresses: ["192.168.1.1/24"] },
    });
  });

  it("list GETs /api-keys with organization, limit and offset as query parameters", async () => {
    const h = harness();
    h.reply("GET", "/api-keys?organization=acme&limit=10&offset=20", 200, page([apiKeyRecord()]));
    const result = await h.client.apiKeys.list({ organization: "acme", limit: 10, offset: 20 });
    expect(result.data[0].id).toBe("key_123");
    expect(h.seen[0].method).toBe("GET");
    expect(h.seen[0].body).toBeUndefined();
    expect(h.seen[0].headers["idempotency-key"]).toBeUndefined();
    expect(h.seen[0].headers["content-type"]).toBeUndefined();
  });

  it("list without parameters sends no query string", async () => {
    const h = harness();
    h.reply("GET", "/api-keys", 200, page([]));
    await expect(h.client.apiKeys.list()).resolves.toMatchObject({ data: [], hasMore: false });
  });

  it("get escapes the id in the path", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/a%2Fb%3Fc%20d", 200, apiKeyRecord({ id: "a/b?c d" }));
    const key = await h.client.apiKeys.get("a/b?c d");
    expect(key.id).toBe("a/b?c d");
    expect(h.seen[0].path).toBe("/api-keys/a%2Fb%3Fc%20d");
  });

  it("update PATCHes only the given fields, null clearing expiresAt", async () => {
    const h = harness();
    h.reply("PATCH", "/api-keys/key_123", 200, apiKeyRecord({ name: "renamed" }));
    const key = await h.client.apiKeys.update("key_123", { name: "renamed", expiresAt: null });
    expect(key.name).toBe("renamed");
    expect(h.seen[0]).toMatchObject({ method: "PATCH", body: { name: "renamed", expiresAt: null } });
    expect(h.seen[0].headers["idempotency-key"]).toBeUndefined();
  });

  it("delete sends DELETE and resolves to undefined on 204", async () => {
    const h = harness();
    h.reply("DELETE", "/api-keys/key_123", 204);
    await expect(h.client.apiKeys.delete("key_123")).resolves.toBeUndefined();
    expect(h.seen[0]).toMatchObject({ method: "DELETE", path: "/api-keys/key_123", body: undefined });
  });

  it("revoke POSTs the reason", async () => {
    const h = harness();
    h.reply(
      "POST",
      "/api-keys/key_123/revoke",
      200,
      apiKeyRecord({ status: "revoked", revokedReason: "leaked" }),
    );
    const key = await h.client.apiKeys.revoke("key_123", { reason: "leaked" });
    expect(key.status).toBe("revoked");
    expect(h.seen[0].body).toEqual({ reason: "leaked" });
    expect(h.seen[0].headers["idempotency-key"]).toBeDefined();
  });

  it("rotate POSTs expiresAt and gracePeriod and returns the new secret", async () => {
    const h = harness();
    h.reply("POST", "/api-keys/key_123/rotate", 200, { ...apiKeyRecord(), key: NEW_SECRET });
    const rotated = await h.client.apiKeys.rotate("key_123", {
      expiresAt: "2027-01-01T00:00:00Z",
      gracePeriod: "1h",
    });
    expect(rotated.key).toBe(NEW_SECRET);
    expect(h.seen[0].body).toEqual({ expiresAt: "2027-01-01T00:00:00Z", gracePeriod: "1h" });
  });

  it("rotate without parameters sends an empty object", async () => {
    const h = harness();
    h.reply("POST", "/api-keys/key_123/rotate", 200, { ...apiKeyRecord(), key: NEW_SECRET });
    await h.client.apiKeys.rotate("key_123");
    expect(h.seen[0].body).toEqual({});
  });

  it("updateRestrictions PUTs the whole restrictions object", async () => {
    const h = harness();
    const restrictions = {
      ipAddresses: ["10.0.0.0/8", "2001:db8::/32"],
      referrers: ["*.example.org"],
      rateLimit: { requests: 100, period: "minute" as const },
      timeRestrictions: { daysOfWeek: ["monday" as const], hoursOfDay: [9, 17], timezone: "Europe/Berlin" },
    };
    h.reply("PUT", "/api-keys/key_123/restrictions", 200, apiKeyRecord({ restrictions }));
    const key = await h.client.apiKeys.updateRestrictions("key_123", restrictions);
    expect(key.restrictions).toEqual(restrictions);
    expect(h.seen[0]).toMatchObject({ method: "PUT", body: restrictions });
  });

  it("getUsage encodes a duration as range and resources comma-separated", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/usage?range=7d&resources=functions%2Cdata&groupBy=day", 200, usage);
    const result = await h.client.apiKeys.getUsage("key_123", {
      timeRange: "7d",
      resources: ["functions", "data"],
      groupBy: "day",
    });
    expect(result.total.requests).toBe(3);
    expect(result.buckets).toHaveLength(1);
  });

  it("getUsage encodes an absolute time range as start and end", async () => {
    const h = harness();
    h.reply(
      "GET",
      "/api-keys/key_123/usage?start=2026-01-01T00%3A00%3A00Z&end=2026-01-08T00%3A00%3A00Z",
      200,
      usage,
    );
    await h.client.apiKeys.getUsage("key_123", {
      timeRange: { start: "2026-01-01T00:00:00Z", end: "2026-01-08T00:00:00Z" },
    });
    expect(h.seen).toHaveLength(1);
  });

  it("getResourceUsage puts the resource in the path", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/usage/resources/functions?range=24h&groupBy=hour", 200, {
      ...usage,
      groupBy: "hour",
      resource: "functions",
    });
    const result = await h.client.apiKeys.getResourceUsage("key_123", "functions", {
      timeRange: "24h",
      groupBy: "hour",
    });
    expect(result.resource).toBe("functions");
  });

  it("getProjectUsage puts the project in the path", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/usage/projects/web?range=30d&resources=agents", 200, {
      ...usage,
      project: "web",
    });
    const result = await h.client.apiKeys.getProjectUsage("key_123", "web", {
      timeRange: "30d",
      resources: ["agents"],
    });
    expect(result.project).toBe("web");
  });

  it("getLogs encodes timeRange, status, limit and offset", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/logs?limit=5&offset=10&range=1h&status=403", 200, page([logEntry]));
    const logs = await h.client.apiKeys.getLogs("key_123", {
      timeRange: "1h",
      status: 403,
      limit: 5,
      offset: 10,
    });
    expect(logs.data[0].denialReason).toBe("ip_not_allowed");
  });

  it("getLogs accepts the success/error status filter", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/logs?status=error", 200, page([logEntry]));
    await h.client.apiKeys.getLogs("key_123", { status: "error" });
    expect(h.seen).toHaveLength(1);
  });

  it("getLog fetches one entry by escaped ids", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123/logs/log%201", 200, { ...logEntry, id: "log 1" });
    const entry = await h.client.apiKeys.getLog("key_123", "log 1");
    expect(entry.id).toBe("log 1");
  });

  it("sends X-Admindo-Project from the call option, overriding the client default", async () => {
    const h = harness({ project: "default-project" });
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    h.reply("GET", "/api-keys/key_123", 200, apiKeyRecord());
    await h.client.apiKeys.get("key_123");
    await h.client.apiKeys.get("key_123", { project: "web" });
    expect(h.seen.map((r) => r.headers["x-admindo-project"])).toEqual(["default-project", "web"]);
  });

  it("keeps a path prefix of the base URL", async () => {
    const h = harness({ baseUrl: "http://admindo.test/v1/" });
    h.reply("GET", "/v1/api-keys/key_123", 200, apiKeyRecord());
    await h.client.apiKeys.get("key_123");
    expect(h.seen[0].path).toBe("/v1/api-keys/key_123");
  });
});

describe("apiKeys response parsing", () => {
  it("tolerates unknown fields and drops them from the result", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 200, { ...apiKeyRecord(), shinyNewField: true });
    const key = await h.client.apiKeys.get("key_123");
    expect(key).toEqual(apiKeyRecord());
  });

  it("never exposes a key secret from get (the schema has no such field)", async () => {
    const h = harness();
    h.reply("GET", "/api-keys/key_123", 200, { ...apiKeyRecord(), key: NEW_SECRET });
    const key = await h.client.apiKeys.get("key_123");
    expect(JSON.stringify(key)).not.toContain(NEW_SECRET);
  });
});

describe("apiKeys.listAll", () => {
  it("walks every page by offset until hasMore is false", async () => {
    const h = harness();
    const keys = Array.from({ length: 5 }, (_, i) => apiKeyRecord({ id: `key_${i}` }));
    h.reply("GET", "/api-keys?organization=acme&limit=2&offset=0", 200, page(keys.slice(0, 2), true));
    h.reply("GET", "/api-keys?organization=acme&limit=2&offset=2", 200, page(keys.slice(2, 4), true));
    h.reply("GET", "/api-keys?organization=acme&limit=2&offset=4", 200, page(keys.slice(4), false));
    const ids: string[] = [];
    for await (const key of h.client.apiKeys.listAll({ organization: "acme", limit: 2 })) ids.push(key.id);
    expect(ids).toEqual(["key_0", "key_1", "key_2", "key_3", "key_4"]);
    expect(h.seen).toHaveLength(3);
  });

  it("fetches lazily: stopping early fetches no further page", async () => {
    const h = harness();
    h.reply(
      "GET",
      "/api-keys?limit=2&offset=0",
      200,
      page([apiKeyRecord({ id: "a" }), apiKeyRecord({ id: "b" })], true),
    );
    for await (const key of h.client.apiKeys.listAll({ limit: 2 })) {
      expect(key.id).toBe("a");
      break;
    }
    expect(h.seen).toHaveLength(1);
  });

  it("stops on an empty page even if the server claims more", async () => {
    const h = harness();
    h.reply("GET", "/api-keys?offset=0", 200, page([], true));
    const all = [];
    for await (const key of h.client.apiKeys.listAll()) all.push(key);
    expect(all).toEqual([]);
  });
});
