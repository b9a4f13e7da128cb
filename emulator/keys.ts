import type { z } from "zod";
import {
  SCOPES,
  parseDuration,
  type ApiKey,
  type ApiKeyWithSecret,
  type CreateApiKeyParamsSchema,
  type KeyStatus,
  type Restrictions,
  type RotateApiKeyParamsSchema,
  type UpdateApiKeyParamsSchema,
} from "../client/schemas";
import { assertOrganization } from "./enforcement/privileges";
import { conflict, forbidden, invalidField, notFound } from "./errors";
import type { KeyRecord, Store } from "./store";
import { hashSecret, lastFour, newId, newSecret, secretPrefix } from "./secrets";

/*
 * The life cycle of API keys: create, update, revoke, rotate, the wire shape, and which keys a
 * caller may see. Permission checks live in enforcement/privileges.ts; the functions that change
 * a key assume the caller may act.
 */

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** "expired" is computed from expiresAt and the clock; revocation wins over expiry. */
export function keyStatus(key: KeyRecord, now: number): KeyStatus {
  if (key.revokedAt !== null) return "revoked";
  if (key.expiresAt !== null && key.expiresAt <= now) return "expired";
  return "active";
}

export function toWire(key: KeyRecord, now: number): ApiKey {
  return {
    id: key.id,
    name: key.name,
    description: key.description,
    organization: key.organization ?? "",
    scopes: key.scopes,
    projects: key.projects,
    restrictions: key.restrictions,
    expiresAt: iso(key.expiresAt),
    status: keyStatus(key, now),
    prefix: key.prefix,
    lastFour: key.lastFour,
    createdAt: iso(key.createdAt)!,
    updatedAt: iso(key.updatedAt)!,
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
    revokedReason: key.revokedReason,
    previousKeyExpiresAt: iso(key.previousKeyExpiresAt),
  };
}

/**
 * A key the caller may see: unknown ids (and the root key) are 404, other organizations 403
 * (organization_not_allowed: the provider reads 404 as "deleted", and a credential of the wrong
 * organization must not make a refresh forget every key). A project-bound caller sees only keys
 * bound within its projects, as it may create only those (403 project_not_allowed).
 */
export function visibleKey(store: Store, caller: KeyRecord, id: string): KeyRecord {
  const key = store.keys.get(id);
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

/** Expiry must lie ahead: a key born expired is always a mistake in the caller's program. */
function futureExpiry(expiresAt: string, now: number): number {
  const ms = Date.parse(expiresAt);
  if (ms <= now) {
    throw invalidField(
      ["expiresAt"],
      "must be in the future",
      `expiresAt ${expiresAt} is not in the future.`,
    );
  }
  return ms;
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

/** A key record for a new secret: the caller decides what the key is, this fills in its life-cycle fields. */
function newKeyRecord(
  secret: string,
  now: number,
  fields: Pick<
    KeyRecord,
    "isRoot" | "organization" | "name" | "description" | "scopes" | "projects" | "restrictions" | "expiresAt"
  >,
): KeyRecord {
  return {
    id: newId("key"),
    ...fields,
    revokedAt: null,
    revokedReason: null,
    previousKeyExpiresAt: null,
    prefix: secretPrefix(secret),
    lastFour: lastFour(secret),
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

export function createKey(
  store: Store,
  params: z.infer<typeof CreateApiKeyParamsSchema>,
  now: number,
): ApiKeyWithSecret {
  const secret = newSecret();
  const key = newKeyRecord(secret, now, {
    isRoot: false,
    organization: params.organization,
    name: params.name,
    description: params.description ?? null,
    scopes: unique(params.scopes),
    projects: unique(params.projects ?? []),
    restrictions: params.restrictions ?? {},
    expiresAt: params.expiresAt === undefined ? null : futureExpiry(params.expiresAt, now),
  });
  store.keys.insert(key, hashSecret(secret));
  return { ...toWire(key, now), key: secret };
}

function assertNotRevoked(key: KeyRecord): void {
  if (key.revokedAt !== null) {
    throw conflict(`Key ${key.id} is revoked and can no longer be changed; create a new key.`);
  }
}

export function updateKey(
  store: Store,
  key: KeyRecord,
  params: z.infer<typeof UpdateApiKeyParamsSchema>,
  now: number,
): ApiKey {
  assertNotRevoked(key);
  const next: KeyRecord = { ...key, updatedAt: now };
  if (params.name !== undefined) next.name = params.name;
  if (params.description !== undefined) next.description = params.description;
  if (params.expiresAt !== undefined) {
    next.expiresAt = params.expiresAt === null ? null : futureExpiry(params.expiresAt, now);
  }
  if (params.scopes !== undefined) next.scopes = unique(params.scopes);
  if (params.projects !== undefined) next.projects = unique(params.projects);
  if (params.restrictions !== undefined) next.restrictions = params.restrictions;
  store.keys.save(next);
  return toWire(next, now);
}

export function replaceRestrictions(
  store: Store,
  key: KeyRecord,
  restrictions: Restrictions,
  now: number,
): ApiKey {
  return updateKey(store, key, { restrictions }, now);
}

/**
 * Revoking is idempotent: revoking a revoked key succeeds and changes nothing, so the first
 * revocation's time and reason are kept (a retried or repeated revoke cannot rewrite history).
 */
export function revokeKey(store: Store, key: KeyRecord, reason: string, now: number): ApiKey {
  if (key.revokedAt !== null) return toWire(key, now);
  const next: KeyRecord = { ...key, revokedAt: now, revokedReason: reason, updatedAt: now };
  store.keys.save(next);
  return toWire(next, now);
}

/** The longest grace period a rotation may give the replaced secret. */
const MAX_GRACE_PERIOD_MS = 365 * 86_400_000;

/**
 * New secret, same id. With a grace period (at most a year, 365d) the replaced secret keeps
 * authenticating until `previousKeyExpiresAt`; only one replaced secret is kept, so rotating again
 * ends the previous grace period at once.
 */
export function rotateKey(
  store: Store,
  key: KeyRecord,
  params: z.infer<typeof RotateApiKeyParamsSchema>,
  now: number,
): ApiKeyWithSecret {
  assertNotRevoked(key);
  const secret = newSecret();
  const graceMs = params.gracePeriod === undefined ? 0 : parseDuration(params.gracePeriod)!;
  if (graceMs > MAX_GRACE_PERIOD_MS) {
    throw invalidField(
      ["gracePeriod"],
      "must be at most 365d",
      `gracePeriod ${params.gracePeriod} is longer than a year (365d).`,
    );
  }
  const previousKeyExpiresAt = graceMs > 0 ? now + graceMs : null;
  const next: KeyRecord = {
    ...key,
    prefix: secretPrefix(secret),
    lastFour: lastFour(secret),
    previousKeyExpiresAt,
    expiresAt: params.expiresAt === undefined ? key.expiresAt : futureExpiry(params.expiresAt, now),
    updatedAt: now,
  };
  store.keys.replaceSecret(key.id, hashSecret(secret), next.prefix, previousKeyExpiresAt);
  store.keys.save(next);
  return { ...toWire(next, now), key: secret };
}

/**
 * Stores `secret` as the root key: every scope, no organization, no projects. The database keeps
 * only its hash, so a restart with a different root secret replaces the old one. Unlike generated
 * secrets, a root secret may be chosen by a person, short and guessable in part: none of its
 * characters are stored (no prefix, no last four), only the hash.
 */
export function ensureRootKey(store: Store, secret: string, now: number): KeyRecord {
  const existing = store.keys.root();
  if (existing) {
    const next = { ...existing, prefix: "", lastFour: "", scopes: [...SCOPES] };
    store.transaction(() => {
      store.keys.replaceSecret(existing.id, hashSecret(secret), "", null);
      store.keys.save(next);
    });
    return next;
  }
  const root = newKeyRecord(secret, now, {
    isRoot: true,
    organization: null,
    name: "root",
    description: "Bootstrap key of the local emulator: every scope, any organization.",
    scopes: [...SCOPES],
    projects: [],
    restrictions: {},
    expiresAt: null,
  });
  const stored = { ...root, prefix: "", lastFour: "" };
  store.keys.insert(stored, hashSecret(secret));
  return stored;
}
