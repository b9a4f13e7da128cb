import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { setTimeout as sleep } from "node:timers/promises";
import {
  errorBody,
  internalError,
  rateLimited,
  sendError,
  serviceUnavailable,
  type ApiError,
} from "../errors";
import type { FaultDecision } from "../faults";
import type { Services } from "./state";

function faultError(fault: FaultDecision): ApiError {
  switch (fault.status) {
    case 429:
      return rateLimited("Injected fault: too many requests.", fault.retryAfter);
    case 503:
      return serviceUnavailable("Injected fault: service unavailable.", fault.retryAfter);
    default:
      return internalError("Injected fault: internal error.");
  }
}

/** Ends the exchange without a response, as a crashed server or a broken network would. */
function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  request.raw.socket?.destroy();
  reply.raw.destroy();
}

/** Global onRequest hook (after the request id): fault decisions come before authentication. */
export function injectFaultsBefore(services: Services) {
  const fail = async (request: FastifyRequest, reply: FastifyReply, fault: FaultDecision) => {
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.action === "drop") dropConnection(request, reply);
    else if (fault.action === "error") sendError(request, reply, faultError(fault));
  };
  // A callback hook (no promise per request); a faulted request is answered here, or let through.
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const fault = services.faults.decide(request.method, request.url.split("?")[0]);
    if (!fault) return done();
    request.admindo.fault = fault;
    if (fault.after || (fault.action === "none" && fault.delayMs === 0)) return done();
    fail(request, reply, fault).then(() => {
      if (fault.action === "none") done();
    }, done);
  };
}

/**
 * onSend hook for faults with `after`: the handler has run and its writes are committed; now the
 * response is delayed, replaced by an error, or lost with the connection.
 */
export function injectFaultsAfter() {
  const after = async (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    fault: FaultDecision,
  ) => {
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.action === "drop") {
      request.raw.socket?.destroy();
      return payload;
    }
    if (fault.action === "none") return payload;
    const error = faultError(fault);
    reply.code(error.status).type("application/json");
    reply.removeHeader("idempotent-replayed");
    if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
    return JSON.stringify(errorBody(error, request.id));
  };
  return (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: Error | null, payload?: unknown) => void,
  ) => {
    const fault = request.admindo?.fault;
    if (!fault?.after) return done(null, payload);
    after(request, reply, payload, fault).then((changed) => done(null, changed), done);
  };
}
