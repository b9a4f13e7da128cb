import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../emulator/store";
import { expectError, setup, type Emulator } from "./helpers";

const BODY = { name: "deploy", organization: "acme", scopes: ["functions:read"] };
const HOUR = 3_600_000;

describe("Idempotency-Key", () => {
  let emu: Emulator;
  beforeEach(() => {
    emu = setup();
  });
  afterEach(() => emu.close());

  const create = (idempotencyKey: string, body: unknown = BODY, key?: string) =>
    emu.request("POST", "/api-keys", { body, idempotencyKey, key });
  const total = async () => (await emu.request("GET", "/api-keys")).json().total;

  test("a repeat returns the first response, secret included, and creates nothing", async () => {
    const first = await create("attempt-1");
    const second = await create("attempt-1");
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.json().key).toMatch(/^adk_/);
    expect(second.headers["idempotent-replayed"]).toBe("true");
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    expect(await total()).toBe(1);
  });

  test("the same key with a different body is a 409 conflict", async () => {
    await create("attempt-1");
    expectError(await create("attempt-1", { ...BODY, name: "other" }), 409, "conflict");
    expect(await total()).toBe(1);
  });

  test("the same key on another route is a 409 conflict", async () => {
    const key = (await create("attempt-1")).json();
    const response = await emu.request("POST", `/api-keys/${key.id}/revoke`, {
      body: { reason: "x" },
      idempotencyKey: "attempt-1",
    });
    expectError(response, 409, "conflict");
  });

  test("key order in the body does not matter", async () => {
    await create("attempt-1", { name: "deploy", organization: "acme", scopes: ["functions:read"] });
    const again = await create("attempt-1", {
      scopes: ["functions:read"],
      organization: "acme",
      name: "deploy",
    });
    expect(again.statusCode).toBe(201);
    expect(await total()).toBe(1);
  });

  test("keys are per caller: another caller's identical key is a new request", async () => {
    const admin = await emu.createKey({ scopes: ["admin:write", "admin:read", "functions:read"] });
    await create("shared");
    const other = await create("shared", BODY, admin.key);
    expect(other.statusCode).toBe(201);
    expect(other.headers["idempotent-replayed"]).toBeUndefined();
    expect(await total()).toBe(3);
  });

  test("rotate is replayed with the same new secret, and rotates once", async () => {
    const key = (await create("c")).json();
    const first = await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: {}, idempotencyKey: "r" });
    const second = await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: {}, idempotencyKey: "r" });
    expect(second.json().key).toBe(first.json().key);
    expect((await emu.request("GET", "/functions", { key: first.json().key })).statusCode).toBe(200);
  });

  test("failed requests are not recorded: a retry runs again", async () => {
    const failed = await create("attempt-1", { ...BODY, organization: "bad org" });
    expectError(failed, 400, "invalid_request");
    const admin = await emu.createKey({ scopes: ["admin:write", "admin:read"] });
    expectError(await create("k2", BODY, admin.key), 403, "scope_escalation");
    expect((await create("attempt-1")).statusCode).toBe(201);
  });

  test("records expire after 24 hours", async () => {
    await create("attempt-1");
    emu.clock.advance(24 * HOUR - 1);
    expect((await create("attempt-1")).headers["idempotent-replayed"]).toBe("true");
    emu.clock.advance(1);
    const after = await create("attempt-1");
    expect(after.headers["idempotent-replayed"]).toBeUndefined();
    expect(await total()).toBe(2);
  });

  test("POSTs without the header are not deduplicated", async () => {
    await emu.request("POST", "/api-keys", { body: BODY });
    await emu.request("POST", "/api-keys", { body: BODY });
    expect(await total()).toBe(2);
  });
});

describe("secrets at rest", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "admindo-idem-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Every byte of the database files, and every text and blob cell of every table. */
  function everythingStored(path: string): string[] {
    const files = readdirSync(dir).map((name) => readFileSync(join(dir, name)).toString("latin1"));
    const db = new Database(path, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    const cells = tables.flatMap((table) =>
      (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).flatMap((row) =>
        Object.values(row).map((value) =>
          Buffer.isBuffer(value) ? value.toString("latin1") : String(value),
        ),
      ),
    );
    db.close();
    return [...files, ...cells];
  }

  test("neither secrets nor replayable responses are stored in clear", async () => {
    const path = join(dir, "admindo.db");
    const store = openSqliteStore(path);
    const emu = setup({ store });
    const created = await emu.request("POST", "/api-keys", { body: BODY, idempotencyKey: "idem-create-1" });
    const secret = created.json().key;
    const rotated = await emu.request("POST", `/api-keys/${created.json().id}/rotate`, {
      body: { gracePeriod: "1h" },
      idempotencyKey: "idem-rotate-1",
    });
    const newSecret = rotated.json().key;
    expect(
      (await emu.request("POST", "/api-keys", { body: BODY, idempotencyKey: "idem-create-1" })).json().key,
    ).toBe(secret);

    const stored = everythingStored(path);
    expect(stored.join("\n")).toContain("deploy"); // the inspection does see the data
    for (const needle of [secret, newSecret, secret.slice(4), "idem-create-1", "idem-rotate-1"]) {
      expect(stored.some((text) => text.includes(needle))).toBe(false);
    }
    await emu.close();
  });
});
