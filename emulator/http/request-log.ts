import type { FastifyReply, FastifyRequest } from "fastify";
import { newId } from "../secrets";
import { costOf } from "../usage";
import type { Services } from "./state";

/** The Referer without query or fragment: those may carry tokens, and logs must not. */
function referrerOf(request: FastifyRequest): string | null {
  const value = request.headers.referer;
  if (typeof value !== "string" || value === "") return null;
  return value.split(/[?#]/, 1)[0];
}

/**
 * onResponse hook: one log entry per request made with a valid key, allowed or denied. It records
 * the path without its query string and never the Authorization header. Requests without a valid
 * key belong to nobody and are not logged; injected faults are not usage and are not logged.
 */
export function logRequest(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = request.admindo;
    if (!state?.caller) return;
    if (state.fault && state.fault.action !== "none") return;
    const status = reply.statusCode;
    services.store.logs.insert({
      id: newId("log"),
      keyId: state.caller.id,
      organization: state.caller.organization,
      timestamp: state.receivedAt,
      method: request.method,
      path: request.url.split("?")[0],
      resource: state.resource,
      project: state.project,
      status,
      latencyMs: Math.round(reply.elapsedTime * 1000) / 1000,
      ip: request.ip,
      referrer: referrerOf(request),
      denialReason: state.denial ?? null,
      costMicros: state.denial ? 0 : costOf(state.resource, status),
    });
  };
}
