import {
  AgentReplySchema,
  AgentSchema,
  BillingSchema,
  DataItemPageSchema,
  DataItemSchema,
  EventPageSchema,
  EventSchema,
  OrganizationPageSchema,
  ProjectPageSchema,
  SubscriptionSchema,
  UserPageSchema,
  UserSchema,
  WorkflowPageSchema,
  WorkflowRunSchema,
  WorkflowSchema,
} from "../../client/schemas";
import { expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

/** A key holding every scope of one service, used in project "p". */
async function keyFor(service: string, scopes: string[]) {
  const key = await emu.createKey({ scopes: scopes.map((action) => `${service}:${action}`) as never });
  return (method: string, url: string, body?: unknown) =>
    emu.request(method, url, { key: key.key, project: "p", body });
}

/** A function of organization acme (the keys' organization), in project "p". */
async function createFunction(code: string): Promise<string> {
  const author = await emu.createKey({ scopes: ["functions:write"] });
  const response = await emu.request("POST", "/functions", {
    key: author.key,
    project: "p",
    body: { name: "f", code },
  });
  expect(response.statusCode).toBe(201);
  return response.json().id;
}

describe("workflows", () => {
  test("create, list, get, and execute chain the steps' functions", async () => {
    const call = await keyFor("workflows", ["read", "write", "execute"]);
    const double = await createFunction("return { n: input.n * 2 }");
    const inc = await createFunction("return { n: input.n + 1 }");
    const created = await call("POST", "/workflows", {
      name: "double then inc",
      steps: [{ functionId: double }, { name: "inc", functionId: inc }],
    });
    expect(created.statusCode).toBe(201);
    const workflow = WorkflowSchema.parse(created.json());
    expect(workflow.project).toBe("p");

    expect(WorkflowPageSchema.parse((await call("GET", "/workflows")).json()).data).toEqual([workflow]);
    expect(WorkflowSchema.parse((await call("GET", `/workflows/${workflow.id}`)).json())).toEqual(workflow);

    const run = await call("POST", `/workflows/${workflow.id}/execute`, { n: 5 });
    expect(run.statusCode).toBe(200);
    const result = WorkflowRunSchema.parse(run.json());
    expect(result).toMatchObject({ workflowId: workflow.id, status: "succeeded", output: { n: 11 } });
    expect(result.steps.map((step) => step.output)).toEqual([{ n: 10 }, { n: 11 }]);
  });

  test("steps must name existing functions", async () => {
    const call = await keyFor("workflows", ["write"]);
    const response = await call("POST", "/workflows", { name: "w", steps: [{ functionId: "fn_nope" }] });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details[0].path).toBe("steps.0.functionId");
  });

  test("a failing step fails the run with 422", async () => {
    const call = await keyFor("workflows", ["write", "execute"]);
    const boom = await createFunction("throw new Error('step failed')");
    const workflow = (await call("POST", "/workflows", { name: "w", steps: [{ functionId: boom }] })).json();
    expectError(await call("POST", `/workflows/${workflow.id}/execute`, {}), 422, "execution_failed");
  });
});

describe("agents", () => {
  test("create, list, get and message", async () => {
    const call = await keyFor("agents", ["read", "write", "execute"]);
    const created = await call("POST", "/agents", { name: "helper", instructions: "Be brief." });
    expect(created.statusCode).toBe(201);
    const agent = AgentSchema.parse(created.json());
    expect((await call("GET", "/agents")).json().total).toBe(1);
    expect(AgentSchema.parse((await call("GET", `/agents/${agent.id}`)).json())).toEqual(agent);
    const reply = AgentReplySchema.parse(
      (await call("POST", `/agents/${agent.id}/execute`, { message: "hi" })).json(),
    );
    expect(reply).toMatchObject({ agentId: agent.id, reply: "helper received: hi" });
  });

  test("unknown agents are 404", async () => {
    const call = await keyFor("agents", ["read"]);
    expectError(await call("GET", "/agents/agt_nope"), 404, "not_found");
  });
});

describe("data", () => {
  test("put, get and list JSON values", async () => {
    const call = await keyFor("data", ["read", "write"]);
    const put = await call("PUT", "/data/users/u1", { value: { name: "Ada", tags: ["x"] } });
    expect(put.statusCode).toBe(200);
    expect(DataItemSchema.parse(put.json())).toMatchObject({ collection: "users", key: "u1", project: "p" });
    await call("PUT", "/data/users/u1", { value: { name: "Ada Lovelace" } });
    await call("PUT", "/data/users/u0", { value: 0 });
    const item = DataItemSchema.parse((await call("GET", "/data/users/u1")).json());
    expect(item.value).toEqual({ name: "Ada Lovelace" });
    const page = DataItemPageSchema.parse((await call("GET", "/data/users")).json());
    expect(page.data.map((entry) => entry.key)).toEqual(["u0", "u1"]);
  });

  test("missing items are 404 and bad collection names 400", async () => {
    const call = await keyFor("data", ["read", "write"]);
    expectError(await call("GET", "/data/users/nobody"), 404, "not_found");
    expectError(await call("PUT", "/data/-bad/k", { value: 1 }), 400, "invalid_request");
  });

  test("data is separate per project", async () => {
    const key = await emu.createKey({ scopes: ["data:read", "data:write"] });
    await emu.request("PUT", "/data/c/k", { key: key.key, project: "one", body: { value: 1 } });
    expectError(await emu.request("GET", "/data/c/k", { key: key.key, project: "two" }), 404, "not_found");
  });
});

describe("events", () => {
  test("subscriptions route triggered events to functions", async () => {
    const call = await keyFor("events", ["read", "write", "trigger"]);
    const fn = await createFunction("return { seen: input.type, total: input.data.total }");
    const subscribed = await call("POST", "/events/subscriptions", { event: "order.*", functionId: fn });
    expect(subscribed.statusCode).toBe(201);
    const subscription = SubscriptionSchema.parse(subscribed.json());
    expect((await call("GET", "/events/subscriptions")).json().data).toEqual([subscription]);

    const triggered = await call("POST", "/events", { type: "order.created", data: { total: 3 } });
    expect(triggered.statusCode).toBe(201);
    const event = EventSchema.parse(triggered.json());
    expect(event.deliveries).toEqual([
      { subscriptionId: subscription.id, functionId: fn, output: { seen: "order.created", total: 3 } },
    ]);
    const other = EventSchema.parse((await call("POST", "/events", { type: "user.created" })).json());
    expect(other.deliveries).toEqual([]);
    expect(EventPageSchema.parse((await call("GET", "/events")).json()).total).toBe(2);
  });

  test("subscribing to an unknown function is a 400", async () => {
    const call = await keyFor("events", ["write"]);
    expectError(
      await call("POST", "/events/subscriptions", { event: "x", functionId: "fn_nope" }),
      400,
      "invalid_request",
    );
  });
});

describe("admin directory", () => {
  test("users: create and list in the caller's organization", async () => {
    const key = await emu.createKey({ scopes: ["admin:users"] });
    const created = await emu.request("POST", "/admin/users", {
      key: key.key,
      body: { email: "ada@acme.test", role: "admin" },
    });
    expect(created.statusCode).toBe(201);
    expect(UserSchema.parse(created.json())).toMatchObject({ organization: "acme", email: "ada@acme.test" });
    const again = await emu.request("POST", "/admin/users", {
      key: key.key,
      body: { email: "ADA@acme.test", role: "member" },
    });
    expectError(again, 409, "conflict");
    const page = UserPageSchema.parse((await emu.request("GET", "/admin/users", { key: key.key })).json());
    expect(page.total).toBe(1);
    const foreign = await emu.request("GET", "/admin/users?organization=globex", { key: key.key });
    expectError(foreign, 403, "organization_not_allowed");
  });

  test("the root key must name an organization", async () => {
    expectError(await emu.request("GET", "/admin/users"), 400, "invalid_request");
    expect((await emu.request("GET", "/admin/users?organization=acme")).statusCode).toBe(200);
  });

  test("organizations: all for root, own for other keys", async () => {
    const key = await emu.createKey({ scopes: ["admin:organizations"] });
    await emu.createKey({ organization: "globex" });
    const all = OrganizationPageSchema.parse((await emu.request("GET", "/admin/organizations")).json());
    expect(all.data).toEqual([
      { name: "acme", keys: 1 },
      { name: "globex", keys: 1 },
    ]);
    const own = OrganizationPageSchema.parse(
      (await emu.request("GET", "/admin/organizations", { key: key.key })).json(),
    );
    expect(own.data).toEqual([{ name: "acme", keys: 1 }]);
  });

  test("projects: those named by the organization's keys", async () => {
    const key = await emu.createKey({ scopes: ["admin:projects"] });
    await emu.createKey({ projects: ["web", "api"] });
    await emu.createKey({ projects: ["web"] });
    const page = ProjectPageSchema.parse(
      (await emu.request("GET", "/admin/projects", { key: key.key })).json(),
    );
    expect(page.data).toEqual([
      { name: "api", keys: 1 },
      { name: "web", keys: 2 },
    ]);
  });

  test("billing: this month's requests and cost by resource", async () => {
    const billing = await emu.createKey({ scopes: ["admin:billing"] });
    const worker = await emu.createKey({ scopes: ["functions:write", "functions:read"] });
    await emu.request("POST", "/functions", { key: worker.key, body: { name: "f", code: "return 1" } });
    await emu.request("GET", "/functions", { key: worker.key });
    await emu.request("GET", "/functions/fn_nope", { key: worker.key });
    const response = await emu.request("GET", "/admin/billing", { key: billing.key });
    const bill = BillingSchema.parse(response.json());
    expect(bill).toMatchObject({
      organization: "acme",
      start: "2026-03-01T00:00:00.000Z",
      currency: "USD",
      total: { requests: 3, errors: 1, cost: 0.00004 },
      byResource: [{ resource: "functions", requests: 3, errors: 1, cost: 0.00004 }],
    });
  });
});
