import { expectError, setup, type Emulator } from "./helpers";

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
