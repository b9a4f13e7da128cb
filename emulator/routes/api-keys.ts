import type { FastifyInstance } from "fastify";
import { ListApiKeysQuerySchema } from "../../client/schemas";
import { assertGrantable, assertManageable, assertOrganization } from "../enforcement/privileges";
import { notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { createKey, replaceRestrictions, revokeKey, rotateKey, toWire, updateKey } from "../keys";
import type { KeyRecord } from "../store";

/** A key the caller may see: unknown ids (and the root key) are 404, other organizations 403. */
export function visibleKey(services: Services, caller: KeyRecord, id: string): KeyRecord {
  const key = services.store.keys.get(id);
  if (!key || key.isRoot) throw notFound("API key", id);
  assertOrganization(caller, key.organization!);
  return key;
}

/** The API-keys resource: create, list, get, update, delete, revoke, rotate, restrictions. */
export function registerApiKeyRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const manageable = (caller: KeyRecord, id: string) => {
    const key = visibleKey(services, caller, id);
    assertManageable(caller, key);
    return key;
  };

  defineOperation(app, services, "apiKeys.create", ({ caller, body, now }) => {
    assertOrganization(caller, body.organization);
    assertGrantable(caller, body.scopes, body.projects ?? []);
    return createKey(store, body, now);
  });

  defineOperation(
    app,
    services,
    "apiKeys.list",
    ({ caller, query, now }) => {
      // Other keys list their own organization; only the root key may list across organizations.
      const organization = query.organization ?? caller.organization ?? undefined;
      if (organization !== undefined) assertOrganization(caller, organization);
      const bounds = pageBounds(query);
      const page = store.keys.list({ organization, ...bounds });
      return pageOf(
        page.items.map((key) => toWire(key, now)),
        page.total,
        bounds,
      );
    },
    ListApiKeysQuerySchema,
  );

  defineOperation(app, services, "apiKeys.get", ({ caller, params, now }) =>
    toWire(visibleKey(services, caller, params.id), now),
  );

  defineOperation(app, services, "apiKeys.update", ({ caller, params, body, now }) => {
    const key = manageable(caller, params.id);
    assertGrantable(caller, body.scopes ?? key.scopes, body.projects ?? key.projects);
    return updateKey(store, key, body, now);
  });

  defineOperation(app, services, "apiKeys.delete", ({ caller, params }) => {
    const key = manageable(caller, params.id);
    store.keys.delete(key.id);
    services.limiter.forget(key.id);
  });

  defineOperation(app, services, "apiKeys.revoke", ({ caller, params, body, now }) =>
    revokeKey(store, manageable(caller, params.id), body.reason, now),
  );

  defineOperation(app, services, "apiKeys.rotate", ({ caller, params, body, now }) =>
    rotateKey(store, manageable(caller, params.id), body, now),
  );

  defineOperation(app, services, "apiKeys.updateRestrictions", ({ caller, params, body, now }) =>
    replaceRestrictions(store, manageable(caller, params.id), body, now),
  );
}
