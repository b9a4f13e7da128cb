import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "undici";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { MIGRATIONS, openSqliteStore } from "../../emulator/store";
import { ROOT_KEY } from "./helpers";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "admindo-persist-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function call(emu: RunningEmulator, method: string, path: string, key: string, body?: unknown) {
  const response = await request(`${emu.url}${path}`, {
    method: method as "GET",
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? JSON.parse(text) : undefined };
}

test("keys, usage and logs survive a restart, and old secrets still authenticate", async () => {
  const dbPath = join(dir, "admindo.db");
  const first = await startEmulator({ port: 0, dbPath, rootKey: ROOT_KEY });
  const keys = [];
  for (const name of ["alpha", "beta"]) {
    const created = await call(first, "POST", "/api-keys", ROOT_KEY, {
      name,
      organization: "acme",
      scopes: ["functions:read", "functions:write", "functions:execute"],
      restrictions: { rateLimit: { requests: 100, period: "minute" } },
    });
    expect(created.status).toBe(201);
    keys.push(created.json);
  }
  const fn = await call(first, "POST", "/functions", keys[0].key, {
    name: "greet",
    code: "return input.name",
  });
  await call(first, "POST", `/functions/${fn.json.id}/execute`, keys[0].key, { name: "Ada" });
  await call(first, "GET", "/functions", keys[1].key);
  await call(first, "POST", `/api-keys/${keys[1].id}/revoke`, ROOT_KEY, { reason: "done" });

  const before = {
    keys: (await call(first, "GET", "/api-keys", ROOT_KEY)).json,
    logs: (await call(first, "GET", `/api-keys/${keys[0].id}/logs`, ROOT_KEY)).json,
    usage: (await call(first, "GET", `/api-keys/${keys[0].id}/usage?groupBy=resource`, ROOT_KEY)).json,
  };
  expect(before.logs.total).toBe(2);
  await first.close();

  const second = await startEmulator({ port: 0, dbPath, rootKey: ROOT_KEY });
  try {
    expect((await call(second, "GET", "/api-keys", ROOT_KEY)).json).toEqual(before.keys);
    expect((await call(second, "GET", `/api-keys/${keys[0].id}/logs`, ROOT_KEY)).json).toEqual(before.logs);
    const usage = (await call(second, "GET", `/api-keys/${keys[0].id}/usage?groupBy=resource`, ROOT_KEY))
      .json;
    expect(usage.buckets).toEqual(before.usage.buckets);
    expect(usage.total).toEqual(before.usage.total);

    const executed = await call(second, "POST", `/functions/${fn.json.id}/execute`, keys[0].key, {
      name: "Bob",
    });
    expect(executed).toMatchObject({ status: 200, json: { output: "Bob" } });
    expect((await call(second, "GET", "/functions", keys[1].key)).json.error.code).toBe("key_revoked");
  } finally {
    await second.close();
  }
});

test("a restart with a new root key replaces the old one", async () => {
  const dbPath = join(dir, "admindo.db");
  const first = await startEmulator({ dbPath });
  const oldRoot = first.rootKey;
  await first.close();
  const second = await startEmulator({ dbPath, rootKey: ROOT_KEY });
  try {
    expect((await call(second, "GET", "/api-keys", oldRoot)).status).toBe(401);
    expect((await call(second, "GET", "/api-keys", ROOT_KEY)).status).toBe(200);
  } finally {
    await second.close();
  }
});

test("the database uses WAL and records its schema version", () => {
  const dbPath = join(dir, "admindo.db");
  openSqliteStore(dbPath).close();
  const db = new Database(dbPath, { readonly: true });
  expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
  db.close();
  // Opening again applies nothing twice.
  openSqliteStore(dbPath).close();
});

test("a database from a newer emulator is refused", () => {
  const dbPath = join(dir, "admindo.db");
  const db = new Database(dbPath);
  db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  db.close();
  expect(() => openSqliteStore(dbPath)).toThrow(/newer than this emulator/);
});
