import type { FastifyInstance } from "fastify";
import { DataPathSchema, type DataItem } from "../../client/schemas";
import { invalidInput, notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import type { DataItemRecord } from "../store";

function toWire(item: DataItemRecord): DataItem {
  return {
    collection: item.collection,
    key: item.key,
    value: item.value,
    project: item.project === "" ? null : item.project,
    updatedAt: new Date(item.updatedAt).toISOString(),
  };
}

const CollectionSchema = DataPathSchema.pick({ collection: true });

function dataPath(params: Record<string, string>): { collection: string; key: string } {
  const parsed = DataPathSchema.safeParse(params);
  if (!parsed.success) throw invalidInput(parsed.error, "path", ["params"]);
  return parsed.data;
}

function collectionOf(params: Record<string, string>): string {
  const parsed = CollectionSchema.safeParse(params);
  if (!parsed.success) throw invalidInput(parsed.error, "path", ["params"]);
  return parsed.data.collection;
}

/** The data service: JSON values by collection and key, per organization and project. */
export function registerDataRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  defineOperation(app, services, "data.list", ({ tenant, params, query }) => {
    const collection = collectionOf(params);
    return listPage(query, ({ limit, offset }) => store.data.list(tenant, collection, limit, offset), toWire);
  });

  defineOperation(app, services, "data.get", ({ tenant, params }) => {
    const { collection, key } = dataPath(params);
    const item = store.data.get(tenant, collection, key);
    if (!item) throw notFound("Data item", `${collection}/${key}`);
    return toWire(item);
  });

  defineOperation(app, services, "data.put", ({ tenant, params, body, now }) => {
    const { collection, key } = dataPath(params);
    const item = { ...tenant, collection, key, value: body.value, updatedAt: now };
    store.data.put(item);
    return toWire(item);
  });
}
