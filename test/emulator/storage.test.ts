import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEmulator, startEmulator } from "../../emulator";
import { MIGRATIONS, openSqliteStore } from "../../emulator/store";
import { LOG_FLUSH_DELAY_MS } from "../../emulator/store/sqlite/logs";
import { ROOT_KEY } from "./helpers";
import { call } from "./wire";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "admindo-storage-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a database written by 0.1.0", () => {
  const FIXTURE = join(__dirname, "..", "e2e", "fixtures", "upgrade-0.1.0");
  const FIXTURE_ROOT_KEY = "adk_fixtureRootKey0123456789abcdefXYZ";

  /** The fixture's key secrets, decrypted from its Pulumi state (passphrase secrets provider). */
  function fixtureSecrets(): Record<string, string> {
    const state = JSON.parse(readFileSync(join(FIXTURE, "state.json"), "utf8"));
    const salt = Buffer.from(state.deployment.secrets_providers.state.salt.split(":")[1], "base64");
    const key = pbkdf2Sync("fixture-passphrase", salt, 1_000_000, 32, "sha256");
    const secrets: Record<string, string> = {};
    for (const resource of state.deployment.resources) {
      if (!resource.type.endsWith("admindo:ApiKey")) continue;
      const [, nonce, data] = (resource.outputs.key.ciphertext as string).split(":");
      const sealed = Buffer.from(data, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const text = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
      secrets[resource.urn.split("::").pop()] = JSON.parse(text.toString("utf8"));
    }
    return secrets;
  }

  test("opens, is migrated, and its keys still authenticate", async () => {
    const dbPath = join(dir, "emulator.db");
    copyFileSync(join(FIXTURE, "emulator.db"), dbPath);
    const store = openSqliteStore(dbPath);
    const { app } = buildEmulator({ store, rootKey: FIXTURE_ROOT_KEY });
    try {
      const asRoot = { authorization: `Bearer ${FIXTURE_ROOT_KEY}` };
      const keys = (await app.inject({ url: "/api-keys?organization=acme", headers: asRoot })).json();
      expect(keys.data.map((key: { name: string }) => key.name).sort()).toEqual(["caller", "reporter"]);

      const { caller, reporter } = fixtureSecrets();
      const asCaller = await app.inject({
        url: "/functions",
        headers: { authorization: `Bearer ${caller}`, "x-admindo-project": "storefront" },
        remoteAddress: "10.1.2.3",
      });
      expect(asCaller.statusCode).toBe(200);
      const asReporter = await app.inject({
        url: "/data/reports",
        headers: { authorization: `Bearer ${reporter}`, referer: "https://reports.example.com/q3" },
      });
      expect(asReporter.statusCode).toBe(200);
      // Their restrictions still hold.
      const elsewhere = await app.inject({
        url: "/functions",
        headers: { authorization: `Bearer ${caller}`, "x-admindo-project": "storefront" },
        remoteAddress: "192.0.2.1",
      });
      expect(elsewhere.json().error.code).toBe("ip_not_allowed");
    } finally {
      await app.close();
      store.close();
    }
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });
});

/** A database as 0.1.0 left it: the first migration only. */
function legacyDatabase(path: string, fill: (db: Database.Database) => void) {
  const db = new Database(path);
  db.exec(MIGRATIONS[0] as string);
  db.pragma("user_version = 1");
  const key = db.prepare(
    `INSERT INTO api_keys (id, organization, name, scopes, projects, restrictions, prefix, last_four, created_at, updated_at)
     VALUES (?, ?, 'k', '[]', ?, '{}', 'adk_x', 'abcd', 0, 0)`,
  );
  fill(db);
  return { db, key };
}

describe("the tenancy migration gives rows written before it to the organization they came from", () => {
  function fill(db: Database.Database) {
    const fn = db.prepare(
      `INSERT INTO functions (id, project, name, code, created_at) VALUES (?, ?, 'f', '1', 0)`,
    );
    fn.run("fn_storefront", "storefront");
    fn.run("fn_shop", "shop");
    fn.run("fn_shared", "shared");
    fn.run("fn_none", "");
    const doc = db.prepare(
      `INSERT INTO documents (kind, owner, id, data, created_at) VALUES (?, ?, ?, '{}', 0)`,
    );
    doc.run("workflow", "storefront", "wf_storefront");
    doc.run("user", "acme", "usr_acme");
    db.prepare(
      `INSERT INTO data_items (project, collection, key, value, updated_at) VALUES ('shop', 'c', 'k', '1', 0)`,
    ).run();
  }
  const owners = (path: string) => {
    openSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(
        `SELECT id, organization, project FROM functions
         UNION ALL SELECT id, organization, owner FROM documents
         UNION ALL SELECT collection || '/' || key, organization, project FROM data_items`,
      )
      .all() as Array<{ id: string; organization: string; project: string }>;
    db.close();
    return Object.fromEntries(rows.map((row) => [row.id, `${row.organization}/${row.project}`]));
  };

  test("by the keys bound to (or the log entries in) each project; the rest to the root key", () => {
    const path = join(dir, "many.db");
    const { db, key } = legacyDatabase(path, fill);
    key.run("key_a", "acme", '["storefront"]');
    key.run("key_b", "globex", "[]");
    key.run("key_c", "initech", '["shared"]');
    key.run("key_d", "globex", '["shared"]');
    db.prepare(
      `INSERT INTO request_logs (id, key_id, organization, timestamp, method, path, project, status, latency_ms, ip, cost_micros)
       VALUES ('log_1', 'key_b', 'globex', 0, 'PUT', '/data/c/k', 'shop', 200, 1, '127.0.0.1', 0)`,
    ).run();
    db.close();
    expect(owners(path)).toEqual({
      fn_storefront: "acme/storefront",
      fn_shop: "globex/shop",
      fn_shared: "(root)/shared",
      fn_none: "(root)/",
      wf_storefront: "acme/storefront",
      usr_acme: "acme/",
      "c/k": "globex/shop",
    });
  });

  test("all of them to the only organization of the database", () => {
    const path = join(dir, "one.db");
    const { db, key } = legacyDatabase(path, fill);
    key.run("key_a", "acme", "[]");
    db.close();
    expect(owners(path)).toEqual({
      fn_storefront: "acme/storefront",
      fn_shop: "acme/shop",
      fn_shared: "acme/shared",
      fn_none: "acme/",
      wf_storefront: "acme/storefront",
      usr_acme: "acme/",
      "c/k": "acme/shop",
    });
  });
});

test("the database holds no character of the root key, only its hash", async () => {
  const dbPath = join(dir, "root.db");
  const server = await startEmulator({ dbPath, rootKey: ROOT_KEY });
  expect((await call(server, "GET", "/api-keys")).status).toBe(200);
  await server.close();
  const bytes =
    readFileSync(dbPath).toString("latin1") +
    readFileSync(`${dbPath}-wal`, { flag: "a+" }).toString("latin1");
  expect(bytes).not.toContain(ROOT_KEY.slice(0, 10));
  expect(bytes).not.toContain(ROOT_KEY.slice(-6));
});

describe("the request log", () => {
  test("no entry is lost on a clean shutdown", async () => {
    const dbPath = join(dir, "log.db");
    const server = await startEmulator({ dbPath, rootKey: ROOT_KEY });
    const key = (
      await call(server, "POST", "/api-keys", {
        body: { name: "k", organization: "acme", scopes: ["data:read"] },
      })
    ).body;
    await Promise.all(Array.from({ length: 200 }, () => call(server, "GET", "/data/c", { key: key.key })));
    await server.close();
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM request_logs WHERE key_id = ?").get(key.id)).toEqual({
      n: 200,
    });
    db.close();
  });

  test("no entry is lost when the CLI is stopped with SIGTERM", async () => {
    const dbPath = join(dir, "cli.db");
    const root = join(__dirname, "..", "..");
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        join(root, "emulator", "cli.ts"),
        "--port",
        "0",
        "--db",
        dbPath,
      ],
      {
        cwd: root,
        env: { ...process.env, TS_NODE_PROJECT: join(root, "tsconfig.json"), ADMINDO_ROOT_KEY: ROOT_KEY },
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (chunk) => {
          output += chunk;
          const match = /listening on (\S+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.once("exit", () => reject(new Error(output)));
      });
      const headers = { authorization: `Bearer ${ROOT_KEY}` };
      await Promise.all(
        Array.from({ length: 50 }, () => fetch(`${url}/api-keys`, { headers }).then((r) => r.text())),
      );
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM request_logs").get()).toEqual({ n: 50 });
    db.close();
  }, 30_000);

  test(`entries are written ${LOG_FLUSH_DELAY_MS} ms after they are queued, without any read (what a crash can lose)`, async () => {
    const dbPath = join(dir, "batch.db");
    const server = await startEmulator({ dbPath, rootKey: ROOT_KEY });
    try {
      await Promise.all(Array.from({ length: 20 }, () => call(server, "GET", "/api-keys")));
      await new Promise((resolve) => setTimeout(resolve, LOG_FLUSH_DELAY_MS + 500));
      const other = new Database(dbPath, { readonly: true });
      expect(other.prepare("SELECT count(*) AS n FROM request_logs").get()).toEqual({ n: 20 });
      other.close();
    } finally {
      await server.close();
    }
  });
});

test("a key changed by another connection to the file is seen at once (no stale cache)", async () => {
  const dbPath = join(dir, "shared.db");
  const server = await startEmulator({ dbPath, rootKey: ROOT_KEY });
  try {
    const key = (
      await call(server, "POST", "/api-keys", {
        body: { name: "k", organization: "acme", scopes: ["data:read"] },
      })
    ).body;
    expect((await call(server, "GET", "/data/c", { key: key.key })).status).toBe(200);
    const other = new Database(dbPath);
    other
      .prepare("UPDATE api_keys SET revoked_at = 1, revoked_reason = 'elsewhere' WHERE id = ?")
      .run(key.id);
    other.close();
    expect((await call(server, "GET", "/data/c", { key: key.key })).body.error.code).toBe("key_revoked");
  } finally {
    await server.close();
  }
});
