import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import type { CreateWorkflowParamsSchema, Workflow } from "../../client/schemas";
import { invalidField, notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord, Tenant } from "../store";
import { findFunction, withSession } from "../functions";

type StoredWorkflow = z.infer<typeof CreateWorkflowParamsSchema>;
const KIND = "workflow";

function toWire(doc: DocumentRecord<StoredWorkflow>): Workflow {
  return {
    id: doc.id,
    name: doc.data.name,
    description: doc.data.description ?? null,
    steps: doc.data.steps,
    project: doc.project === "" ? null : doc.project,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** Workflows: functions run in sequence, each step's output the next step's input. */
export function registerWorkflowRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const find = (tenant: Tenant, id: string) => {
    const doc = store.documents.get<StoredWorkflow>(KIND, tenant, id);
    if (!doc) throw notFound("Workflow", id);
    return doc;
  };

  defineOperation(app, services, "workflows.create", ({ tenant, body, now }) => {
    // Steps must name functions that exist now, in the same project of the same organization.
    for (const [index, step] of body.steps.entries()) {
      if (!store.functions.get(tenant, step.functionId)) {
        throw invalidField(
          ["steps", index, "functionId"],
          "no such function in this project",
          `Step ${index} names an unknown function ${step.functionId}.`,
        );
      }
    }
    const doc = { kind: KIND, ...tenant, id: newId("wf"), data: body, createdAt: now };
    store.documents.insert(doc);
    return toWire(doc);
  });

  defineOperation(app, services, "workflows.list", ({ tenant, query }) => {
    return listPage(
      query,
      ({ limit, offset }) => store.documents.list<StoredWorkflow>(KIND, tenant, limit, offset),
      toWire,
    );
  });

  defineOperation(app, services, "workflows.get", ({ tenant, params }) => toWire(find(tenant, params.id)));

  // The steps run one after another in one worker, within the request's time budget for functions.
  defineOperation(app, services, "workflows.execute", {
    prepare: async ({ tenant, params, body }) => {
      const workflow = find(tenant, params.id);
      const started = performance.now();
      let value: unknown = body;
      const steps = await withSession(services.functions, async (session) => {
        const done = [];
        for (const step of workflow.data.steps) {
          const result = await session.run(findFunction(store, tenant, step.functionId).code, value);
          value = result.output;
          done.push({ functionId: step.functionId, ...result });
        }
        return done;
      });
      return {
        workflowId: workflow.id,
        runId: newId("run"),
        status: "succeeded" as const,
        output: value,
        steps,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      };
    },
    act: (_context, run) => run,
  });
}
