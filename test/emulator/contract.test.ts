import { OPERATIONS, pathFor, type OperationName } from "../../client/contract";
import { encodeQuery } from "../../client/query";
import { setup } from "./helpers";

/** The emulator serves exactly the contract, reading the query parameters the client sends. */

const emu = setup();
afterAll(() => emu.close());

const names = Object.keys(OPERATIONS) as OperationName[];

test("every operation of the contract is registered, and nothing else", () => {
  expect([...emu.operations.keys()].sort()).toEqual([...names].sort());
});

test.each(names)("%s has a route at its method and path", (name) => {
  const op = OPERATIONS[name];
  expect(emu.app.hasRoute({ method: op.method, url: op.path })).toBe(true);
});

/** A value of every query field of the contract, in the caller's form. */
const SAMPLE: Record<string, unknown> = {
  limit: 5,
  offset: 1,
  organization: "acme",
  timeRange: { start: "2026-01-01T00:00:00Z", end: "2026-02-01T00:00:00Z" },
  resources: ["functions", "data"],
  groupBy: "resource",
  status: 404,
};
const PATH = { id: "key_none", resource: "functions", project: "storefront", logId: "log_none" };
const PATH_OF: Partial<Record<OperationName, Record<string, string>>> = {
  "data.list": { collection: "orders" },
  "data.get": { collection: "orders", key: "o1" },
};

const bodiless = names.filter((name) => !("body" in OPERATIONS[name]));

test.each(bodiless)("%s reads every query parameter the client encodes, and refuses others", async (name) => {
  const op = OPERATIONS[name];
  const fields = "query" in op ? Object.keys(op.query.shape) : [];
  const query = encodeQuery(Object.fromEntries(fields.map((field) => [field, SAMPLE[field]])));
  const url = pathFor(op.path, PATH_OF[name] ?? PATH);

  const read = await emu.request(op.method, query ? `${url}?${query}` : url);
  expect([200, 204, 404]).toContain(read.statusCode);

  const refused = await emu.request(op.method, `${url}?${query ? `${query}&` : ""}unknownParameter=1`);
  expect(refused.statusCode).toBe(400);
  expect(refused.json().error.details).toEqual([
    { path: "query", message: expect.stringContaining("unknownParameter") },
  ]);
});
