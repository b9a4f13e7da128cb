import { ExecutionResultSchema, FunctionPageSchema, FunctionSchema } from "../../client/schemas";
import { START, expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
let key: string;
beforeEach(async () => {
  emu = setup();
  key = (await emu.createKey({ scopes: ["functions:read", "functions:write", "functions:execute"] })).key;
});
afterEach(() => emu.close());

async function createFunction(code: string, project?: string) {
  const response = await emu.request("POST", "/functions", { key, project, body: { name: "fn", code } });
  expect(response.statusCode).toBe(201);
  return FunctionSchema.parse(response.json());
}

const execute = (id: string, input: unknown, project?: string) =>
  emu.request("POST", `/functions/${id}/execute`, { key, project, body: input });

test("the docs example: greet John", async () => {
  const created = await emu.request("POST", "/functions", {
    key,
    body: {
      name: "greet",
      description: "Greets a person",
      input: { name: "string" },
      output: { greeting: "string" },
      code: "return { greeting: `Hello, ${input.name}!` }",
    },
  });
  expect(created.statusCode).toBe(201);
  const fn = FunctionSchema.parse(created.json());
  expect(fn).toMatchObject({
    name: "greet",
    description: "Greets a person",
    input: { name: "string" },
    output: { greeting: "string" },
    project: null,
    createdAt: START.toISOString(),
  });
  expect(fn.id).toMatch(/^fn_/);

  const response = await execute(fn.id, { name: "John" });
  expect(response.statusCode).toBe(200);
  const result = ExecutionResultSchema.parse(response.json());
  expect(result).toMatchObject({ functionId: fn.id, output: { greeting: "Hello, John!" } });
  expect(result.durationMs).toBeGreaterThanOrEqual(0);
});

test.each([
  ["an arrow function", "(input) => ({ doubled: input.n * 2 })"],
  ["a function declaration", "function double(input) { return { doubled: input.n * 2 } }"],
  ["an async function", "async (input) => ({ doubled: input.n * 2 })"],
  ["a function body", "const doubled = input.n * 2;\nreturn { doubled };"],
])("runs code given as %s", async (_, code) => {
  const fn = await createFunction(code);
  expect((await execute(fn.id, { n: 21 })).json().output).toEqual({ doubled: 42 });
});

test("execute without a body runs with an empty input", async () => {
  const fn = await createFunction("return Object.keys(input).length");
  const response = await emu.request("POST", `/functions/${fn.id}/execute`, { key });
  expect(response.json().output).toBe(0);
});

test.each([
  ["throws", "throw new Error('boom')", "boom"],
  ["runs too long", "while (true) {}", "did not finish"],
  ["does not compile", "return {", "compile"],
  ["evaluates strings", "return eval('1 + 1')", "Code generation from strings disallowed"],
])("a function that %s is 422 execution_failed", async (_, code, message) => {
  const fn = await createFunction(code);
  const response = await execute(fn.id, {});
  expectError(response, 422, "execution_failed");
  expect(response.json().error.message).toContain(message);
});

test("execute of an unknown function is 404", async () => {
  expectError(await execute("fn_nope", {}), 404, "not_found");
});

test("functions live in the request's project", async () => {
  const web = await createFunction("return 'web'", "web");
  expect(web.project).toBe("web");
  expect((await execute(web.id, {}, "web")).json().output).toBe("web");
  expectError(await execute(web.id, {}, "api"), 404, "not_found");
  expectError(await execute(web.id, {}), 404, "not_found");
  expectError(await emu.request("GET", `/functions/${web.id}`, { key, project: "api" }), 404, "not_found");
});

test("list and get", async () => {
  const a = await createFunction("return 1");
  const b = await createFunction("return 2");
  const page = FunctionPageSchema.parse((await emu.request("GET", "/functions", { key })).json());
  expect(page.data.map((fn) => fn.id)).toEqual([b.id, a.id]);
  expect(page.total).toBe(2);
  expect(FunctionSchema.parse((await emu.request("GET", `/functions/${a.id}`, { key })).json())).toEqual(a);
});

test("create validates the body strictly", async () => {
  const response = await emu.request("POST", "/functions", {
    key,
    body: { name: "x", code: "1", lang: "js" },
  });
  expectError(response, 400, "invalid_request");
});
