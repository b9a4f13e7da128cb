import type { RequestOptions, Requester } from "./http";
import type { CreateFunctionParams } from "./schemas";

/** `client.functions`: the calls an ordinary (non-admin) key makes, as in the Admin.do docs. */
export function functionsResource(request: Requester) {
  return {
    /** Stores a function in the project named by the `project` option (X-Admindo-Project). */
    create: (params: CreateFunctionParams, options?: RequestOptions) =>
      request("functions.create", { body: params }, options),

    /** Runs a function with `input`; resolves to `{ functionId, output, durationMs }`. */
    execute: (id: string, input: Record<string, unknown>, options?: RequestOptions) =>
      request("functions.execute", { path: { id }, body: input }, options),
  };
}

export type FunctionsResource = ReturnType<typeof functionsResource>;
