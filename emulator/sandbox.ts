import vm from "node:vm";
import { ApiError } from "./errors";

/**
 * Runs the `code` of a stored function with an `input`.
 *
 * NOT A SECURITY SANDBOX. node:vm separates globals, not privileges: code can escape it (e.g.
 * through constructor chains) and take over the emulator process. The emulator runs functions
 * so that the Admin.do docs' examples work locally; only run code you would run yourself.
 *
 * `code` may be
 *  - a function body that uses `input` and `return`s the output:  return { greeting: `Hi ${input.name}` }
 *  - an expression that evaluates to a function, called with the input:  (input) => input.a + 1
 *  - a script whose last expression is a function (or the output itself).
 * An async function or a returned promise is awaited as long as it settles without timers or I/O
 * (none exist in the context). Input and output cross the boundary as JSON, so the output is
 * always plain data.
 */

export const DEFAULT_TIMEOUT_MS = 1_000;

/** The first form that compiles: expression, plain script, then function body. */
function sourceFor(code: string): string {
  const candidates = [`(${code}\n)`, code, `(function (input) {\n${code}\n})`];
  for (const candidate of candidates) {
    try {
      new vm.Script(candidate);
      return candidate;
    } catch {
      // not this form; try the next
    }
  }
  throw new ApiError("execution_failed", "The function's code does not compile.");
}

/** Calls the evaluated value (if it is a function) and records its JSON result in `__result`. */
const SETTLE = `
(() => {
  const done = (value) => { globalThis.__result = JSON.stringify({ value: value === undefined ? null : value }); };
  const fail = (error) => { globalThis.__result = JSON.stringify({ error: String(error && error.message || error) }); };
  try {
    const value = typeof __value === "function" ? __value(input) : __value;
    if (value && typeof value.then === "function") value.then(done, fail);
    else done(value);
  } catch (error) {
    fail(error);
  }
})();`;

function messageOf(error: unknown): string {
  return String((error as { message?: unknown })?.message ?? error);
}

export function runFunction(code: string, input: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): unknown {
  const source = sourceFor(code);
  const context = vm.createContext(
    { __input: JSON.stringify(input ?? {}) },
    // afterEvaluate: promise jobs run inside runInContext, under the timeout.
    { microtaskMode: "afterEvaluate", codeGeneration: { strings: false, wasm: false } },
  );
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  let outcome: { value?: unknown; error?: string };
  try {
    vm.runInContext("globalThis.input = JSON.parse(__input);", context);
    context.__value = vm.runInContext(source, context, { timeout: remaining() });
    vm.runInContext(SETTLE, context, { timeout: remaining() });
    const result = context.__result as string | undefined;
    if (result === undefined) {
      throw new ApiError(
        "execution_failed",
        "The function returned a promise that never settled (timers and I/O are not available).",
      );
    }
    outcome = JSON.parse(result);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if ((error as { code?: string }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") {
      throw new ApiError("execution_failed", `The function did not finish within ${timeoutMs} ms.`);
    }
    throw new ApiError("execution_failed", `The function failed: ${messageOf(error)}`);
  }
  if (outcome.error !== undefined) {
    throw new ApiError("execution_failed", `The function threw: ${outcome.error}`);
  }
  return outcome.value;
}
