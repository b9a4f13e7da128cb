import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { PageQuerySchema, type CreateWorkflowParamsSchema, type Workflow } from "../../client/schemas";
import { ApiError, notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord } from "../store";
import { execute, findFunction, ownerOf } from "./functions";

type StoredWorkflow = z.infer<typeof CreateWorkflowParamsSchema>;
const KIND = "workflow";

function toWire(doc: DocumentRecord<StoredWorkflow>): Workflow {
  return {
    id: doc.id,
    name: doc.data.name,
    description: doc.data.description ?? null,
    steps: doc.data.steps,
    project: doc.owner === "" ? null : doc.owner,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** Workflows: functions run in sequence, each step's output the next step's input. */
export function registerWorkflowRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const find = (project: string | null, id: string) => {
    const doc = store.documents.get<StoredWorkflow>(KIND, ownerOf(project), id);
    if (!doc) throw notFound("Workflow", id);
    return doc;
  };

  defineOperation(app, services, "workflows.create", ({ project, body, now }) => {
    // Steps must name functions that exist now, in the same project.
    for (const [index, step] of body.steps.entries()) {
      if (!store.functions.get(ownerOf(project), step.functionId)) {
        throw new ApiError("invalid_request", `Step ${index} names an unknown function ${step.functionId}.`, [
          { path: `steps.${index}.functionId`, message: "no such function in this project" },
        ]);
      }
    }
    const doc = { kind: KIND, owner: ownerOf(project), id: newId("wf"), data: body, createdAt: now };
    store.documents.insert(doc);
    return toWire(doc);
  });

  defineOperation(
    app,
    services,
    "workflows.list",
    ({ project, query }) => {
      const bounds = pageBounds(query);
      const page = store.documents.list<StoredWorkflow>(KIND, ownerOf(project), bounds.limit, bounds.offset);
      return pageOf(page.items.map(toWire), page.total, bounds);
    },
    PageQuerySchema,
  );

  defineOperation(app, services, "workflows.get", ({ project, params }) => toWire(find(project, params.id)));

  defineOperation(app, services, "workflows.execute", ({ project, params, body }) => {
    const workflow = find(project, params.id);
    const started = performance.now();
    let value: unknown = body;
    const steps = workflow.data.steps.map((step) => {
      const result = execute(findFunction(store, project, step.functionId), value);
      value = result.output;
      return { functionId: step.functionId, ...result };
    });
    return {
      workflowId: workflow.id,
      runId: newId("run"),
      status: "succeeded",
      output: value,
      steps,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
  });
}
