import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { randomBase62 } from "../secrets";
import { costOf } from "../usage";
import type { Services } from "./state";

/**
 * Log ids in the usual shape (`log_` and 20 base62 characters) that grow with time: the time in
 * ms (9 characters) leads, 11 random ones follow. New entries then go to the end of the id index
 * instead of random places in it, which halves the cost of writing one.
 */
export function logId(now = Date.now()): string {
  let time = "";
  for (let rest = now, i = 0; i < 9; i++, rest = Math.floor(rest / 62)) time = BASE62[rest % 62] + time;
  return `log_${time}${randomBase62(11)}`;
}
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Longest Referer the log keeps. */
const MAX_REFERRER_CHARS = 512;

/**
 * The Referer as the log keeps it: without user-info (`user:password@`), query or fragment,
 * which may all carry credentials or tokens, and logs must not.
 */
export function referrerOf(value: string | string[] | undefined): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== "string" || text === "") return null;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const kept =
    url && (url.protocol === "http:" || url.protocol === "https:")
      ? `${url.protocol}//${url.host}${url.pathname}`
      : // Anything else: cut at the query, and drop a user-info part before the host.
        text.split(/[?#]/, 1)[0].replace(/^((?:[a-z][a-z0-9+.-]*:)?\/\/)?[^/]*@/i, "$1");
  return kept.slice(0, MAX_REFERRER_CHARS);
}

/**
 * onResponse hook: one log entry per request made with a valid key, allowed or denied. It records
 * the path without its query string and never the Authorization header. Requests without a valid
 * key belong to nobody and are not logged; injected faults are not usage and are not logged.
 */
export function logRequest(services: Services) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    done();
    const state = request.admindo;
    if (!state?.caller) return;
    if (state.fault && state.fault.action !== "none") return;
    const status = reply.statusCode;
    services.store.logs.insert({
      id: logId(),
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
      referrer: referrerOf(request.headers.referer),
      denialReason: state.denial ?? null,
      costMicros: state.denial ? 0 : costOf(state.resource, status),
    });
  };
}
