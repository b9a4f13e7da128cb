import type { FastifyInstance } from "fastify";
import {
  assertGrantable,
  assertManageable,
  assertOrganization,
  assertWithinBounds,
} from "../enforcement/privileges";
import type { Caller } from "../enforcement/authenticate";
import { defineOperation } from "../http/operation";
import { listPage } from "../http/query";
import type { Services } from "../http/state";
import { createKey, replaceRestrictions, revokeKey, rotateKey, toWire, updateKey, visibleKey } from "../keys";

/** An ISO time (as validated by the schemas) or null, in ms. */
const msOf = (iso: string | null | undefined, fallback: number | null) =>
  iso === undefined ? fallback : iso === null ? null : Date.parse(iso);

/** The API-keys resource: create, list, get, update, delete, revoke, rotate, restrictions. */
export function registerApiKeyRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const manageable = (credential: Caller, id: string) => {
    const key = visibleKey(store, credential.key, id);
    assertManageable(credential, key);
    return key;
  };

  defineOperation(app, services, "apiKeys.create", ({ caller, credential, body, now }) => {
    assertOrganization(caller, body.organization);
    assertGrantable(caller, body.scopes, body.projects ?? []);
    assertWithinBounds(credential, {
      restrictions: body.restrictions ?? {},
      expiresAt: msOf(body.expiresAt, null),
    });
    return createKey(store, body, now);
  });

  defineOperation(app, services, "apiKeys.list", ({ caller, query, now }) => {
    // Other keys list their own organization; only the root key may list across organizations.
    const organization = query.organization ?? caller.organization ?? undefined;
    if (organization !== undefined) assertOrganization(caller, organization);
    const withinProjects = caller.projects.length > 0 ? caller.projects : undefined;
    return listPage(
      query,
      (bounds) => store.keys.list({ organization, withinProjects, ...bounds }),
      (key) => toWire(key, now),
    );
  });

  defineOperation(app, services, "apiKeys.get", ({ caller, params, now }) =>
    toWire(visibleKey(store, caller, params.id), now),
  );

  defineOperation(app, services, "apiKeys.update", ({ caller, credential, params, body, now }) => {
    const key = manageable(credential, params.id);
    assertGrantable(caller, body.scopes ?? key.scopes, body.projects ?? key.projects);
    assertWithinBounds(credential, {
      restrictions: body.restrictions ?? key.restrictions,
      expiresAt: msOf(body.expiresAt, key.expiresAt),
    });
    return updateKey(store, key, body, now);
  });

  defineOperation(app, services, "apiKeys.delete", ({ credential, params }) => {
    const key = manageable(credential, params.id);
    store.keys.delete(key.id);
    services.limiter.forget(key.id);
  });

  defineOperation(app, services, "apiKeys.revoke", ({ credential, params, body, now }) =>
    revokeKey(store, manageable(credential, params.id), body.reason, now),
  );

  defineOperation(app, services, "apiKeys.rotate", ({ credential, params, body, now }) => {
    const key = manageable(credential, params.id);
    assertWithinBounds(credential, {
      restrictions: key.restrictions,
      expiresAt: msOf(body.expiresAt, key.expiresAt),
    });
    return rotateKey(store, key, body, now);
  });

  defineOperation(app, services, "apiKeys.updateRestrictions", ({ credential, params, body, now }) => {
    const key = manageable(credential, params.id);
    assertWithinBounds(credential, { restrictions: body, expiresAt: key.expiresAt });
    return replaceRestrictions(store, key, body, now);
  });
}
