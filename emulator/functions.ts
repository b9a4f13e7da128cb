import type { AdminFunction } from "../client/schemas";
import { notFound } from "./errors";
import type { FunctionRecord, Store, Tenant } from "./store";
import type { FunctionRunner, FunctionSession } from "./workers";

/*
 * Functions, as the functions, workflows and events routes all use them: stored per tenant, run in
 * worker threads (workers/). The routes do HTTP; this module does functions.
 */

export function functionToWire(fn: FunctionRecord): AdminFunction {
  return {
    id: fn.id,
    name: fn.name,
    description: fn.description,
    input: fn.input,
    output: fn.output,
    code: fn.code,
    project: fn.project === "" ? null : fn.project,
    createdAt: new Date(fn.createdAt).toISOString(),
  };
}

/** A function of the request's tenant; functions of other projects or organizations do not exist for it. */
export function findFunction(store: Store, tenant: Tenant, id: string): FunctionRecord {
  const fn = store.functions.get(tenant, id);
  if (!fn) throw notFound("Function", id);
  return fn;
}

/** Runs the functions of one request in one session (one worker, one time budget), then ends it. */
export async function withSession<T>(
  runner: FunctionRunner,
  run: (session: FunctionSession) => Promise<T>,
): Promise<T> {
  const session = runner.session();
  try {
    return await run(session);
  } finally {
    session.end();
  }
}
