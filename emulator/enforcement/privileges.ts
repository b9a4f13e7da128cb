import type { Restrictions } from "../../client/schemas";
import { forbidden } from "../errors";
import type { Caller } from "./authenticate";
import type { KeyRecord } from "../store";
import { lifetimeLonger, looserRestrictions } from "./looser";

/*
 * Rules that stop a key from minting or managing a key more powerful than itself: more scopes,
 * other projects, looser restrictions or a longer lifetime (looser.ts defines "looser"). The root
 * key passes every check.
 */

/** When the caller stops working: its expiry, or the end of the grace period of the secret it used. */
function callerExpiry({ key, graceUntil }: Caller): number | null {
  if (graceUntil === null) return key.expiresAt;
  return key.expiresAt === null ? graceUntil : Math.min(key.expiresAt, graceUntil);
}

/** A key's restrictions and lifetime, as granted or as held. */
export interface Bounds {
  restrictions: Restrictions;
  expiresAt: number | null;
}

/** The caller may hand out (or manage) a key only within its own restrictions and lifetime. */
export function assertWithinBounds(caller: Caller, next: Bounds): void {
  if (caller.key.isRoot) return;
  const looser = looserRestrictions(next.restrictions, caller.key.restrictions);
  if (looser.length > 0) {
    throw forbidden(
      "scope_escalation",
      `This key cannot grant restrictions looser than its own: ${looser.join(", ")}.`,
      { restrictions: looser },
    );
  }
  const expiry = callerExpiry(caller);
  if (lifetimeLonger(next.expiresAt, expiry)) {
    throw forbidden(
      "scope_escalation",
      `This key expires at ${new Date(expiry!).toISOString()} and cannot grant a key that lives longer (expiresAt must be set, and no later).`,
      { expiresAt: new Date(expiry!).toISOString() },
    );
  }
}

export function holdsScope(caller: KeyRecord, scope: string): boolean {
  return caller.isRoot || caller.scopes.includes(scope);
}

/** Non-root callers act only in their own organization. */
export function assertOrganization(caller: KeyRecord, organization: string): void {
  if (caller.isRoot || caller.organization === organization) return;
  throw forbidden(
    "organization_not_allowed",
    `This key belongs to organization ${JSON.stringify(caller.organization)} and cannot act in ${JSON.stringify(organization)}.`,
    { organization },
  );
}

/** A caller may hand out only scopes it holds, and (when project-bound) only its own projects. */
export function assertGrantable(
  caller: KeyRecord,
  scopes: readonly string[],
  projects: readonly string[],
): void {
  if (caller.isRoot) return;
  const missing = [...new Set(scopes.filter((scope) => !caller.scopes.includes(scope)))];
  if (missing.length > 0) {
    throw forbidden(
      "scope_escalation",
      `This key cannot grant scopes it does not hold itself: ${missing.join(", ")}.`,
      { scopes: missing },
    );
  }
  if (caller.projects.length === 0) return;
  if (projects.length === 0) {
    throw forbidden(
      "project_not_allowed",
      `This key is bound to projects ${caller.projects.join(", ")}: the key it manages must be bound to some of them, not to every project.`,
      { projects: [] },
    );
  }
  const outside = [...new Set(projects.filter((project) => !caller.projects.includes(project)))];
  if (outside.length > 0) {
    throw forbidden(
      "project_not_allowed",
      `This key cannot grant access to projects outside its own: ${outside.join(", ")}.`,
      { projects: outside },
    );
  }
}

/**
 * Changing, rotating, revoking or deleting `target` requires the caller to be at least as
 * powerful as it (scopes, projects, restrictions, lifetime): otherwise a weak admin key could e.g.
 * rotate a stronger key and read its new secret, or loosen the IP restriction of a key it could
 * not create. A secret replaced by a rotation, still in its grace period, cannot change its own
 * key at all: otherwise whoever holds the old secret could rotate again and lock out the owner of
 * the new one.
 */
export function assertManageable(caller: Caller, target: KeyRecord): void {
  assertOrganization(caller.key, target.organization ?? "");
  if (caller.graceUntil !== null && caller.key.id === target.id) {
    throw forbidden(
      "insufficient_scope",
      "This secret was replaced by a rotation: until its grace period ends it works for other calls, but it cannot change, rotate, revoke or delete its own key. Use the new secret.",
      { reason: "replaced_secret" },
    );
  }
  assertGrantable(caller.key, target.scopes, target.projects);
  assertWithinBounds(caller, target);
}
