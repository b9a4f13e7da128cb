import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import {
  PageQuerySchema,
  type AdminEvent,
  type CreateSubscriptionParamsSchema,
  type Subscription,
} from "../../client/schemas";
import { ApiError } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { newId } from "../secrets";
import type { DocumentRecord } from "../store";
import { execute, ownerOf } from "./functions";

type StoredSubscription = z.infer<typeof CreateSubscriptionParamsSchema>;
type StoredEvent = Pick<AdminEvent, "type" | "data" | "deliveries">;
const SUBSCRIPTION = "event-subscription";
const EVENT = "event";

/** "*" matches every type, "order.*" every type below "order", anything else itself. */
export function eventMatches(pattern: string, type: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

const projectOf = (owner: string) => (owner === "" ? null : owner);

function subscriptionToWire(doc: DocumentRecord<StoredSubscription>): Subscription {
  return {
    id: doc.id,
    event: doc.data.event,
    functionId: doc.data.functionId,
    project: projectOf(doc.owner),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

function eventToWire(doc: DocumentRecord<StoredEvent>): AdminEvent {
  return {
    id: doc.id,
    ...doc.data,
    project: projectOf(doc.owner),
    createdAt: new Date(doc.createdAt).toISOString(),
  };
}

/** Events: subscriptions route triggered events to functions, which run at once. */
export function registerEventRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "events.subscribe", ({ project, body, now }) => {
    if (!store.functions.get(ownerOf(project), body.functionId)) {
      throw new ApiError("invalid_request", `There is no function ${body.functionId} in this project.`, [
        { path: "functionId", message: "no such function in this project" },
      ]);
    }
    const doc = { kind: SUBSCRIPTION, owner: ownerOf(project), id: newId("sub"), data: body, createdAt: now };
    store.documents.insert(doc);
    return subscriptionToWire(doc);
  });

  defineOperation(
    app,
    services,
    "events.listSubscriptions",
    ({ project, query }) => {
      const bounds = pageBounds(query);
      const page = store.documents.list<StoredSubscription>(
        SUBSCRIPTION,
        ownerOf(project),
        bounds.limit,
        bounds.offset,
      );
      return pageOf(page.items.map(subscriptionToWire), page.total, bounds);
    },
    PageQuerySchema,
  );

  defineOperation(app, services, "events.trigger", ({ project, body, now }) => {
    const owner = ownerOf(project);
    const data = body.data ?? {};
    const subscriptions = store.documents.list<StoredSubscription>(SUBSCRIPTION, owner, 1000, 0).items;
    // A failing subscriber is reported in its delivery; it does not fail the trigger.
    const deliveries = subscriptions
      .filter((sub) => eventMatches(sub.data.event, body.type))
      .map((sub) => {
        const base = { subscriptionId: sub.id, functionId: sub.data.functionId };
        const fn = store.functions.get(owner, sub.data.functionId);
        if (!fn) return { ...base, error: "the function no longer exists" };
        try {
          return { ...base, output: execute(fn, { type: body.type, data }).output };
        } catch (error) {
          return { ...base, error: (error as Error).message };
        }
      });
    const doc = {
      kind: EVENT,
      owner,
      id: newId("evt"),
      data: { type: body.type, data, deliveries },
      createdAt: now,
    };
    store.documents.insert(doc);
    return eventToWire(doc);
  });

  defineOperation(
    app,
    services,
    "events.list",
    ({ project, query }) => {
      const bounds = pageBounds(query);
      const page = store.documents.list<StoredEvent>(EVENT, ownerOf(project), bounds.limit, bounds.offset);
      return pageOf(page.items.map(eventToWire), page.total, bounds);
    },
    PageQuerySchema,
  );
}
