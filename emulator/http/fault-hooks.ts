import type { FastifyReply, FastifyRequest } from "fastify";
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, errorBody, sendError } from "../errors";
import type { FaultDecision } from "../faults";
import type { Services } from "./state";

function faultError(fault: FaultDecision): ApiError {
  switch (fault.status) {
    case 429:
      return new ApiError("rate_limited", "Injected fault: too many requests.", undefined, fault.retryAfter);
    case 503:
      return new ApiError(
        "service_unavailable",
        "Injected fault: service unavailable.",
        undefined,
        fault.retryAfter,
      );
    default:
      return new ApiError("internal_error", "Injected fault: internal error.");
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
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const fault = services.faults.decide(request.method, request.url.split("?")[0]);
    if (!fault) return;
    request.admindo.fault = fault;
    if (fault.after) return;
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.action === "drop") {
      dropConnection(request, reply);
      return reply;
    }
    if (fault.action === "error") return sendError(request, reply, faultError(fault));
  };
}

/**
 * onSend hook for faults with `after`: the handler has run and its writes are committed; now the
 * response is delayed, replaced by an error, or lost with the connection.
 */
export function injectFaultsAfter() {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const fault = request.admindo?.fault;
    if (!fault?.after) return payload;
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
}
