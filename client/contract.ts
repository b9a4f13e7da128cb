import type { z } from "zod";
import { API_KEY_OPERATIONS } from "./operations/apiKeys";
import { SERVICE_OPERATIONS } from "./operations/services";
import type { Scope } from "./schemas";

/**
 * The REST contract of the Admin.do API, written once. The client builds its requests from it,
 * the emulator registers its routes from it, the audit maps logged requests back to it, and
 * docs/openapi.json is generated from it. The operations themselves are listed in
 * operations/apiKeys.ts and operations/services.ts.
 *
 * Conventions: JSON bodies; `Authorization: Bearer <key>`; `Idempotency-Key` on every POST;
 * `X-Request-Id` on every response; `Retry-After` on 429 and 503; errors as `{ error: { code,
 * message, details?, requestId? } }`; a request names its project with the `X-Admindo-Project`
 * header. Query parameters travel as query.ts encodes them: `limit`, `offset`, `organization`
 * (lists); `range` (a duration such as "7d") or `start`/`end` (ISO timestamps); `resources`
 * (comma-separated); `groupBy`; `status` ("success", "error" or an HTTP status).
 */
export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Fastify-style path template: `:name` marks a path parameter. */
  path: string;
  /** HTTP status of a successful response. */
  status: 200 | 201 | 204;
  /** The scope a caller's key must hold. */
  scope: Scope;
  summary: string;
  /** The query parameters, in the caller's form (strict: the server refuses others); absent: none. */
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
}

export const HEADERS = {
  idempotencyKey: "idempotency-key",
  requestId: "x-request-id",
  project: "x-admindo-project",
  retryAfter: "retry-after",
} as const;

export const OPERATIONS = { ...API_KEY_OPERATIONS, ...SERVICE_OPERATIONS } as const satisfies Record<
  string,
  Operation
>;

export type OperationName = keyof typeof OPERATIONS;

const templates = new Map<string, readonly string[]>();

/**
 * A path template split once into literal text and parameter names, alternating:
 * "/api-keys/:id/logs" → ["/api-keys/", "id", "/logs"]. Every reader of a template (filling it,
 * matching paths against it, documenting it) goes through this.
 */
export function templateParts(template: string): readonly string[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = template.split(/:([A-Za-z]+)/);
    templates.set(template, parts);
  }
  return parts;
}

/** Fills a path template: `pathFor("/api-keys/:id", { id })`, escaping every parameter. */
export function pathFor(template: string, params: Record<string, string> = {}): string {
  const parts = templateParts(template);
  let path = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const value = params[parts[i]];
    if (value === undefined || value === "") throw new TypeError(`missing path parameter "${parts[i]}"`);
    path += encodeURIComponent(value) + parts[i + 1];
  }
  return path;
}
