import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import {
  type AdminEvent,
  type CreateSubscriptionParamsSchema,
  type Subscription,
} from "../../client/schemas";
import { ApiError, invalidField } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord } from "../store";
import { withSession } from "../functions";

type StoredSubscription = z.infer<typeof CreateSubscriptionParamsSchema>;
type StoredEvent = Pick<AdminEvent, "type" | "data" | "deliveries">;
const SUBSCRIPTION = "event-subscription";
const EVENT = "event";

/** "*" matches every type, "order.*" every type below "order", anything else itself. */
function eventMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

const projectOf = (project: string) => (project === "" ? null : project);

function subscriptionToWire(doc: DocumentRecord<StoredSubscription>): Subscription {
  return {
    id: doc.id,
    event: doc.data.event,
    functionId: doc.data.functionId,
    project: projectOf(doc.project),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

function eventToWire(doc: DocumentRecord<StoredEvent>): AdminEvent {
  return {
    id: doc.id,
    ...doc.data,
    project: projectOf(doc.project),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** The most subscriptions one event is delivered to. */
const MAX_DELIVERIES = 1000;

/**
 * Events: subscriptions route triggered events to functions of the same organization and project,
 * which run at once, in one worker, within the request's time budget for functions.
 */
export function registerEventRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "events.subscribe", ({ tenant, body, now }) => {
    if (!store.functions.get(tenant, body.functionId)) {
      throw invalidField(
        ["functionId"],
        "no such function in this project",
        `There is no function ${body.functionId} in this project.`,
      );
    }
    const doc = { kind: SUBSCRIPTION, ...tenant, id: newId("sub"), data: body, createdAt: now };
    store.documents.insert(doc);
    return subscriptionToWire(doc);
  });

  defineOperation(app, services, "events.listSubscriptions", ({ tenant, query }) => {
    return listPage(
      query,
      ({ limit, offset }) => store.documents.list<StoredSubscription>(SUBSCRIPTION, tenant, limit, offset),
      subscriptionToWire,
    );
  });

  defineOperation(app, services, "events.trigger", {
    prepare: async ({ tenant, body }) => {
      const data = body.data ?? {};
      const subscriptions = store.documents
        .list<StoredSubscription>(SUBSCRIPTION, tenant, MAX_DELIVERIES, 0)
        .items.filter((sub) => eventMatches(sub.data.event, body.type));
      // A failing subscriber (or one the time budget did not reach) is reported in its delivery;
      // it does not fail the trigger.
      const deliveries = await withSession(services.functions, async (session) => {
        const done: StoredEvent["deliveries"] = [];
        for (const sub of subscriptions) {
          const base = { subscriptionId: sub.id, functionId: sub.data.functionId };
          const fn = store.functions.get(tenant, sub.data.functionId);
          if (!fn) {
            done.push({ ...base, error: "the function no longer exists" });
            continue;
          }
          try {
            done.push({ ...base, output: (await session.run(fn.code, { type: body.type, data })).output });
          } catch (error) {
            if (!(error instanceof ApiError) || error.code !== "execution_failed") throw error;
            done.push({ ...base, error: error.message });
          }
        }
        return done;
      });
      return { type: body.type, data, deliveries };
    },
    act: ({ tenant, now }, event) => {
      const doc = { kind: EVENT, ...tenant, id: newId("evt"), data: event, createdAt: now };
      store.documents.insert(doc);
      return eventToWire(doc);
    },
  });

  defineOperation(app, services, "events.list", ({ tenant, query }) => {
    return listPage(
      query,
      ({ limit, offset }) => store.documents.list<StoredEvent>(EVENT, tenant, limit, offset),
      eventToWire,
    );
  });
}
