import type { FastifyReply, FastifyRequest } from "fastify";
import { serviceOf } from "../../client/schemas";
import type { Operation } from "../../client/contract";
import { HEADERS } from "../../client/contract";
import { bearerToken, findKeyBySecret } from "../enforcement/authenticate";
import { authorize } from "../enforcement/authorize";
import { ApiError } from "../errors";
import type { KeyRecord } from "../store";
import type { Services } from "./state";

/** How stale lastUsedAt may be: writing it on every request would cost a write per request. */
const LAST_USED_RESOLUTION_MS = 1_000;

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The key of a request's bearer token, or a 401. */
export function authenticate(services: Services, request: FastifyRequest): KeyRecord {
  const token = bearerToken(request.headers.authorization);
  if (token === undefined) {
    throw new ApiError("unauthenticated", "Send an API key in the header Authorization: Bearer <key>.");
  }
  const key = findKeyBySecret(services.store, token, services.clock().getTime());
  if (!key) throw new ApiError("unauthenticated", "The API key is not valid.");
  return key;
}

/**
 * Route-level onRequest hook: runs before the body is parsed, so a request is authenticated and
 * authorized before anything it sends is looked at (a bad key gets 401, not a JSON error).
 */
export function authorizeHook(services: Services, operation: Operation) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const state = request.admindo;
    state.resource = serviceOf(operation.scope);
    const key = authenticate(services, request);
    state.caller = key;
    const project = singleHeader(request.headers[HEADERS.project]) ?? null;
    state.project = project;
    const now = services.clock();
    authorize(
      key,
      { ip: request.ip, referer: singleHeader(request.headers.referer), project, scope: operation.scope },
      now,
      services.limiter,
    );
    // lastUsedAt to the second: at most one write per key and second, not one per request.
    const at = now.getTime();
    if (key.lastUsedAt === null || at < key.lastUsedAt || at - key.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
      services.store.keys.touch(key.id, at);
    }
  };
}
