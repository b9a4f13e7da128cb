import { ApiKeyPageSchema, ApiKeySchema, ApiKeyWithSecretSchema } from "../../client/schemas";
import { ROOT_KEY, START, expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const HOUR = 3_600_000;

describe("create", () => {
  test("returns 201 with the key record and its secret, shown this once", async () => {
    const response = await emu.request("POST", "/api-keys", {
      body: {
        name: "ci deploy",
        description: "used by CI",
        organization: "acme",
        scopes: ["functions:read", "functions:execute"],
        projects: ["web"],
        expiresAt: "2026-06-01T00:00:00Z",
        restrictions: { ipAddresses: ["192.168.1.1/24"], rateLimit: { requests: 10, period: "minute" } },
      },
    });
    expect(response.statusCode).toBe(201);
    const key = ApiKeyWithSecretSchema.parse(response.json());
    expect(key).toMatchObject({
      name: "ci deploy",
      description: "used by CI",
      organization: "acme",
      scopes: ["functions:read", "functions:execute"],
      projects: ["web"],
      status: "active",
      expiresAt: "2026-06-01T00:00:00.000Z",
      createdAt: START.toISOString(),
      revokedAt: null,
      lastUsedAt: null,
      previousKeyExpiresAt: null,
      restrictions: { ipAddresses: ["192.168.1.1/24"], rateLimit: { requests: 10, period: "minute" } },
    });
    expect(key.id).toMatch(/^key_[A-Za-z0-9]{20}$/);
    expect(key.key).toMatch(/^adk_[A-Za-z0-9]{32}$/);
    expect(key.prefix).toBe(key.key.slice(0, 10));
    expect(key.lastFour).toBe(key.key.slice(-4));
  });

  test("every key gets its own id and secret", async () => {
    const a = await emu.createKey();
    const b = await emu.createKey();
    expect(a.id).not.toBe(b.id);
    expect(a.key).not.toBe(b.key);
  });

  test("rejects an expiry in the past", async () => {
    const response = await emu.request("POST", "/api-keys", {
      body: { name: "k", organization: "acme", scopes: ["data:read"], expiresAt: "2026-03-01T00:00:00Z" },
    });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details).toEqual([{ path: "expiresAt", message: "must be in the future" }]);
  });
});

describe("list and get", () => {
  test("get returns the key without its secret", async () => {
    const created = await emu.createKey();
    const response = await emu.request("GET", `/api-keys/${created.id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).not.toHaveProperty("key");
    expect(JSON.stringify(body)).not.toContain(created.key);
    const { key: _secret, ...withoutSecret } = created;
    expect(ApiKeySchema.parse(body)).toEqual(withoutSecret);
  });

  test("get of an unknown id is 404", async () => {
    expectError(await emu.request("GET", "/api-keys/key_doesnotexist"), 404, "not_found");
  });

  test("the root key is not an API key resource", async () => {
    expectError(await emu.request("GET", `/api-keys/${emu.rootKeyId}`), 404, "not_found");
  });

  test("lists one organization's keys newest first, paginated, never with secrets", async () => {
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await emu.createKey({ name: `k${i}` }));
    await emu.createKey({ organization: "other" });

    const first = await emu.request("GET", "/api-keys?organization=acme&limit=2");
    expect(first.statusCode).toBe(200);
    const page = ApiKeyPageSchema.parse(first.json());
    expect(page.data.map((key) => key.name)).toEqual(["k4", "k3"]);
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 0, hasMore: true });

    const last = ApiKeyPageSchema.parse(
      (await emu.request("GET", "/api-keys?organization=acme&limit=2&offset=4")).json(),
    );
    expect(last.data.map((key) => key.name)).toEqual(["k0"]);
    expect(last.hasMore).toBe(false);
    for (const key of created) expect(first.body + JSON.stringify(last)).not.toContain(key.key);
  });

  test("the root key lists every organization when none is named", async () => {
    await emu.createKey({ organization: "acme" });
    await emu.createKey({ organization: "globex" });
    const page = (await emu.request("GET", "/api-keys")).json();
    expect(page.total).toBe(2);
    expect(page.data.map((key: { organization: string }) => key.organization).sort()).toEqual([
      "acme",
      "globex",
    ]);
  });

  test("a non-root key lists its own organization by default", async () => {
    const admin = await emu.createKey({ scopes: ["admin:read"] });
    await emu.createKey({ organization: "globex" });
    const page = (await emu.request("GET", "/api-keys", { key: admin.key })).json();
    expect(page.data.map((key: { id: string }) => key.id)).toEqual([admin.id]);
  });
});

describe("update", () => {
  test("changes only the fields given", async () => {
    const key = await emu.createKey({ description: "before", scopes: ["data:read"] });
    emu.clock.advance(1000);
    const response = await emu.request("PATCH", `/api-keys/${key.id}`, {
      body: { name: "renamed", scopes: ["data:read", "data:write"] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: "renamed",
      description: "before",
      scopes: ["data:read", "data:write"],
      createdAt: START.toISOString(),
      updatedAt: new Date(START.getTime() + 1000).toISOString(),
    });
    expect(response.json()).not.toHaveProperty("key");
  });

  test("expiresAt null removes the expiry", async () => {
    const key = await emu.createKey({ expiresAt: "2026-04-01T00:00:00Z" });
    const response = await emu.request("PATCH", `/api-keys/${key.id}`, { body: { expiresAt: null } });
    expect(response.json().expiresAt).toBeNull();
  });

  test("scopes and projects are stored without duplicates", async () => {
    const key = await emu.createKey();
    const response = await emu.request("PATCH", `/api-keys/${key.id}`, {
      body: { scopes: ["data:read", "data:read"], projects: ["a", "a", "b"] },
    });
    expect(response.json()).toMatchObject({ scopes: ["data:read"], projects: ["a", "b"] });
  });

  test("of an unknown key is 404", async () => {
    expectError(await emu.request("PATCH", "/api-keys/key_nope", { body: { name: "x" } }), 404, "not_found");
  });

  test("of a revoked key is a 409 conflict", async () => {
    const key = await emu.createKey();
    await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "leaked" } });
    expectError(await emu.request("PATCH", `/api-keys/${key.id}`, { body: { name: "x" } }), 409, "conflict");
  });
});

describe("delete", () => {
  test("answers 204, then the key is gone and its secret stops working", async () => {
    const key = await emu.createKey();
    const response = await emu.request("DELETE", `/api-keys/${key.id}`);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");
    expectError(await emu.request("GET", `/api-keys/${key.id}`), 404, "not_found");
    expectError(await emu.request("GET", "/functions", { key: key.key }), 401, "unauthenticated");
  });

  test("of an unknown key is 404", async () => {
    expectError(await emu.request("DELETE", "/api-keys/key_nope"), 404, "not_found");
  });
});

describe("revoke", () => {
  test("stops the key at once and keeps the record with its reason", async () => {
    const key = await emu.createKey();
    emu.clock.advance(5000);
    const response = await emu.request("POST", `/api-keys/${key.id}/revoke`, {
      body: { reason: "leaked in a log" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: "revoked",
      revokedReason: "leaked in a log",
      revokedAt: new Date(START.getTime() + 5000).toISOString(),
    });
    expectError(await emu.request("GET", "/functions", { key: key.key }), 403, "key_revoked");
    expect((await emu.request("GET", `/api-keys/${key.id}`)).json().status).toBe("revoked");
  });

  test("revoking twice succeeds and keeps the first time and reason", async () => {
    const key = await emu.createKey();
    const first = (
      await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "first" } })
    ).json();
    emu.clock.advance(60_000);
    const second = await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "second" } });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ revokedReason: "first", revokedAt: first.revokedAt });
  });

  test("requires a reason", async () => {
    const key = await emu.createKey();
    const response = await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: {} });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details[0].path).toBe("reason");
  });

  test("of an unknown key is 404", async () => {
    expectError(
      await emu.request("POST", "/api-keys/key_nope/revoke", { body: { reason: "x" } }),
      404,
      "not_found",
    );
  });
});

describe("rotate", () => {
  test("issues a new secret for the same id; the old one stops at once without a grace period", async () => {
    const key = await emu.createKey();
    const response = await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: {} });
    expect(response.statusCode).toBe(200);
    const rotated = ApiKeyWithSecretSchema.parse(response.json());
    expect(rotated.id).toBe(key.id);
    expect(rotated.key).not.toBe(key.key);
    expect(rotated.prefix).toBe(rotated.key.slice(0, 10));
    expect(rotated.lastFour).toBe(rotated.key.slice(-4));
    expect(rotated.previousKeyExpiresAt).toBeNull();
    expectError(await emu.request("GET", "/functions", { key: key.key }), 401, "unauthenticated");
    expect((await emu.request("GET", "/functions", { key: rotated.key })).statusCode).toBe(200);
  });

  test("accepts a request without a body", async () => {
    const key = await emu.createKey();
    const response = await emu.request("POST", `/api-keys/${key.id}/rotate`);
    expect(response.statusCode).toBe(200);
  });

  test("keeps the old secret working during the grace period, and only then", async () => {
    const key = await emu.createKey();
    const rotated = (
      await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } })
    ).json();
    expect(rotated.previousKeyExpiresAt).toBe(new Date(START.getTime() + HOUR).toISOString());

    emu.clock.advance(HOUR - 1);
    expect((await emu.request("GET", "/functions", { key: key.key })).statusCode).toBe(200);
    expect((await emu.request("GET", "/functions", { key: rotated.key })).statusCode).toBe(200);

    emu.clock.advance(1);
    expectError(await emu.request("GET", "/functions", { key: key.key }), 401, "unauthenticated");
    expect((await emu.request("GET", "/functions", { key: rotated.key })).statusCode).toBe(200);
  });

  test("rotating again ends the previous grace period", async () => {
    const key = await emu.createKey();
    const second = (
      await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } })
    ).json();
    await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { gracePeriod: "1h" } });
    expectError(await emu.request("GET", "/functions", { key: key.key }), 401, "unauthenticated");
    expect((await emu.request("GET", "/functions", { key: second.key })).statusCode).toBe(200);
  });

  test("can set a new expiry", async () => {
    const key = await emu.createKey({ expiresAt: "2026-03-03T00:00:00Z" });
    const rotated = (
      await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: { expiresAt: "2026-09-01T00:00:00Z" } })
    ).json();
    expect(rotated.expiresAt).toBe("2026-09-01T00:00:00.000Z");
  });

  test("of a revoked key is a 409 conflict", async () => {
    const key = await emu.createKey();
    await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "x" } });
    expectError(await emu.request("POST", `/api-keys/${key.id}/rotate`, { body: {} }), 409, "conflict");
  });
});

describe("restrictions", () => {
  test("PUT replaces all restrictions", async () => {
    const key = await emu.createKey({
      restrictions: { ipAddresses: ["10.0.0.0/8"], referrers: ["example.com"] },
    });
    const response = await emu.request("PUT", `/api-keys/${key.id}/restrictions`, {
      body: { rateLimit: { requests: 5, period: "second" } },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().restrictions).toEqual({ rateLimit: { requests: 5, period: "second" } });
  });

  test("an empty object removes every restriction", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["10.0.0.0/8"] } });
    const response = await emu.request("PUT", `/api-keys/${key.id}/restrictions`, { body: {} });
    expect(response.json().restrictions).toEqual({});
  });
});

describe("status", () => {
  test("becomes expired when the clock passes expiresAt", async () => {
    const key = await emu.createKey({ expiresAt: new Date(START.getTime() + HOUR).toISOString() });
    expect((await emu.request("GET", `/api-keys/${key.id}`)).json().status).toBe("active");
    emu.clock.advance(HOUR);
    expect((await emu.request("GET", `/api-keys/${key.id}`)).json().status).toBe("expired");
  });

  test("lastUsedAt records the last authenticated request", async () => {
    const key = await emu.createKey();
    emu.clock.advance(42_000);
    await emu.request("GET", "/functions", { key: key.key });
    expect((await emu.request("GET", `/api-keys/${key.id}`)).json().lastUsedAt).toBe(
      new Date(START.getTime() + 42_000).toISOString(),
    );
  });

  test("root key requests work with the configured secret", async () => {
    expect((await emu.request("GET", "/api-keys", { key: ROOT_KEY })).statusCode).toBe(200);
  });
});
