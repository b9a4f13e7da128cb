import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { PageQuerySchema, type Agent, type CreateAgentParamsSchema } from "../../client/schemas";
import { notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord } from "../store";
import { ownerOf } from "./functions";

type StoredAgent = z.infer<typeof CreateAgentParamsSchema>;
const KIND = "agent";

function toWire(doc: DocumentRecord<StoredAgent>): Agent {
  return {
    id: doc.id,
    name: doc.data.name,
    description: doc.data.description ?? null,
    instructions: doc.data.instructions,
    project: doc.owner === "" ? null : doc.owner,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/**
 * Agents. The emulator has no model behind them: an agent answers deterministically (its name
 * and the message), which is enough to exercise keys with agents:* scopes.
 */
export function registerAgentRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const find = (project: string | null, id: string) => {
    const doc = store.documents.get<StoredAgent>(KIND, ownerOf(project), id);
    if (!doc) throw notFound("Agent", id);
    return doc;
  };

  defineOperation(app, services, "agents.create", ({ project, body, now }) => {
    const doc = { kind: KIND, owner: ownerOf(project), id: newId("agt"), data: body, createdAt: now };
    store.documents.insert(doc);
    return toWire(doc);
  });

  defineOperation(
    app,
    services,
    "agents.list",
    ({ project, query }) => {
      const bounds = pageBounds(query);
      const page = store.documents.list<StoredAgent>(KIND, ownerOf(project), bounds.limit, bounds.offset);
      return pageOf(page.items.map(toWire), page.total, bounds);
    },
    PageQuerySchema,
  );

  defineOperation(app, services, "agents.get", ({ project, params }) => toWire(find(project, params.id)));

  defineOperation(app, services, "agents.execute", ({ project, params, body, now }) => {
    const agent = find(project, params.id);
    return {
      agentId: agent.id,
      reply: `${agent.data.name} received: ${body.message}`,
      createdAt: new Date(now).toISOString(),
    };
  });
}
