import type { FastifyInstance } from "fastify";
import {
  assertGrantable,
  assertManageable,
  assertOrganization,
  assertWithinBounds,
  type Caller,
} from "../enforcement/privileges";
import { forbidden, notFound } from "../errors";
import { defineOperation } from "../http/operation";
import { pageBounds, pageOf } from "../http/query";
import type { Services } from "../http/state";
import { createKey, replaceRestrictions, revokeKey, rotateKey, toWire, updateKey } from "../keys";
import type { KeyRecord } from "../store";

/** An ISO time (as validated by the schemas) or null, in ms. */
const msOf = (iso: string | null | undefined, fallback: number | null) =>
  iso === undefined ? fallback : iso === null ? null : Date.parse(iso);

/**
 * A key the caller may see: unknown ids (and the root key) are 404, other organizations 403
 * (organization_not_allowed: the provider reads 404 as "deleted", and a credential of the wrong
 * organization must not make a refresh forget every key). A project-bound caller sees only keys
 * bound within its projects, as it may create only those (403 project_not_allowed).
 */
export function visibleKey(services: Services, caller: KeyRecord, id: string): KeyRecord {
  const key = services.store.keys.get(id);
  if (!key || key.isRoot) throw notFound("API key", id);
  assertOrganization(caller, key.organization!);
  if (caller.projects.length > 0 && !boundWithin(key.projects, caller.projects)) {
    throw forbidden(
      "project_not_allowed",
      `This key is bound to projects ${caller.projects.join(", ")}: keys bound to other projects, or to every project, are outside its view.`,
      { projects: key.projects },
    );
  }
  return key;
}

/** True when a key bound to `projects` is bound to some of `within` and nothing else. */
const boundWithin = (projects: readonly string[], within: readonly string[]) =>
  projects.length > 0 && projects.every((project) => within.includes(project));

/** The API-keys resource: create, list, get, update, delete, revoke, rotate, restrictions. */
export function registerApiKeyRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const manageable = (credential: Caller, id: string) => {
    const key = visibleKey(services, credential.key, id);
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
    const bounds = pageBounds(query);
    const withinProjects = caller.projects.length > 0 ? caller.projects : undefined;
    const page = store.keys.list({ organization, withinProjects, ...bounds });
    return pageOf(
      page.items.map((key) => toWire(key, now)),
      page.total,
      bounds,
    );
  });

  defineOperation(app, services, "apiKeys.get", ({ caller, params, now }) =>
    toWire(visibleKey(services, caller, params.id), now),
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
