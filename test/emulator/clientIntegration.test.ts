import {
  AuthenticationError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  createAdminClient,
  type AdminClient,
} from "../../client";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ROOT_KEY } from "./helpers";

/**
 * The real client against a listening emulator: every client method, error mapping, and the
 * retry paths driven by injected faults.
 */

let emu: RunningEmulator;
let admin: AdminClient;
let sleeps: number[];
const clients: AdminClient[] = [];

function client(apiKey: string, options: { project?: string; maxRetries?: number } = {}): AdminClient {
  const created = createAdminClient({
    baseUrl: emu.url,
    apiKey,
    ...options,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  clients.push(created);
  return created;
}

beforeEach(async () => {
  emu = await startEmulator({ port: 0, rootKey: ROOT_KEY });
  sleeps = [];
  admin = client(ROOT_KEY);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await emu.close();
});

const WORKER = {
  name: "worker",
  organization: "acme",
  scopes: ["functions:write", "functions:execute"] as ("functions:write" | "functions:execute")[],
};

test("key life cycle: create, get, list, update, restrictions, rotate, revoke, delete", async () => {
  const created = await admin.apiKeys.create({ ...WORKER, description: "runs functions", projects: ["web"] });
  expect(created.key).toMatch(/^adk_/);
  expect(created).toMatchObject({ name: "worker", status: "active", projects: ["web"] });

  const fetched = await admin.apiKeys.get(created.id);
  expect(fetched).not.toHaveProperty("key");
  expect(fetched.prefix).toBe(created.prefix);

  await admin.apiKeys.create({ ...WORKER, name: "second" });
  const page = await admin.apiKeys.list({ organization: "acme", limit: 1 });
  expect(page).toMatchObject({ total: 2, hasMore: true });
  expect(page.data[0].name).toBe("second");
  const all = [];
  for await (const key of admin.apiKeys.listAll({ organization: "acme", limit: 1 })) all.push(key.name);
  expect(all).toEqual(["second", "worker"]);

  const updated = await admin.apiKeys.update(created.id, {
    name: "worker-2",
    expiresAt: "2099-01-01T00:00:00Z",
  });
  expect(updated).toMatchObject({ name: "worker-2", expiresAt: "2099-01-01T00:00:00.000Z" });

  const restricted = await admin.apiKeys.updateRestrictions(created.id, {
    ipAddresses: ["127.0.0.0/8"],
    rateLimit: { requests: 100, period: "minute" },
  });
  expect(restricted.restrictions.ipAddresses).toEqual(["127.0.0.0/8"]);

  const rotated = await admin.apiKeys.rotate(created.id, { gracePeriod: "1h" });
  expect(rotated.id).toBe(created.id);
  expect(rotated.key).not.toBe(created.key);
  expect(rotated.previousKeyExpiresAt).not.toBeNull();
  // Both secrets work during the grace period.
  await client(created.key, { project: "web" }).functions.create({ name: "a", code: "return 1" });
  await client(rotated.key, { project: "web" }).functions.create({ name: "b", code: "return 2" });

  const revoked = await admin.apiKeys.revoke(created.id, { reason: "rotated out" });
  expect(revoked).toMatchObject({ status: "revoked", revokedReason: "rotated out" });
  await expect(
    client(rotated.key, { project: "web" }).functions.create({ name: "c", code: "1" }),
  ).rejects.toMatchObject({ code: "key_revoked", status: 403 });

  await admin.apiKeys.delete(created.id);
  await expect(admin.apiKeys.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
  await expect(admin.apiKeys.delete(created.id)).rejects.toMatchObject({ code: "not_found", status: 404 });
});

test("functions: the docs example, then usage and logs of the key that ran it", async () => {
  const worker = await admin.apiKeys.create({ ...WORKER, projects: ["web"] });
  const functions = client(worker.key, { project: "web" }).functions;
  const fn = await functions.create({
    name: "greet",
    input: { name: "string" },
    output: { greeting: "string" },
    code: "return { greeting: `Hello, ${input.name}!` }",
  });
  const result = await functions.execute(fn.id, { name: "John" });
  expect(result.output).toEqual({ greeting: "Hello, John!" });
  await expect(functions.execute("fn_missing", {})).rejects.toBeInstanceOf(NotFoundError);

  const usage = await admin.apiKeys.getUsage(worker.id, { timeRange: "1d", groupBy: "resource" });
  expect(usage.total).toMatchObject({ requests: 3, errors: 1 });
  expect(usage.buckets).toEqual([expect.objectContaining({ key: "functions", requests: 3 })]);

  const resource = await admin.apiKeys.getResourceUsage(worker.id, "functions", { groupBy: "hour" });
  expect(resource).toMatchObject({ resource: "functions", total: { requests: 3 } });
  const project = await admin.apiKeys.getProjectUsage(worker.id, "web", { resources: ["functions"] });
  expect(project).toMatchObject({ project: "web", total: { requests: 3 } });
  const none = await admin.apiKeys.getProjectUsage(worker.id, "other");
  expect(none.total.requests).toBe(0);

  const logs = await admin.apiKeys.getLogs(worker.id, { status: "error", limit: 10 });
  expect(logs.total).toBe(1);
  expect(logs.data[0]).toMatchObject({ status: 404, path: "/functions/fn_missing/execute", project: "web" });
  const successes = await admin.apiKeys.getLogs(worker.id, {
    status: 200,
    timeRange: { start: new Date(Date.now() - 60_000).toISOString() },
  });
  expect(successes.total).toBe(1);
  const entry = await admin.apiKeys.getLog(worker.id, logs.data[0].id);
  expect(entry).toEqual(logs.data[0]);
});

test("errors arrive as the client's typed errors", async () => {
  await expect(client("adk_notakey0000000000000000000000000").apiKeys.list()).rejects.toBeInstanceOf(
    AuthenticationError,
  );
  const weak = await admin.apiKeys.create({
    name: "weak",
    organization: "acme",
    scopes: ["admin:read", "admin:write"],
  });
  await expect(
    client(weak.key).apiKeys.create({ name: "strong", organization: "acme", scopes: ["admin:billing"] }),
  ).rejects.toMatchObject({ code: "scope_escalation", details: { scopes: ["admin:billing"] } });
  await expect(client(weak.key).functions.create({ name: "f", code: "1" })).rejects.toBeInstanceOf(
    PermissionError,
  );

  const limited = await admin.apiKeys.create({
    ...WORKER,
    restrictions: { rateLimit: { requests: 1, period: "hour" } },
  });
  const noRetry = client(limited.key, { maxRetries: 0 });
  await noRetry.functions.create({ name: "f", code: "return 1" });
  const error = await noRetry.functions.create({ name: "g", code: "return 1" }).catch((e) => e);
  expect(error).toBeInstanceOf(RateLimitError);
  expect(error.retryAfterMs).toBeGreaterThan(3_500_000);
});

describe("fault injection", () => {
  test("503 with Retry-After, then success: the client waits and retries", async () => {
    emu.faults.inject({ path: "/api-keys", status: 503, retryAfter: 2, times: 2 });
    const page = await admin.apiKeys.list();
    expect(page.total).toBe(0);
    expect(sleeps).toEqual([2000, 2000]);
  });

  test("response lost after commit (500): the retry replays, exactly one key exists", async () => {
    emu.faults.inject({ path: "/api-keys", method: "POST", status: 500, after: true });
    const created = await admin.apiKeys.create(WORKER);
    expect(sleeps).toHaveLength(1);
    const page = await admin.apiKeys.list({ organization: "acme" });
    expect(page.total).toBe(1);
    expect(page.data[0].id).toBe(created.id);
    // The replayed secret is the real one.
    await client(created.key).functions.create({ name: "f", code: "return 1" });
  });

  test("connection dropped after commit: the retry replays, exactly one key exists", async () => {
    emu.faults.inject({ path: "/api-keys", method: "POST", drop: true, after: true });
    const created = await admin.apiKeys.create(WORKER);
    expect(sleeps).toHaveLength(1);
    expect((await admin.apiKeys.list({ organization: "acme" })).data.map((k) => k.id)).toEqual([created.id]);
  });

  test("connection dropped before the handler: the retry creates the key once", async () => {
    emu.faults.inject({ path: "/api-keys", method: "POST", drop: true });
    await admin.apiKeys.create(WORKER);
    expect((await admin.apiKeys.list({ organization: "acme" })).total).toBe(1);
  });

  test("rotate lost after commit: the retry returns the secret that works", async () => {
    const key = await admin.apiKeys.create(WORKER);
    emu.faults.inject({ path: `/api-keys/${key.id}/rotate`, status: 500, after: true });
    const rotated = await admin.apiKeys.rotate(key.id);
    await client(rotated.key).functions.create({ name: "f", code: "return 1" });
    await expect(client(key.key).functions.create({ name: "g", code: "1" })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });
});

test("the emulator's validation errors reach the client as field issues", async () => {
  const key = await admin.apiKeys.create({
    ...WORKER,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const error = await admin.apiKeys
    .update(key.id, { expiresAt: new Date(Date.now() - 60_000).toISOString() })
    .catch((e) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error.details).toEqual([{ path: "expiresAt", message: "must be in the future" }]);
  expect(error.issues).toEqual([
    { field: "expiresAt", path: ["expiresAt"], message: "must be in the future" },
  ]);
});

test("a path parameter longer than any id is an InvalidRequestError (414), not the base error", async () => {
  const error = await admin.apiKeys.get(`key_${"x".repeat(200)}`).catch((e) => e);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect(error).toMatchObject({ status: 414, code: "invalid_request" });
});
