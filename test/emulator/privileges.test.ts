import { START, expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const ADMIN = ["admin:read", "admin:write"] as const;

describe("scope escalation", () => {
  test("a key cannot create a key with scopes it does not hold", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "functions:read"] });
    const response = await emu.request("POST", "/api-keys", {
      key: admin.key,
      body: {
        name: "k",
        organization: "acme",
        scopes: ["functions:read", "functions:write", "admin:billing"],
      },
    });
    expectError(response, 403, "scope_escalation");
    expect(response.json().error.details).toEqual({ scopes: ["functions:write", "admin:billing"] });
    expect((await emu.request("GET", "/api-keys?organization=acme")).json().total).toBe(1);
  });

  test("a key can create a key with a subset of its scopes", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "functions:read"] });
    const created = await emu.createKey({ scopes: ["functions:read"] }, { key: admin.key });
    expect(created.scopes).toEqual(["functions:read"]);
  });

  test("a key cannot update a key to hold scopes it does not hold", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "data:read"] });
    const target = await emu.createKey({ scopes: ["data:read"] }, { key: admin.key });
    const response = await emu.request("PATCH", `/api-keys/${target.id}`, {
      key: admin.key,
      body: { scopes: ["data:read", "data:write"] },
    });
    expectError(response, 403, "scope_escalation");
    expect(response.json().error.details).toEqual({ scopes: ["data:write"] });
  });

  test("a key cannot rotate a more powerful key and so learn its secret", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN] });
    const strong = await emu.createKey({ scopes: [...ADMIN, "admin:billing"] });
    const response = await emu.request("POST", `/api-keys/${strong.id}/rotate`, { key: admin.key, body: {} });
    expectError(response, 403, "scope_escalation");
    expect(response.body).not.toMatch(/adk_/);
  });

  test("a key cannot loosen the restrictions of a more powerful key", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN] });
    const strong = await emu.createKey({
      scopes: [...ADMIN, "data:write"],
      restrictions: { ipAddresses: ["10.0.0.0/8"] },
    });
    const response = await emu.request("PUT", `/api-keys/${strong.id}/restrictions`, {
      key: admin.key,
      body: {},
    });
    expectError(response, 403, "scope_escalation");
  });

  test("a key can rotate itself", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN] });
    const response = await emu.request("POST", `/api-keys/${admin.id}/rotate`, { key: admin.key, body: {} });
    expect(response.statusCode).toBe(200);
  });
});

describe("projects", () => {
  test("a project-bound key can only grant its own projects", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "functions:read"], projects: ["web", "api"] });
    const ok = await emu.request("POST", "/api-keys", {
      key: admin.key,
      project: "web",
      body: { name: "k", organization: "acme", scopes: ["functions:read"], projects: ["web"] },
    });
    expect(ok.statusCode).toBe(201);

    const outside = await emu.request("POST", "/api-keys", {
      key: admin.key,
      project: "web",
      body: { name: "k", organization: "acme", scopes: ["functions:read"], projects: ["web", "billing"] },
    });
    expectError(outside, 403, "project_not_allowed");
    expect(outside.json().error.details).toEqual({ projects: ["billing"] });
  });

  test("a project-bound key cannot create an unbound key (one for every project)", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "functions:read"], projects: ["web"] });
    const response = await emu.request("POST", "/api-keys", {
      key: admin.key,
      project: "web",
      body: { name: "k", organization: "acme", scopes: ["functions:read"] },
    });
    expectError(response, 403, "project_not_allowed");
  });

  test("a project-bound key cannot manage keys of other projects", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "functions:read"], projects: ["web"] });
    const other = await emu.createKey({ scopes: ["functions:read"], projects: ["api"] });
    const response = await emu.request("POST", `/api-keys/${other.id}/revoke`, {
      key: admin.key,
      project: "web",
      body: { reason: "x" },
    });
    expectError(response, 403, "project_not_allowed");
  });
});

describe("organizations", () => {
  test("a key creates keys in its own organization only", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "data:read"] });
    const response = await emu.request("POST", "/api-keys", {
      key: admin.key,
      body: { name: "k", organization: "globex", scopes: ["data:read"] },
    });
    expectError(response, 403, "organization_not_allowed");
  });

  test("a key cannot read, change or delete keys of another organization", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "data:read"] });
    const foreign = await emu.createKey({ organization: "globex", scopes: ["data:read"] });
    const attempts: Array<[string, string, unknown?]> = [
      ["GET", `/api-keys/${foreign.id}`],
      ["PATCH", `/api-keys/${foreign.id}`, { name: "mine" }],
      ["DELETE", `/api-keys/${foreign.id}`],
      ["POST", `/api-keys/${foreign.id}/revoke`, { reason: "x" }],
      ["POST", `/api-keys/${foreign.id}/rotate`, {}],
      ["PUT", `/api-keys/${foreign.id}/restrictions`, {}],
      ["GET", `/api-keys/${foreign.id}/usage`],
      ["GET", `/api-keys/${foreign.id}/logs`],
      ["GET", "/api-keys?organization=globex"],
    ];
    for (const [method, url, body] of attempts) {
      expectError(await emu.request(method, url, { key: admin.key, body }), 403, "organization_not_allowed");
    }
    expect((await emu.request("GET", `/api-keys/${foreign.id}`)).json().name).toBe("test key");
  });

  test("the root key acts in any organization", async () => {
    const a = await emu.createKey({ organization: "acme" });
    const b = await emu.createKey({ organization: "globex" });
    expect((await emu.request("GET", `/api-keys/${a.id}`)).statusCode).toBe(200);
    expect((await emu.request("GET", `/api-keys/${b.id}`)).statusCode).toBe(200);
  });
});

describe("restrictions and lifetime are privileges too", () => {
  const HOUR = 3_600_000;
  const inHours = (hours: number) => new Date(START.getTime() + hours * HOUR).toISOString();
  /** An admin key limited by IP, rate, time window and expiry, used from inside its network. */
  async function restrictedAdmin() {
    const admin = await emu.createKey({
      scopes: [...ADMIN, "data:read"],
      restrictions: {
        ipAddresses: ["10.0.0.0/8"],
        rateLimit: { requests: 100, period: "minute" },
        timeRestrictions: { hoursOfDay: [9, 10, 11, 12] },
      },
      expiresAt: inHours(24),
    });
    const as = (method: string, url: string, body?: unknown) =>
      emu.request(method, url, { key: admin.key, ip: "10.1.2.3", body });
    return { admin, as };
  }
  const narrow = {
    ipAddresses: ["10.1.0.0/16"],
    rateLimit: { requests: 10, period: "minute" as const },
    timeRestrictions: { hoursOfDay: [10] },
  };

  test("a restricted key cannot lift its own restrictions or expiry", async () => {
    const { admin, as } = await restrictedAdmin();
    const lifted = await as("PUT", `/api-keys/${admin.id}/restrictions`, {});
    expectError(lifted, 403, "scope_escalation");
    expect(lifted.json().error.details).toEqual({
      restrictions: ["ipAddresses", "rateLimit", "timeRestrictions"],
    });
    expectError(await as("PATCH", `/api-keys/${admin.id}`, { restrictions: {} }), 403, "scope_escalation");
    const forever = await as("PATCH", `/api-keys/${admin.id}`, { expiresAt: null });
    expectError(forever, 403, "scope_escalation");
    expect(forever.json().error.details).toEqual({ expiresAt: inHours(24) });
    expectError(
      await as("PATCH", `/api-keys/${admin.id}`, { expiresAt: inHours(48) }),
      403,
      "scope_escalation",
    );
    const key = (await emu.request("GET", `/api-keys/${admin.id}`)).json();
    expect(key.restrictions.ipAddresses).toEqual(["10.0.0.0/8"]);
    expect(key.expiresAt).toBe(inHours(24));
  });

  test("a restricted key cannot mint an unrestricted or never-expiring key, only one within its own bounds", async () => {
    const { as } = await restrictedAdmin();
    const body = { name: "k", organization: "acme", scopes: ["data:read"] };
    expectError(await as("POST", "/api-keys", { ...body, expiresAt: inHours(1) }), 403, "scope_escalation");
    expectError(await as("POST", "/api-keys", { ...body, restrictions: narrow }), 403, "scope_escalation");
    expectError(
      await as("POST", "/api-keys", {
        ...body,
        restrictions: { ...narrow, ipAddresses: ["0.0.0.0/0"] },
        expiresAt: inHours(1),
      }),
      403,
      "scope_escalation",
    );
    const ok = await as("POST", "/api-keys", { ...body, restrictions: narrow, expiresAt: inHours(1) });
    expect(ok.statusCode).toBe(201);
  });

  test("a restricted key cannot revive an expired peer, nor manage a looser one", async () => {
    const { as } = await restrictedAdmin();
    const peer = await emu.createKey({ scopes: ["data:read"], expiresAt: inHours(1) });
    emu.clock.advance(2 * HOUR);
    expectError(await as("PATCH", `/api-keys/${peer.id}`, { expiresAt: null }), 403, "scope_escalation");
    expect((await emu.request("GET", `/api-keys/${peer.id}`)).json().status).toBe("expired");
    const open = await emu.createKey({ scopes: ["data:read"] });
    expectError(await as("POST", `/api-keys/${open.id}/rotate`, {}), 403, "scope_escalation");
  });

  test("a key without restrictions may still set any, and the root key anything", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "data:read"] });
    const made = await emu.createKey({ scopes: ["data:read"], restrictions: narrow }, { key: admin.key });
    const lifted = await emu.request("PUT", `/api-keys/${made.id}/restrictions`, {
      key: admin.key,
      body: {},
    });
    expect(lifted.statusCode).toBe(200);
  });
});

describe("a secret in its grace period", () => {
  async function rotatedAdmin() {
    const admin = await emu.createKey({ scopes: [...ADMIN, "data:read"] });
    const rotated = await emu.request("POST", `/api-keys/${admin.id}/rotate`, {
      key: admin.key,
      body: { gracePeriod: "1h" },
    });
    return { admin, old: admin.key, fresh: rotated.json().key as string };
  }

  test("cannot rotate, revoke, change or delete its own key; the new secret can", async () => {
    const { admin, old, fresh } = await rotatedAdmin();
    for (const [method, url, body] of [
      ["POST", `/api-keys/${admin.id}/rotate`, {}],
      ["POST", `/api-keys/${admin.id}/revoke`, { reason: "x" }],
      ["PATCH", `/api-keys/${admin.id}`, { name: "mine" }],
      ["PUT", `/api-keys/${admin.id}/restrictions`, { ipAddresses: ["192.0.2.1"] }],
      ["DELETE", `/api-keys/${admin.id}`],
    ] as const) {
      const response = await emu.request(method, url, { key: old, body });
      expectError(response, 403, "insufficient_scope");
      expect(response.json().error.details).toEqual({ reason: "replaced_secret" });
    }
    // The owner's new secret still works: the old one changed nothing.
    expect((await emu.request("GET", "/api-keys", { key: fresh })).statusCode).toBe(200);
    expect(
      (await emu.request("POST", `/api-keys/${admin.id}/rotate`, { key: fresh, body: {} })).statusCode,
    ).toBe(200);
  });

  test("still works for ordinary calls, and what it mints expires with its grace period", async () => {
    const { old } = await rotatedAdmin();
    expect((await emu.request("GET", "/api-keys", { key: old })).statusCode).toBe(200);
    const body = { name: "k", organization: "acme", scopes: ["data:read"] };
    expectError(await emu.request("POST", "/api-keys", { key: old, body }), 403, "scope_escalation");
    const within = new Date(START.getTime() + 30 * 60_000).toISOString();
    const made = await emu.request("POST", "/api-keys", { key: old, body: { ...body, expiresAt: within } });
    expect(made.statusCode).toBe(201);
  });
});

describe("what a project-bound admin key sees", () => {
  test("keys bound within its projects only, in lists and by id, like the projects list", async () => {
    const admin = await emu.createKey({ scopes: [...ADMIN, "admin:projects"], projects: ["web", "api"] });
    const web = await emu.createKey({ scopes: ["data:read"], projects: ["web"] });
    const both = await emu.createKey({ scopes: ["data:read"], projects: ["web", "api"] });
    const billing = await emu.createKey({ scopes: ["data:read"], projects: ["billing"] });
    const mixed = await emu.createKey({ scopes: ["data:read"], projects: ["web", "billing"] });
    const unbound = await emu.createKey({
      scopes: [...ADMIN],
      restrictions: { ipAddresses: ["10.0.0.0/8"] },
    });
    const as = { key: admin.key, project: "web" };

    const listed = (await emu.request("GET", "/api-keys?limit=100", as)).json();
    expect(listed.data.map((key: { id: string }) => key.id).sort()).toEqual(
      [admin.id, web.id, both.id].sort(),
    );
    expect(listed.total).toBe(3);
    for (const hidden of [billing, mixed, unbound]) {
      expectError(await emu.request("GET", `/api-keys/${hidden.id}`, as), 403, "project_not_allowed");
      expectError(await emu.request("GET", `/api-keys/${hidden.id}/logs`, as), 403, "project_not_allowed");
    }
    expect((await emu.request("GET", `/api-keys/${web.id}`, as)).statusCode).toBe(200);
    const projects = (await emu.request("GET", "/admin/projects", as)).json();
    expect(projects.data.map((project: { name: string }) => project.name)).toEqual(["api", "web"]);
  });
});
