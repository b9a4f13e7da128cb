import { OPERATIONS, type OperationName } from "../../client/contract";
import { SCOPES, serviceOf } from "../../client/schemas";
import { expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const names = Object.keys(OPERATIONS) as OperationName[];

/** A concrete URL for an operation; ids need not exist (a 404 still proves the scope check passed). */
function urlOf(path: string): string {
  return path.replace(/:resource/, "functions").replace(/:([A-Za-z]+)/g, (_, name) => `x-${name}`);
}

test("every documented scope guards at least one route", () => {
  const guarded = new Set(Object.values(OPERATIONS).map((op) => op.scope));
  expect(SCOPES.filter((scope) => !guarded.has(scope))).toEqual([]);
});

describe.each(names)("%s", (name) => {
  const op = OPERATIONS[name];

  test(`is refused with 403 insufficient_scope without ${op.scope}`, async () => {
    const key = await emu.createKey({ scopes: SCOPES.filter((scope) => scope !== op.scope) });
    const response = await emu.request(op.method, urlOf(op.path), { key: key.key, body: {} });
    expectError(response, 403, "insufficient_scope");
    expect(response.json().error.details).toEqual({ required: op.scope });
  });

  test(`passes the scope check with only ${op.scope}`, async () => {
    const key = await emu.createKey({ scopes: [op.scope] });
    const response = await emu.request(op.method, urlOf(op.path), { key: key.key, body: {} });
    expect(response.json()?.error?.code).not.toBe("insufficient_scope");
    expect(response.statusCode).not.toBe(401);
  });
});

test("each service family's read scope does not allow writing", async () => {
  const readers = ["functions", "workflows", "agents", "data", "events"].map((service) => `${service}:read`);
  const key = await emu.createKey({ scopes: readers as never });
  const writes: Array<[string, string]> = [
    ["POST", "/functions"],
    ["POST", "/workflows"],
    ["POST", "/agents"],
    ["PUT", "/data/c/k"],
    ["POST", "/events/subscriptions"],
  ];
  for (const [method, url] of writes) {
    const response = await emu.request(method, url, { key: key.key, body: {} });
    expectError(response, 403, "insufficient_scope");
    expect(serviceOf(response.json().error.details.required)).toBe(url.split("/")[1]);
  }
});
