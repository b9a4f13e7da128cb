import { LogEntrySchema, LogPageSchema, UsageSchema } from "../../client/schemas";
import { START, expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function logsOf(keyId: string, query = "") {
  const response = await emu.request("GET", `/api-keys/${keyId}/logs${query}`);
  expect(response.statusCode).toBe(200);
  return LogPageSchema.parse(response.json());
}

async function usageOf(keyId: string, suffix = "") {
  const response = await emu.request("GET", `/api-keys/${keyId}/usage${suffix}`);
  expect(response.statusCode).toBe(200);
  return UsageSchema.parse(response.json());
}

describe("request logs", () => {
  test("record allowed and denied requests, newest first", async () => {
    const key = await emu.createKey({
      scopes: ["functions:read"],
      restrictions: { ipAddresses: ["10.0.0.0/8"] },
    });
    await emu.request("GET", "/functions?limit=5", {
      key: key.key,
      ip: "10.1.1.1",
      project: "web",
      referer: "https://a.test/",
    });
    emu.clock.advance(1000);
    await emu.request("GET", "/functions", { key: key.key, ip: "192.0.2.9" });

    const page = await logsOf(key.id);
    expect(page.total).toBe(2);
    const [denied, allowed] = page.data;
    expect(allowed).toMatchObject({
      keyId: key.id,
      timestamp: START.toISOString(),
      method: "GET",
      path: "/functions",
      resource: "functions",
      project: "web",
      status: 200,
      ip: "10.1.1.1",
      referrer: "https://a.test/",
      denialReason: null,
    });
    expect(allowed.latencyMs).toBeGreaterThanOrEqual(0);
    expect(denied).toMatchObject({ status: 403, denialReason: "ip_not_allowed", ip: "192.0.2.9" });
  });

  test("never contain the key or query strings of the path or the referrer", async () => {
    const key = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("GET", "/functions?limit=1", {
      key: key.key,
      referer: "https://a.test/cb?token=s3cr3t#x",
    });
    const page = await logsOf(key.id);
    const text = JSON.stringify(page);
    expect(text).not.toContain(key.key);
    expect(text).not.toContain("limit=1");
    expect(text).not.toContain("s3cr3t");
    expect(page.data[0].referrer).toBe("https://a.test/cb");
  });

  test("requests with an unknown key are not attributed to any key", async () => {
    const key = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("GET", "/functions", { key: `${key.key.slice(0, 10)}${"0".repeat(26)}` });
    expect((await logsOf(key.id)).total).toBe(0);
  });

  test("record every denial reason, including scope and rate limit", async () => {
    const key = await emu.createKey({
      scopes: ["functions:read"],
      restrictions: { rateLimit: { requests: 1, period: "hour" } },
    });
    await emu.request("POST", "/functions", { key: key.key, body: { name: "f", code: "1" } });
    await emu.request("GET", "/functions", { key: key.key });
    const reasons = (await logsOf(key.id)).data.map((entry) => entry.denialReason);
    expect(reasons).toEqual(["rate_limited", "insufficient_scope"]);
  });

  test("filter by status class or exact status, and paginate", async () => {
    const key = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("GET", "/functions", { key: key.key });
    await emu.request("GET", "/functions/fn_a", { key: key.key });
    await emu.request("GET", "/functions/fn_b", { key: key.key });
    await emu.request("POST", "/functions", { key: key.key, body: {} });
    expect((await logsOf(key.id, "?status=success")).total).toBe(1);
    expect((await logsOf(key.id, "?status=error")).total).toBe(3);
    expect((await logsOf(key.id, "?status=404")).total).toBe(2);
    const page = await logsOf(key.id, "?limit=2&offset=1");
    expect(page).toMatchObject({ total: 4, limit: 2, offset: 1, hasMore: true });
    expect(page.data).toHaveLength(2);
  });

  test("filter by time range", async () => {
    const key = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("GET", "/functions", { key: key.key });
    emu.clock.advance(2 * DAY);
    await emu.request("GET", "/functions", { key: key.key });
    expect((await logsOf(key.id, "?range=1d")).total).toBe(1);
    expect((await logsOf(key.id)).total).toBe(2);
    const start = new Date(START.getTime() - HOUR).toISOString();
    const end = new Date(START.getTime() + HOUR).toISOString();
    expect((await logsOf(key.id, `?start=${start}&end=${end}`)).total).toBe(1);
  });

  test("getLog returns one entry; unknown ids and other keys' logs are 404", async () => {
    const a = await emu.createKey({ scopes: ["functions:read"] });
    const b = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("GET", "/functions", { key: a.key });
    const [entry] = (await logsOf(a.id)).data;
    const one = await emu.request("GET", `/api-keys/${a.id}/logs/${entry.id}`);
    expect(LogEntrySchema.parse(one.json())).toEqual(entry);
    expectError(await emu.request("GET", `/api-keys/${b.id}/logs/${entry.id}`), 404, "not_found");
    expectError(await emu.request("GET", `/api-keys/${a.id}/logs/log_nope`), 404, "not_found");
  });

  test("bad filters are 400", async () => {
    const key = await emu.createKey();
    expectError(
      await emu.request("GET", `/api-keys/${key.id}/logs?status=sometimes`),
      400,
      "invalid_request",
    );
    expectError(
      await emu.request("GET", `/api-keys/${key.id}/logs?range=7d&start=2026-01-01T00:00:00Z`),
      400,
      "invalid_request",
    );
    expectError(
      await emu.request(
        "GET",
        `/api-keys/${key.id}/logs?start=2026-02-01T00:00:00Z&end=2026-01-01T00:00:00Z`,
      ),
      400,
      "invalid_request",
    );
  });
});

describe("usage", () => {
  /** Three function calls (one a 404) in project web, a data write in api, on two days. */
  async function traffic() {
    const key = await emu.createKey({ scopes: ["functions:read", "functions:write", "data:write"] });
    await emu.request("POST", "/functions", {
      key: key.key,
      project: "web",
      body: { name: "f", code: "return 1" },
    });
    await emu.request("GET", "/functions/fn_nope", { key: key.key, project: "web" });
    emu.clock.advance(DAY + HOUR);
    await emu.request("GET", "/functions", { key: key.key, project: "web" });
    await emu.request("PUT", "/data/c/k", { key: key.key, project: "api", body: { value: 1 } });
    return key;
  }

  test("defaults to the last 30 days grouped by day", async () => {
    const key = await traffic();
    const usage = await usageOf(key.id);
    const now = START.getTime() + DAY + HOUR;
    expect(usage).toMatchObject({
      keyId: key.id,
      groupBy: "day",
      start: new Date(now - 30 * DAY).toISOString(),
      end: new Date(now).toISOString(),
      total: { requests: 4, errors: 1, cost: 0.00005 },
    });
    expect(usage.buckets).toEqual([
      {
        key: "2026-03-02T00:00:00.000Z",
        start: "2026-03-02T00:00:00.000Z",
        requests: 2,
        errors: 1,
        cost: 0.00002,
      },
      {
        key: "2026-03-03T00:00:00.000Z",
        start: "2026-03-03T00:00:00.000Z",
        requests: 2,
        errors: 0,
        cost: 0.00003,
      },
    ]);
  });

  test("groups by hour, resource and project", async () => {
    const key = await traffic();
    expect((await usageOf(key.id, "?groupBy=hour")).buckets.map((b) => b.key)).toEqual([
      "2026-03-02T10:00:00.000Z",
      "2026-03-03T11:00:00.000Z",
    ]);
    expect((await usageOf(key.id, "?groupBy=resource")).buckets).toEqual([
      { key: "data", requests: 1, errors: 0, cost: 0.00001 },
      { key: "functions", requests: 3, errors: 1, cost: 0.00004 },
    ]);
    expect((await usageOf(key.id, "?groupBy=project")).buckets.map((b) => [b.key, b.requests])).toEqual([
      ["api", 1],
      ["web", 3],
    ]);
  });

  test("filters by resources and time range", async () => {
    const key = await traffic();
    expect((await usageOf(key.id, "?resources=data")).total.requests).toBe(1);
    expect((await usageOf(key.id, "?resources=data,functions")).total.requests).toBe(4);
    expect((await usageOf(key.id, "?range=1h")).total.requests).toBe(2);
    const start = "2026-03-02T00:00:00Z";
    const end = "2026-03-02T23:59:59Z";
    expect((await usageOf(key.id, `?start=${start}&end=${end}`)).total.requests).toBe(2);
  });

  test("resource usage counts one resource kind", async () => {
    const key = await traffic();
    const response = await emu.request(
      "GET",
      `/api-keys/${key.id}/usage/resources/functions?groupBy=resource`,
    );
    const usage = UsageSchema.parse(response.json());
    expect(usage).toMatchObject({ resource: "functions", total: { requests: 3, errors: 1 } });
    expectError(
      await emu.request("GET", `/api-keys/${key.id}/usage/resources/rockets`),
      400,
      "invalid_request",
    );
  });

  test("project usage counts one project", async () => {
    const key = await traffic();
    const response = await emu.request("GET", `/api-keys/${key.id}/usage/projects/api`);
    const usage = UsageSchema.parse(response.json());
    expect(usage).toMatchObject({ project: "api", total: { requests: 1, errors: 0, cost: 0.00001 } });
    const filtered = await emu.request("GET", `/api-keys/${key.id}/usage/projects/web?resources=data`);
    expect(filtered.json().total.requests).toBe(0);
  });

  test("denied requests count as errors and cost nothing", async () => {
    const key = await emu.createKey({ scopes: ["functions:read"] });
    await emu.request("POST", "/functions", { key: key.key, body: { name: "f", code: "1" } });
    expect((await usageOf(key.id)).total).toEqual({ requests: 1, errors: 1, cost: 0 });
  });

  test("an unknown key is 404 and bad parameters are 400", async () => {
    expectError(await emu.request("GET", "/api-keys/key_nope/usage"), 404, "not_found");
    const key = await emu.createKey();
    expectError(await emu.request("GET", `/api-keys/${key.id}/usage?groupBy=week`), 400, "invalid_request");
    expectError(
      await emu.request("GET", `/api-keys/${key.id}/usage?resources=rockets`),
      400,
      "invalid_request",
    );
  });
});
