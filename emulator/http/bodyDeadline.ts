import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import type { Readable } from "node:stream";
import { bodyTimeout } from "../errors";

/**
 * preParsing hook: a request's body must arrive within `bodyTimeoutMs` of its headers, else the
 * request is answered 408 (with the common error body) and its connection closed, so a slow
 * client cannot hold a connection, or a request authorized long ago, open for as long as it
 * likes. The error goes out through the body stream, which ends fastify's parse of it.
 */
export function bodyDeadline(bodyTimeoutMs: number) {
  return (request: FastifyRequest, reply: FastifyReply, payload: Readable, done: HookHandlerDoneFunction) => {
    const { headers } = request;
    const hasBody =
      headers["transfer-encoding"] !== undefined ||
      (headers["content-length"] !== undefined && headers["content-length"] !== "0");
    if (!hasBody) return (done as (error: null, payload: Readable) => void)(null, payload);
    const timer = setTimeout(
      () => {
        if (payload.readableEnded || payload.listenerCount("error") === 0) return;
        reply.header("connection", "close");
        payload.emit("error", bodyTimeout(bodyTimeoutMs));
      },
      Math.max(0, bodyTimeoutMs - (performance.now() - request.admindo.arrivedAt)),
    );
    const clear = () => clearTimeout(timer);
    payload.once("end", clear);
    reply.raw.once("close", clear);
    (done as (error: null, payload: Readable) => void)(null, payload);
  };
}
