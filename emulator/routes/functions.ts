import type { FastifyInstance } from "fastify";
import type { AdminFunction } from "../../client/schemas";
import { notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import type { FunctionSession, RunResult } from "../workers";
import { newId } from "../secrets";
import type { FunctionRecord, Store, Tenant } from "../store";

function toWire(fn: FunctionRecord): AdminFunction {
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
export async function withSession<T>(services: Services, run: (session: FunctionSession) => Promise<T>) {
  const session = services.functions.session();
  try {
    return await run(session);
  } finally {
    session.end();
  }
}

/** The functions service of the Admin.do docs: store JavaScript, run it with an input. */
export function registerFunctionRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "functions.create", ({ tenant, body, now }) => {
    const fn: FunctionRecord = {
      id: newId("fn"),
      ...tenant,
      name: body.name,
      description: body.description ?? null,
      input: body.input ?? null,
      output: body.output ?? null,
      code: body.code,
      createdAt: now,
    };
    store.functions.insert(fn);
    return toWire(fn);
  });

  defineOperation(app, services, "functions.list", ({ tenant, query }) => {
    const bounds = pageBounds(query);
    const page = store.functions.list(tenant, bounds.limit, bounds.offset);
    return pageOf(page.items.map(toWire), page.total, bounds);
  });

  defineOperation(app, services, "functions.get", ({ tenant, params }) =>
    toWire(findFunction(store, tenant, params.id)),
  );

  defineOperation(app, services, "functions.execute", {
    prepare: ({ tenant, params, body }): Promise<RunResult & { id: string }> => {
      const fn = findFunction(store, tenant, params.id);
      return withSession(services, async (session) => ({ id: fn.id, ...(await session.run(fn.code, body)) }));
    },
    act: (_context, { id, output, durationMs }) => ({ functionId: id, output, durationMs }),
  });
}
