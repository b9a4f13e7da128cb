import { harness } from "./helpers";

const fn = {
  id: "fn_1",
  name: "greet",
  description: null,
  input: { name: "string" },
  output: { greeting: "string" },
  code: "return { greeting: `Hello, ${input.name}!` }",
  project: "web",
  createdAt: "2026-01-01T00:00:00Z",
};

describe("functions", () => {
  it("create POSTs the function in the project named by the project option", async () => {
    const h = harness();
    h.reply("POST", "/functions", 201, fn);
    const created = await h.client.functions.create(
      { name: "greet", input: { name: "string" }, output: { greeting: "string" }, code: fn.code },
      { project: "web" },
    );
    expect(created).toEqual(fn);
    expect(h.seen[0]).toMatchObject({
      method: "POST",
      path: "/functions",
      body: { name: "greet", input: { name: "string" }, output: { greeting: "string" }, code: fn.code },
    });
    expect(h.seen[0].headers["x-admindo-project"]).toBe("web");
    expect(h.seen[0].headers["idempotency-key"]).toBeDefined();
  });

  it("execute POSTs the input as the body and returns the output", async () => {
    const h = harness();
    h.reply("POST", "/functions/fn%2F1/execute", 200, {
      functionId: "fn/1",
      output: { greeting: "Hello, John!" },
      durationMs: 1.5,
    });
    const result = await h.client.functions.execute("fn/1", { name: "John" });
    expect(result.output).toEqual({ greeting: "Hello, John!" });
    expect(h.seen[0].body).toEqual({ name: "John" });
  });

  it("rejects a function without code before sending", async () => {
    const h = harness();
    await expect(h.client.functions.create({ name: "greet", code: "" })).rejects.toMatchObject({
      code: "validation_failed",
    });
    expect(h.seen).toHaveLength(0);
  });
});
