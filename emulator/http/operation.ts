import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { HEADERS, OPERATIONS, type Operation, type OperationName } from "../../client/contract";
import { IdempotencyKeySchema } from "../../client/params";
import { invalidRequest } from "../errors";
import type { KeyRecord } from "../store";
import { authorizeHook } from "./authenticate-hook";
import { replayOrRun } from "./idempotent";
import { parseQuery, type RawQuery } from "./query";
import type { Services } from "./state";

type BodyOf<N extends OperationName> = (typeof OPERATIONS)[N] extends { body: infer B extends z.ZodType }
  ? z.infer<B>
  : undefined;

/** What a handler gets: the authorized caller, the validated body and query. */
export interface OperationContext<N extends OperationName, Q = Record<string, never>> {
  caller: KeyRecord;
  /** The X-Admindo-Project header (already checked against the caller's projects); null when absent. */
  project: string | null;
  /** Emulator time, in ms. */
  now: number;
  body: BodyOf<N>;
  params: Record<string, string>;
  /** The query string, validated by the operation's query schema. */
  query: Q;
}

/**
 * A handler returns the response body (nothing for 204) or throws an ApiError. Handlers are
 * synchronous on purpose: the idempotency check, the handler's writes and the idempotency record
 * then run in one SQLite transaction, with no other request interleaved.
 */
export type Handler<N extends OperationName, Q> = (context: OperationContext<N, Q>) => unknown;

const NO_QUERY = z.strictObject({});

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[HEADERS.idempotencyKey];
  if (value === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(Array.isArray(value) ? value[0] : value);
  if (!parsed.success)
    throw invalidRequest(parsed.error, "Idempotency-Key header", "headers.idempotency-key");
  return parsed.data;
}

/**
 * Registers the route of one contract operation: method, path and success status from
 * OPERATIONS; authentication and authorization before parsing; the body validated by the
 * operation's schema; the response shaped by its response schema; POSTs replayable by
 * Idempotency-Key.
 */
export function defineOperation<N extends OperationName, S extends z.ZodType = typeof NO_QUERY>(
  app: FastifyInstance,
  services: Services,
  name: N,
  handler: Handler<N, z.infer<S>>,
  /** Schema of the query string (strict: unknown parameters are a 400); default: none allowed. */
  querySchema?: S,
): void {
  const operation: Operation = OPERATIONS[name];
  services.operations.set(name, querySchema ?? NO_QUERY);
  app.route({
    method: operation.method,
    url: operation.path,
    onRequest: authorizeHook(services, operation),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const state = request.admindo;
      let body: unknown = undefined;
      if (operation.body) {
        // A missing body is an empty object: `rotate` and `execute` need no fields.
        const parsed = operation.body.safeParse(request.body ?? {});
        if (!parsed.success) throw invalidRequest(parsed.error);
        body = parsed.data;
      }
      const context: OperationContext<N, z.infer<S>> = {
        caller: state.caller!,
        project: state.project,
        now: services.clock().getTime(),
        body: body as BodyOf<N>,
        params: request.params as Record<string, string>,
        query: parseQuery(querySchema ?? NO_QUERY, request.query as RawQuery) as z.infer<S>,
      };
      const run = () => {
        const result = handler(context);
        if (operation.status === 204) return undefined;
        if (!operation.response) return result;
        // The response schema drops anything a handler leaks beyond the documented shape.
        return operation.response.parse(result);
      };

      const idempotencyKey = operation.method === "POST" ? idempotencyKeyOf(request) : undefined;
      const once = () => ({ status: operation.status as number, body: run(), replayed: false });
      // Reads need no transaction: handlers are synchronous, so nothing interleaves with them.
      const outcome =
        idempotencyKey === undefined
          ? operation.method === "GET"
            ? once()
            : services.store.transaction(once)
          : replayOrRun(services, {
              idempotencyKey,
              caller: context.caller,
              method: operation.method,
              path: request.url.split("?")[0],
              body,
              status: operation.status,
              run,
              now: context.now,
            });
      if (outcome.replayed) reply.header("idempotent-replayed", "true");
      reply.code(outcome.status);
      return outcome.status === 204 ? reply.send() : reply.send(outcome.body);
    },
  });
}
