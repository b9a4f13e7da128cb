import { z } from "zod";

/** Every scope the Admin.do API documents, grouped by the service it guards. */
export const SCOPES_BY_SERVICE = {
  functions: ["read", "write", "execute"],
  workflows: ["read", "write", "execute"],
  agents: ["read", "write", "execute"],
  data: ["read", "write"],
  events: ["read", "write", "trigger"],
  admin: ["read", "write", "users", "organizations", "projects", "billing"],
} as const;

type ServiceName = keyof typeof SCOPES_BY_SERVICE;
type ScopeOf<S extends ServiceName> = `${S}:${(typeof SCOPES_BY_SERVICE)[S][number]}`;
export type Scope = { [S in ServiceName]: ScopeOf<S> }[ServiceName];
export type Service = ServiceName;

export const SERVICES = Object.keys(SCOPES_BY_SERVICE) as Service[];

export const SCOPES = SERVICES.flatMap((service) =>
  SCOPES_BY_SERVICE[service].map((action) => `${service}:${action}`),
) as Scope[];

export const ScopeSchema = z.enum(SCOPES as [Scope, ...Scope[]], {
  error: (issue) => `unknown scope ${JSON.stringify(issue.input)}: must be one of ${SCOPES.join(", ")}`,
});

/** The service part of a scope: "functions:read" -> "functions". */
export function serviceOf(scope: string): string {
  return scope.split(":", 1)[0];
}

/** Scopes that let a key change something or spend money, as opposed to reading. */
export function isPrivilegedScope(scope: string): boolean {
  const action = scope.split(":")[1] ?? "";
  return serviceOf(scope) === "admin" || ["write", "execute", "trigger"].includes(action);
}
