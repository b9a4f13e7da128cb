import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { type Agent, type CreateAgentParamsSchema } from "../../client/schemas";
import { notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord, Tenant } from "../store";

type StoredAgent = z.infer<typeof CreateAgentParamsSchema>;
const KIND = "agent";

function toWire(doc: DocumentRecord<StoredAgent>): Agent {
  return {
    id: doc.id,
    name: doc.data.name,
    description: doc.data.description ?? null,
    instructions: doc.data.instructions,
    project: doc.project === "" ? null : doc.project,
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/**
 * Agents. The emulator has no model behind them: an agent answers deterministically (its name
 * and the message), which is enough to exercise keys with agents:* scopes.
 */
export function registerAgentRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const find = (tenant: Tenant, id: string) => {
    const doc = store.documents.get<StoredAgent>(KIND, tenant, id);
    if (!doc) throw notFound("Agent", id);
    return doc;
  };

  defineOperation(app, services, "agents.create", ({ tenant, body, now }) => {
    const doc = { kind: KIND, ...tenant, id: newId("agt"), data: body, createdAt: now };
    store.documents.insert(doc);
    return toWire(doc);
  });

  defineOperation(app, services, "agents.list", ({ tenant, query }) => {
    return listPage(
      query,
      ({ limit, offset }) => store.documents.list<StoredAgent>(KIND, tenant, limit, offset),
      toWire,
    );
  });

  defineOperation(app, services, "agents.get", ({ tenant, params }) => toWire(find(tenant, params.id)));

  defineOperation(app, services, "agents.execute", ({ tenant, params, body, now }) => {
    const agent = find(tenant, params.id);
    return {
      agentId: agent.id,
      reply: `${agent.data.name} received: ${body.message}`,
      createdAt: new Date(now).toISOString(),
    };
  });
}
