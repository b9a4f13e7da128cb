import type { FastifyInstance } from "fastify";
import { PageQuerySchema, type AdminFunction } from "../../client/schemas";
import { notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { runFunction } from "../sandbox";
import { newId } from "../secrets";
import type { FunctionRecord, Store } from "../store";

/** Project-less requests share one namespace, stored under "". */
export const ownerOf = (project: string | null) => project ?? "";

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

/** A function of the request's project; functions of other projects do not exist for it. */
export function findFunction(store: Store, project: string | null, id: string): FunctionRecord {
  const fn = store.functions.get(ownerOf(project), id);
  if (!fn) throw notFound("Function", id);
  return fn;
}

/** Runs a function and times it. */
export function execute(fn: FunctionRecord, input: unknown): { output: unknown; durationMs: number } {
  const started = performance.now();
  const output = runFunction(fn.code, input);
  return { output, durationMs: Math.round((performance.now() - started) * 1000) / 1000 };
}

/** The functions service of the Admin.do docs: store JavaScript, run it with an input. */
export function registerFunctionRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "functions.create", ({ project, body, now }) => {
    const fn: FunctionRecord = {
      id: newId("fn"),
      project: ownerOf(project),
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

  defineOperation(
    app,
    services,
    "functions.list",
    ({ project, query }) => {
      const bounds = pageBounds(query);
      const page = store.functions.list(ownerOf(project), bounds.limit, bounds.offset);
      return pageOf(page.items.map(toWire), page.total, bounds);
    },
    PageQuerySchema,
  );

  defineOperation(app, services, "functions.get", ({ project, params }) =>
    toWire(findFunction(store, project, params.id)),
  );

  defineOperation(app, services, "functions.execute", ({ project, params, body }) => {
    const fn = findFunction(store, project, params.id);
    return { functionId: fn.id, ...execute(fn, body) };
  });
}
