import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { serviceOf } from "../../client/schemas";
import type { Operation } from "../../client/contract";
import { HEADERS } from "../../client/contract";
import { authenticate, type Caller } from "../enforcement/authenticate";
import { authorize } from "../enforcement/authorize";
import type { Services } from "./state";

/** How stale lastUsedAt may be: writing it on every request would cost a write per request. */
const LAST_USED_RESOLUTION_MS = 1_000;

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Authenticates and authorizes a request for `operation` as the key store stands now, and records
 * the caller on the request (for the log). `rateLimit: false` re-checks without taking another
 * slot of the key's rate limit.
 */
export function admit(
  services: Services,
  request: FastifyRequest,
  operation: Operation,
  options: { rateLimit: boolean },
  now = services.clock(),
): Caller {
  const state = request.admindo;
  const caller = authenticate(services.store, request.headers.authorization, now.getTime(), state);
  state.caller = caller.key;
  const project = singleHeader(request.headers[HEADERS.project]) ?? null;
  state.project = project;
  authorize(
    caller.key,
    { ip: request.ip, referer: singleHeader(request.headers.referer), project, scope: operation.scope },
    now,
    options.rateLimit ? services.limiter : undefined,
  );
  return caller;
}

/**
 * Route-level onRequest hook: runs before the body is parsed, so a request is authenticated and
 * authorized before anything it sends is looked at (a bad key gets 401, not a JSON error). The
 * handler checks again when it acts (see operation.ts): a body can arrive long after its headers.
 */
export function authorizeHook(services: Services, operation: Operation) {
  const resource = serviceOf(operation.scope);
  // A callback hook: no promise per request.
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    try {
      request.admindo.resource = resource;
      const now = services.clock();
      const { key } = admit(services, request, operation, { rateLimit: true }, now);
      // lastUsedAt to the second: at most one write per key and second, not one per request.
      const at = now.getTime();
      if (key.lastUsedAt === null || at < key.lastUsedAt || at - key.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
        services.store.keys.touch(key.id, at);
      }
    } catch (error) {
      return done(error as Error);
    }
    done();
  };
}
