import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { OPERATIONS, type Operation, type OperationName } from "../../client/contract";
import type { Caller } from "../enforcement/authenticate";
import { invalidInput } from "../errors";
import { ROOT_TENANT, type KeyRecord, type Tenant } from "../store";
import { admit, authorizeHook } from "./authorizeHook";
import {
  findReplay,
  idempotencyKeyOf,
  recordOutcome,
  type IdempotentRequest,
  type Outcome,
} from "../idempotency";
import type { RawQuery } from "../../client/query";
import { parseQuery } from "./query";
import type { Services } from "./state";

type BodyOf<N extends OperationName> = (typeof OPERATIONS)[N] extends { body: infer B extends z.ZodType }
  ? z.infer<B>
  : undefined;
/** The validated query of an operation, in the caller's form; an empty object when it takes none. */
type QueryOf<N extends OperationName> = (typeof OPERATIONS)[N] extends { query: infer Q extends z.ZodType }
  ? z.infer<Q>
  : Record<string, never>;

/** What a handler gets: the authorized caller, where it acts, the validated body and query. */
export interface OperationContext<N extends OperationName> {
  caller: KeyRecord;
  /** The caller and how it authenticated (a rotated-out secret in its grace period?). */
  credential: Caller;
  /** The X-Admindo-Project header (already checked against the caller's projects); null when absent. */
  project: string | null;
  /** Where the request's data lives: the caller's organization and the named project. */
  tenant: Tenant;
  /** Emulator time, in ms. */
  now: number;
  body: BodyOf<N>;
  params: Record<string, string>;
  /** The query string, validated by the operation's query schema. */
  query: QueryOf<N>;
}

/**
 * A handler returns the response body (nothing for 204) or throws an ApiError. Handlers are
 * synchronous on purpose: the caller's re-check, the idempotency check, the handler's writes and
 * the idempotency record then run in one SQLite transaction, with no other request interleaved.
 */
export type Handler<N extends OperationName> = (context: OperationContext<N>) => unknown;

/**
 * For operations that run functions: `prepare` does the slow, asynchronous part outside any
 * transaction (it may not write), `act` the synchronous rest inside it, as a {@link Handler}.
 */
export interface TwoPhaseHandler<N extends OperationName, P> {
  prepare(context: OperationContext<N>): Promise<P>;
  act(context: OperationContext<N>, prepared: P): unknown;
}

const NO_QUERY = z.strictObject({});

/** The data space of a caller: its organization (the root key has its own) and the named project. */
function tenantOf(caller: KeyRecord, project: string | null): Tenant {
  return { organization: caller.organization ?? ROOT_TENANT, project: project ?? "" };
}

/**
 * Registers the route of one contract operation: method, path and success status from
 * OPERATIONS; authentication and authorization before parsing; the body validated by the
 * operation's schema, the query by its query schema; the response shaped by its response schema;
 * POSTs replayable by Idempotency-Key.
 *
 * Authorization is decided when the request acts, not only when its headers arrive: the body of
 * a request can follow its headers much later (up to the body deadline), and a key revoked,
 * deleted, expired, rotated out, down-scoped or restricted meanwhile must not act. So the caller
 * is checked again, against the key store as it is then, inside the transaction that acts (for
 * two-phase handlers also before `prepare`). The re-check takes no second rate-limit slot.
 */
export function defineOperation<N extends OperationName, P = never>(
  app: FastifyInstance,
  services: Services,
  name: N,
  handler: Handler<N> | TwoPhaseHandler<N, P>,
): void {
  const operation: Operation = OPERATIONS[name];
  // Strict: unknown parameters are a 400; an operation without a query schema takes none.
  const querySchema = operation.query ?? NO_QUERY;
  services.operations.set(name, querySchema);
  const respond = (result: unknown) => {
    if (operation.status === 204) return undefined;
    // The response schema drops anything a handler leaks beyond the documented shape.
    return operation.response ? operation.response.parse(result) : result;
  };

  app.route({
    method: operation.method,
    url: operation.path,
    onRequest: authorizeHook(services, operation),
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      let body: unknown = undefined;
      if (operation.body) {
        // A missing body is an empty object: `rotate` and `execute` need no fields.
        const parsed = operation.body.safeParse(request.body ?? {});
        if (!parsed.success) throw invalidInput(parsed.error);
        body = parsed.data;
      }
      const query = parseQuery(querySchema, request.query as RawQuery) as QueryOf<N>;
      const params = request.params as Record<string, string>;
      const idempotencyKey = operation.method === "POST" ? idempotencyKeyOf(request) : undefined;

      /** The context as of now: the caller checked again against the key store. */
      const current = (): OperationContext<N> => {
        const now = services.clock();
        const credential = admit(services, request, operation, { rateLimit: false }, now);
        const project = request.admindo.project;
        return {
          caller: credential.key,
          credential,
          project,
          tenant: tenantOf(credential.key, project),
          now: now.getTime(),
          body: body as BodyOf<N>,
          params,
          query,
        };
      };
      const replayable = (context: OperationContext<N>): IdempotentRequest | undefined =>
        idempotencyKey === undefined
          ? undefined
          : {
              idempotencyKey,
              callerKeyId: context.caller.id,
              method: operation.method,
              path: request.url.split("?")[0],
              body,
              now: context.now,
            };
      /** Re-check, replay or run, record: one transaction (reads need none). */
      const act = (run: (context: OperationContext<N>) => unknown) => {
        const once = (): Outcome => {
          const context = current();
          const idempotent = replayable(context);
          const replay = idempotent && findReplay(services.store, idempotent);
          if (replay) return replay;
          const outcome = {
            status: operation.status as number,
            body: respond(run(context)),
            replayed: false,
          };
          if (idempotent) recordOutcome(services.store, idempotent, outcome);
          return outcome;
        };
        return operation.method === "GET" ? once() : services.store.transaction(once);
      };

      let outcome: Outcome;
      if (typeof handler === "function") {
        outcome = act(handler);
      } else {
        // A replay must not run the functions again; only a fresh request prepares.
        const context = current();
        const idempotent = replayable(context);
        const replay = idempotent && services.store.transaction(() => findReplay(services.store, idempotent));
        if (replay) outcome = replay;
        else {
          const prepared = await handler.prepare(context);
          outcome = act((fresh) => handler.act(fresh, prepared));
        }
      }
      if (outcome.replayed) reply.header("idempotent-replayed", "true");
      reply.code(outcome.status);
      return outcome.status === 204 ? reply.send() : reply.send(outcome.body);
    },
  });
}
