import { ApiError } from "../errors";
import type { KeyRecord } from "../store";

/*
 * Rules that stop a key from minting or managing a key more powerful than itself. The root key
 * passes every check.
 */

export function holdsScope(caller: KeyRecord, scope: string): boolean {
  return caller.isRoot || caller.scopes.includes(scope);
}

/** Non-root callers act only in their own organization. */
export function assertOrganization(caller: KeyRecord, organization: string): void {
  if (caller.isRoot || caller.organization === organization) return;
  throw new ApiError(
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
    throw new ApiError(
      "scope_escalation",
      `This key cannot grant scopes it does not hold itself: ${missing.join(", ")}.`,
      { scopes: missing },
    );
  }
  if (caller.projects.length === 0) return;
  if (projects.length === 0) {
    throw new ApiError(
      "project_not_allowed",
      `This key is bound to projects ${caller.projects.join(", ")}: the key it manages must be bound to some of them, not to every project.`,
      { projects: [] },
    );
  }
  const outside = [...new Set(projects.filter((project) => !caller.projects.includes(project)))];
  if (outside.length > 0) {
    throw new ApiError(
      "project_not_allowed",
      `This key cannot grant access to projects outside its own: ${outside.join(", ")}.`,
      { projects: outside },
    );
  }
}

/**
 * Changing, rotating, revoking or deleting `target` requires the caller to be at least as
 * powerful as it: otherwise a weak admin key could e.g. rotate a stronger key and read its new
 * secret, or loosen the IP restriction of a key it could not create.
 */
export function assertManageable(caller: KeyRecord, target: KeyRecord): void {
  assertOrganization(caller, target.organization ?? "");
  assertGrantable(caller, target.scopes, target.projects);
}
