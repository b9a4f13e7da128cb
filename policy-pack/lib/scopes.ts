import { SCOPES, isPrivilegedScope, serviceOf } from "../../client/schemas/scopes";

export { SCOPES, isPrivilegedScope, serviceOf };

const DOCUMENTED = new Set<string>(SCOPES);

/** True for a scope the Admin.do API documents (or one listed in `extra`). */
export function isDocumentedScope(scope: string, extra: readonly string[] = []): boolean {
  return DOCUMENTED.has(scope) || extra.includes(scope);
}

export function isWildcardScope(scope: string): boolean {
  return scope.includes("*");
}

/** The action part of a scope: "functions:execute" -> "execute". */
export function actionOf(scope: string): string {
  return scope.split(":")[1] ?? "";
}

/**
 * Scopes that change something or spend money (write, execute, trigger, admin), including
 * wildcards, which grant them.
 */
export function isPrivileged(scope: string): boolean {
  return isPrivilegedScope(scope) || isWildcardScope(scope);
}

/** Scopes of the admin family, plus "*" (which includes them). */
export function isAdminScope(scope: string): boolean {
  return scope === "*" || serviceOf(scope) === "admin";
}

/**
 * Config patterns: an exact scope, "<service>:*" for every scope of a service, or "*" for all.
 * A wildcard *scope* ("functions:*") matches only a pattern at least as broad ("functions:*", "*").
 */
export function scopeMatches(pattern: string, scope: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(":*")) return scope.startsWith(pattern.slice(0, -1));
  return pattern === scope;
}

export function matchesAny(patterns: readonly string[], scope: string): boolean {
  return patterns.some((pattern) => scopeMatches(pattern, scope));
}
