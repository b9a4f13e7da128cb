/*
 * The code of a function worker: a thread of its own that runs stored function code on request.
 * It is shipped to the thread as source text (`workerSource`), so `workerMain` must be
 * self-contained: no imports, only `require` of Node built-ins inside it.
 */

/** A function to run: its code, its input as JSON, and how long it may take. */
export interface Job {
  id: number;
  code: string;
  input: string;
  timeoutMs: number;
}

/**
 * The outcome: `result` is the JSON of `{ value }` or `{ error }` as computed inside the
 * function's realm; `failure` says why there is no result at all.
 */
export type JobReply =
  | { id: number; result: string }
  | { id: number; failure: "compile" | "timeout" | "unsettled" | "unreadable" | "too-large" };

/** Largest result a function may return (its JSON). */
export const MAX_RESULT_CHARS = 1024 * 1024;

/**
 * Runs in the worker. Each job gets a new context whose global is a plain object of its own realm
 * (vm.constants.DONT_CONTEXTIFY), so that nothing reachable from the function's code leads to this
 * thread's realm: the `this.constructor.constructor("return process")` escape finds the context's
 * own Function, which cannot compile strings. Nothing is read from the function's realm except
 * through property descriptors of a plain object (no getter, setter or proxy trap of the
 * function's runs outside the time limit); the thread that started the worker enforces the limit
 * again anyway, by terminating the worker.
 */
function workerMain(maxResultChars: number): void {
  const vm = require("node:vm") as typeof import("node:vm");
  const { parentPort } = require("node:worker_threads") as typeof import("node:worker_threads");
  const { randomBytes } = require("node:crypto") as typeof import("node:crypto");
  const { types } = require("node:util") as typeof import("node:util");

  // A promise the function left rejected must not end the worker between jobs.
  process.on("unhandledRejection", () => undefined);
  // Defence in depth, in case code ever reached this realm: no signals to other processes, no
  // modules, no native code, no network from here.
  for (const name of ["kill", "getBuiltinModule", "binding", "_linkedBinding", "dlopen", "abort", "chdir"]) {
    try {
      Object.defineProperty(process, name, { value: undefined, writable: false, configurable: false });
    } catch {
      // not defined on this Node version
    }
  }
  for (const name of ["fetch", "WebSocket", "EventSource", "XMLHttpRequest"]) {
    delete (globalThis as Record<string, unknown>)[name];
  }

  const isTimeout = (error: unknown) =>
    typeof error === "object" &&
    error !== null &&
    !types.isProxy(error) &&
    Object.getOwnPropertyDescriptor(error, "code")?.value === "ERR_SCRIPT_EXECUTION_TIMEOUT";

  function run(job: Job): JobReply {
    const deadline = performance.now() + job.timeoutMs;
    const remaining = () => Math.max(1, Math.floor(deadline - performance.now()));
    // Names the function cannot know in advance, for what we pass in and read out.
    const token = `__admindo_${randomBytes(8).toString("hex")}_`;
    const global = vm.createContext(vm.constants?.DONT_CONTEXTIFY ?? Object.create(null), {
      // Promise jobs run inside runInContext, under its timeout.
      microtaskMode: "afterEvaluate",
      codeGeneration: { strings: false, wasm: false },
    }) as Record<string, unknown>;
    const put = (name: string, value: unknown) =>
      Object.defineProperty(global, token + name, { value, writable: true, configurable: true });
    const inside = (source: string) => vm.runInContext(source, global, { timeout: remaining() });

    // The first form that compiles: an expression, a script, a function body.
    let script: import("node:vm").Script | undefined;
    for (const candidate of [`(${job.code}\n)`, job.code, `(function (input) {\n${job.code}\n})`]) {
      try {
        script = new vm.Script(candidate);
        break;
      } catch {
        // not this form; try the next
      }
    }
    if (!script) return { id: job.id, failure: "compile" };

    // Calls the function (or takes the value) and stores the JSON of its outcome; or, when the
    // script threw at its top level, describes what it threw. Runs in the function's realm.
    const settle = `(() => {
      const T = ${JSON.stringify(token)};
      const done = (value) => { globalThis[T + "result"] = JSON.stringify({ value: value === undefined ? null : value }); };
      const fail = (error) => {
        let message;
        try { message = String(error && error.message || error); } catch { message = "(an error that cannot be printed)"; }
        globalThis[T + "result"] = JSON.stringify({ error: message });
      };
      if (T + "thrown" in globalThis) return fail(globalThis[T + "thrown"]);
      try {
        const value = globalThis[T + "value"];
        const output = typeof value === "function" ? value(globalThis.input) : value;
        if (output && typeof output.then === "function") output.then(done, fail);
        else done(output);
      } catch (error) {
        fail(error);
      }
    })();`;
    // Only values of the function's realm may go in: an object of this realm (a function, an
    // error this thread raised) would lead its code back here, to this realm's Function.
    try {
      put("input", job.input);
      inside(`globalThis.input = JSON.parse(globalThis[${JSON.stringify(`${token}input`)}]);`);
    } catch (error) {
      return { id: job.id, failure: isTimeout(error) ? "timeout" : "unreadable" };
    }
    let value: unknown;
    let thrown: { value: unknown } | undefined;
    try {
      value = script.runInContext(global, { timeout: remaining() });
    } catch (error) {
      if (isTimeout(error)) return { id: job.id, failure: "timeout" };
      thrown = { value: error };
    }
    try {
      if (thrown) put("thrown", thrown.value);
      else put("value", value);
      inside(settle);
    } catch (error) {
      return { id: job.id, failure: isTimeout(error) ? "timeout" : "unreadable" };
    }
    const result = Object.getOwnPropertyDescriptor(global, `${token}result`);
    if (!result) return { id: job.id, failure: "unsettled" };
    if (!("value" in result) || typeof result.value !== "string")
      return { id: job.id, failure: "unreadable" };
    if (result.value.length > maxResultChars) return { id: job.id, failure: "too-large" };
    return { id: job.id, result: result.value };
  }

  parentPort!.on("message", (job: Job) => parentPort!.postMessage(run(job)));
}

/** The worker's source: `workerMain` called with its settings. */
export function workerSource(): string {
  return `(${workerMain.toString()})(${MAX_RESULT_CHARS});`;
}
