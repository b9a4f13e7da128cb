import { z } from "zod";
import { OPERATIONS, type OperationName } from "../../client/contract";
import { querySchemaFor } from "../../client/params";
import { setup } from "./helpers";

/** The emulator serves exactly the contract, with the query parameters the client sends. */

const emu = setup();
afterAll(() => emu.close());

const names = Object.keys(OPERATIONS) as OperationName[];
const shapeKeys = (schema: z.ZodType | undefined) =>
  schema instanceof z.ZodObject ? Object.keys(schema.shape).sort() : [];

test("every operation of the contract is registered, and nothing else", () => {
  expect([...emu.operations.keys()].sort()).toEqual([...names].sort());
});

test.each(names)("%s has a route at its method and path", (name) => {
  const op = OPERATIONS[name];
  expect(emu.app.hasRoute({ method: op.method, url: op.path })).toBe(true);
});

test.each(names)("%s accepts exactly the query parameters the client sends", (name) => {
  expect(shapeKeys(emu.operations.get(name))).toEqual(shapeKeys(querySchemaFor(name)));
});
