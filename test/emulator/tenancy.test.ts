import { expectError, setup, type Emulator } from "./helpers";

/**
 * Everything stored belongs to an organization and a project within it. A key of another
 * organization naming the same project (or none) sees none of it: 404, as for things that do not
 * exist, never 403 (which would confirm that they do).
 */

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const EVERY_SERVICE = [
  "functions:read",
  "functions:write",
  "functions:execute",
  "workflows:read",
  "workflows:write",
  "workflows:execute",
  "agents:read",
  "agents:write",
  "agents:execute",
  "data:read",
  "data:write",
  "events:read",
  "events:write",
  "events:trigger",
] as const;

/** A key of `organization` with every service scope, bound to no project. */
async function member(organization: string) {
  const key = await emu.createKey({ organization, scopes: [...EVERY_SERVICE] });
  return (method: string, url: string, body?: unknown, project?: string) =>
    emu.request(method, url, { key: key.key, body, project });
}

/** acme's storefront: a function, a workflow, an agent, a data item, a subscription and an event. */
async function acmeStorefront() {
  const acme = await member("acme");
  const call = (method: string, url: string, body?: unknown) => acme(method, url, body, "storefront");
  const fn = (await call("POST", "/functions", { name: "f", code: "return { secret: input.data }" })).json();
  const workflow = (await call("POST", "/workflows", { name: "w", steps: [{ functionId: fn.id }] })).json();
  const agent = (await call("POST", "/agents", { name: "a", instructions: "x" })).json();
  expect((await call("PUT", "/data/orders/o1", { value: { total: 42 } })).statusCode).toBe(200);
  const subscription = (
    await call("POST", "/events/subscriptions", { event: "*", functionId: fn.id })
  ).json();
  expect((await call("POST", "/events", { type: "order.created", data: { card: "4242" } })).statusCode).toBe(
    201,
  );
  return { acme: call, fn, workflow, agent, subscription };
}

describe("another organization naming the same project", () => {
  test("gets 404 for acme's functions, workflows, agents and data, and empty lists", async () => {
    const { fn, workflow, agent } = await acmeStorefront();
    const evil = await member("evil");
    const asEvil = (method: string, url: string, body?: unknown) => evil(method, url, body, "storefront");

    for (const [method, url, body] of [
      ["GET", `/functions/${fn.id}`],
      ["POST", `/functions/${fn.id}/execute`, {}],
      ["GET", `/workflows/${workflow.id}`],
      ["POST", `/workflows/${workflow.id}/execute`, {}],
      ["GET", `/agents/${agent.id}`],
      ["POST", `/agents/${agent.id}/execute`, { message: "hi" }],
      ["GET", "/data/orders/o1"],
    ] as const) {
      expectError(await asEvil(method, url, body), 404, "not_found");
    }
    for (const url of [
      "/functions",
      "/workflows",
      "/agents",
      "/data/orders",
      "/events",
      "/events/subscriptions",
    ]) {
      expect((await asEvil("GET", url)).json()).toMatchObject({ data: [], total: 0 });
    }
  });

  test("cannot overwrite acme's data: a write lands in its own organization", async () => {
    const { acme } = await acmeStorefront();
    const evil = await member("evil");
    expect((await evil("PUT", "/data/orders/o1", { value: { total: 0 } }, "storefront")).statusCode).toBe(
      200,
    );
    expect((await acme("GET", "/data/orders/o1")).json().value).toEqual({ total: 42 });
    expect((await evil("GET", "/data/orders/o1", undefined, "storefront")).json().value).toEqual({
      total: 0,
    });
  });

  test("cannot subscribe to acme's events, with acme's function or its own", async () => {
    const { acme, fn } = await acmeStorefront();
    const evil = await member("evil");
    const asEvil = (method: string, url: string, body?: unknown) => evil(method, url, body, "storefront");
    expectError(
      await asEvil("POST", "/events/subscriptions", { event: "*", functionId: fn.id }),
      400,
      "invalid_request",
    );
    const spy = (await asEvil("POST", "/functions", { name: "spy", code: "return input" })).json();
    expect(
      (await asEvil("POST", "/events/subscriptions", { event: "*", functionId: spy.id })).statusCode,
    ).toBe(201);
    // acme's next event reaches acme's subscriber only; evil's spy never sees it.
    const event = (await acme("POST", "/events", { type: "order.created", data: { card: "4242" } })).json();
    expect(event.deliveries).toEqual([
      expect.objectContaining({ functionId: fn.id, output: { secret: { card: "4242" } } }),
    ]);
    const evilEvents = (await asEvil("GET", "/events")).json();
    expect(evilEvents.total).toBe(0);
    expect(JSON.stringify(evilEvents)).not.toContain("4242");
  });

  test("cannot build a workflow from acme's functions", async () => {
    const { fn } = await acmeStorefront();
    const evil = await member("evil");
    const response = await evil(
      "POST",
      "/workflows",
      { name: "w", steps: [{ functionId: fn.id }] },
      "storefront",
    );
    expectError(response, 400, "invalid_request");
  });
});

test("the project-less space belongs to each organization separately", async () => {
  const acme = await member("acme");
  const globex = await member("globex");
  await acme("PUT", "/data/c/k", { value: "acme" });
  await globex("PUT", "/data/c/k", { value: "globex" });
  const fn = (await acme("POST", "/functions", { name: "f", code: "return 1" })).json();
  expect((await acme("GET", "/data/c/k")).json().value).toBe("acme");
  expect((await globex("GET", "/data/c/k")).json().value).toBe("globex");
  expectError(await globex("GET", `/functions/${fn.id}`), 404, "not_found");
  expect((await globex("GET", "/functions")).json().total).toBe(0);
});

test("the root key has a space of its own, which no organization sees", async () => {
  const root = (method: string, url: string, body?: unknown) => emu.request(method, url, { body });
  const fn = (await root("POST", "/functions", { name: "f", code: "return 'root'" })).json();
  await root("PUT", "/data/c/k", { value: "root" });
  const acme = await member("acme");
  expectError(await acme("GET", `/functions/${fn.id}`), 404, "not_found");
  expectError(await acme("GET", "/data/c/k"), 404, "not_found");
  expect((await root("POST", `/functions/${fn.id}/execute`, {})).json().output).toBe("root");
});

test("a project name means a different project in each organization", async () => {
  // evil binds a key to "storefront": that is evil's storefront, and acme's stays out of reach.
  const { fn } = await acmeStorefront();
  const evilAdmin = await emu.createKey({ organization: "evil", scopes: ["admin:write", "functions:read"] });
  const bound = await emu.createKey(
    { organization: "evil", scopes: ["functions:read"], projects: ["storefront"] },
    { key: evilAdmin.key },
  );
  expect(bound.projects).toEqual(["storefront"]);
  const asBound = { key: bound.key, project: "storefront" };
  expectError(await emu.request("GET", `/functions/${fn.id}`, asBound), 404, "not_found");
  expect((await emu.request("GET", "/functions", asBound)).json().total).toBe(0);
});
