import type { FastifyInstance } from "fastify";
import { findFunction, functionToWire, withSession } from "../functions";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import type { RunResult } from "../workers";
import { newId } from "../secrets";
import type { FunctionRecord } from "../store";

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
    return functionToWire(fn);
  });

  defineOperation(app, services, "functions.list", ({ tenant, query }) => {
    return listPage(
      query,
      ({ limit, offset }) => store.functions.list(tenant, limit, offset),
      functionToWire,
    );
  });

  defineOperation(app, services, "functions.get", ({ tenant, params }) =>
    functionToWire(findFunction(store, tenant, params.id)),
  );

  defineOperation(app, services, "functions.execute", {
    prepare: ({ tenant, params, body }): Promise<RunResult & { id: string }> => {
      const fn = findFunction(store, tenant, params.id);
      return withSession(services.functions, async (session) => ({
        id: fn.id,
        ...(await session.run(fn.code, body)),
      }));
    },
    act: (_context, { id, output, durationMs }) => ({ functionId: id, output, durationMs }),
  });
}
