import type { RunningEmulator } from "../../emulator";
import { ROOT_KEY } from "./helpers";
import { call, listening } from "./wire";

/**
 * Function code is untrusted. Against a listening server: code that throws from a promise nobody
 * awaits, hangs (also where the old runner read its results outside the time limit), eats
 * memory, or goes looking for the emulator's process and environment. The server must stay up,
 * keep answering other requests while a function runs, and never hand out the root key.
 */

let server: RunningEmulator;
let key: string;
beforeAll(async () => {
  process.env.ADMINDO_ROOT_KEY = ROOT_KEY;
  server = await startWithEnvKey();
  const created = await call(server, "POST", "/api-keys", {
    body: {
      name: "fn",
      organization: "acme",
      scopes: [
        "functions:write",
        "functions:execute",
        "events:write",
        "events:trigger",
        "workflows:write",
        "workflows:execute",
      ],
    },
  });
  key = created.body.key;
});
afterAll(() => server.close());

/** The root key comes from the environment, as with the CLI. */
function startWithEnvKey() {
  return listening({
    rootKey: undefined,
    functions: { functionTimeoutMs: 300, requestBudgetMs: 1_500, memoryMb: 32 },
  });
}

async function run(code: string, input: unknown = {}) {
  const fn = await call(server, "POST", "/functions", { key, body: { name: "attack", code } });
  expect(fn.status).toBe(201);
  return call(server, "POST", `/functions/${fn.body.id}/execute`, { key, body: input });
}

/** The server answers /health now and a moment later (after late rejections or exits). */
async function stillServing() {
  for (let i = 0; i < 2; i++) {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Runs `pending` while asking /health over and over: some answers must arrive before `pending`
 * is answered. Were the function on the server's thread, none could (counting, not timing, keeps
 * this steady on a busy machine).
 */
async function servesMeanwhile<T>(pending: Promise<T>): Promise<T> {
  let done = false;
  let answered = 0;
  const asking = (async () => {
    while (!done) {
      const response = await fetch(`${server.url}/health`);
      if (!done && response.status === 200) answered++;
    }
  })();
  const result = await pending;
  done = true;
  await asking;
  expect(answered).toBeGreaterThan(0);
  return result;
}

describe("exceptions never end the process", () => {
  test.each([
    ["a rejected promise nobody awaits", "Promise.reject(new Error('boom')); return 1;"],
    [
      "an un-awaited async helper that throws",
      "const helper = async () => { throw new Error('boom') }; helper(); return 1;",
    ],
    ["a rejection with a hostile reason", "Promise.reject({ get message() { for (;;) {} } }); return 1;"],
  ])("%s: 200, and the server keeps serving", async (_name, code) => {
    const response = await run(code);
    expect(response).toMatchObject({ status: 200, body: { output: 1 } });
    await stillServing();
  });
});

describe("hangs are cut off at the limit and never block the server", () => {
  test.each([
    ["a loop", "for (;;) {}"],
    [
      "an accessor on the runner's own result property, found by name",
      "const t = Object.getOwnPropertyNames(globalThis).find((n) => n.endsWith('input')).slice(0, -5); Object.defineProperty(globalThis, t + 'result', { get() { for (;;) {} }, set() {} }); return 1;",
    ],
    ["a thrown object whose message loops", "throw { get message() { for (;;) {} } }"],
    ["a thrown object whose code loops", "throw { get code() { for (;;) {} } }"],
    [
      "a thrown proxy",
      "throw new Proxy({}, { get() { for (;;) {} }, getPrototypeOf() { for (;;) {} }, has() { for (;;) {} } })",
    ],
    ["a returned thenable whose then loops", "return { get then() { for (;;) {} } }"],
    ["a promise that never settles", "return new Promise(() => {})"],
    ["JSON.stringify replaced by a loop", "JSON.stringify = () => { for (;;) {} }; return 1;"],
    ["a non-extensible global", "Object.preventExtensions(globalThis); return 1;"],
  ])("%s: 422 within the limit", async (_name, code) => {
    const started = performance.now();
    const response = await servesMeanwhile(run(code));
    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe("execution_failed");
    // Bounded (the limit, plus starting and stopping a worker), where it used to be forever.
    expect(performance.now() - started).toBeLessThan(5_000);
    await stillServing();
  });

  test("a getter where the old runner read the result outside the limit changes nothing", async () => {
    const code = "Object.defineProperty(globalThis, '__result', { get() { for (;;) {} } }); return 1;";
    const response = await servesMeanwhile(run(code));
    expect(response).toMatchObject({ status: 200, body: { output: 1 } });
    await stillServing();
  });

  test("a function that exhausts its memory is 422 and the server is unharmed", async () => {
    const response = await servesMeanwhile(
      run("const hoard = []; for (;;) hoard.push(new Array(1e5).fill(hoard.length));"),
    );
    expect(response.status).toBe(422);
    expect(response.body.error.message).toMatch(/memory|did not finish/);
    await stillServing();
  });

  test("an event with many looping subscribers ends within the request's budget", async () => {
    const fn = await call(server, "POST", "/functions", { key, body: { name: "loop", code: "for (;;) {}" } });
    for (let i = 0; i < 20; i++) {
      await call(server, "POST", "/events/subscriptions", {
        key,
        body: { event: "*", functionId: fn.body.id },
      });
    }
    const started = performance.now();
    const event = await servesMeanwhile(call(server, "POST", "/events", { key, body: { type: "tick" } }));
    expect(event.status).toBe(201);
    expect(performance.now() - started).toBeLessThan(6_000); // the 1.5 s budget, not 20 x 300 ms
    expect(event.body.deliveries).toHaveLength(20);
    expect(
      event.body.deliveries.every((delivery: { error?: string }) => typeof delivery.error === "string"),
    ).toBe(true);
    expect(event.body.deliveries.at(-1).error).toMatch(/used up its 1500 ms/);
  });

  test("a 50-step workflow of loops ends within the request's budget", async () => {
    const fn = await call(server, "POST", "/functions", { key, body: { name: "loop", code: "for (;;) {}" } });
    const steps = Array.from({ length: 50 }, () => ({ functionId: fn.body.id }));
    const workflow = await call(server, "POST", "/workflows", { key, body: { name: "w", steps } });
    const started = performance.now();
    const response = await servesMeanwhile(
      call(server, "POST", `/workflows/${workflow.body.id}/execute`, { key, body: {} }),
    );
    expect(response.status).toBe(422);
    expect(performance.now() - started).toBeLessThan(6_000);
  });
});

describe("the host's process and environment are out of reach", () => {
  test("the root key left the environment at start-up", () => {
    expect(process.env.ADMINDO_ROOT_KEY).toBeUndefined();
    expect(server.rootKey).toBe(ROOT_KEY);
  });

  test.each([
    [
      "the constructor escape",
      "return this.constructor.constructor('return process')().env.ADMINDO_ROOT_KEY",
    ],
    ["the escape through a function's constructor", "return (() => 0).constructor('return process')().env"],
    [
      "the escape through an error's stack frames",
      "Error.prepareStackTrace = (e, frames) => frames.map((f) => f.getThis && f.getThis()); const s = new Error().stack; return s.map((t) => t && t.process && t.process.env)",
    ],
    [
      "globals",
      "return [typeof process, typeof require, typeof module, typeof setTimeout, typeof fetch, typeof globalThis.process]",
    ],
  ])("%s yields nothing of the host", async (_name, code) => {
    const response = await run(code);
    expect(JSON.stringify(response.body)).not.toContain(ROOT_KEY);
    if (response.status === 200) {
      expect(JSON.stringify(response.body.output)).not.toMatch(/PATH|HOME|ADMINDO/);
    } else {
      expect(response.body.error.code).toBe("execution_failed");
    }
  });

  test("the globals a function sees are the language's own", async () => {
    const response = await run(
      "return [typeof process, typeof require, typeof setTimeout, typeof fetch, typeof Buffer]",
    );
    expect(response.body.output).toEqual(["undefined", "undefined", "undefined", "undefined", "undefined"]);
  });

  test("output is plain JSON data", async () => {
    const response = await run("return { d: new Date(0), u: undefined, f() {} }");
    expect(response.body.output).toEqual({ d: "1970-01-01T00:00:00.000Z" });
  });

  test("output nested too deeply or not well-formed is refused, not answered with a 500", async () => {
    const deep = await run("let v = 1; for (let i = 0; i < 10000; i++) v = [v]; return v;");
    expect(deep.status).toBe(422);
    expect(deep.body.error.message).toMatch(/nested more than 64 levels/);
    const surrogate = await run("return '\\ud800'");
    expect(surrogate.status).toBe(422);
    expect(surrogate.body.error.message).toMatch(/lone surrogate/);
  });
});
