import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import { DENIAL_CODES } from "../client/schemas";
import { ShiftableClock, systemClock, type Clock } from "./clock";
import { RateLimiter } from "./enforcement/rateLimiter";
import { ApiError, invalidRequest, noRoute, sendError, toApiError } from "./errors";
import { FaultInjector } from "./faults";
import { bodyDeadline } from "./http/bodyDeadline";
import { injectFaultsAfter, injectFaultsBefore } from "./http/faultHooks";
import { jsonProblem } from "./http/jsonBody";
import { logRequest } from "./http/requestLog";
import type { Services } from "./http/state";
import { ensureRootKey } from "./keys";
import { registerRoutes } from "./routes";
import { FunctionRunner, type RunnerOptions } from "./workers";
import { newId } from "./secrets";
import type { Store } from "./store";

export interface AppOptions {
  store: Store;
  /** Source of "now" (default: the system clock); the emulator adds its own shiftable offset. */
  clock?: Clock;
  /** Secret of the bootstrap root key: every scope, any organization. */
  rootKey: string;
  /** fastify logger option (default: off). */
  logger?: FastifyServerOptions["logger"];
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Trust X-Forwarded-For for the client IP (default false: the socket address counts). */
  trustProxy?: boolean;
  faults?: FaultInjector;
  /**
   * How long a request's headers may take to arrive, and its body after them (default 10 s each);
   * a slower request is answered 408 and its connection closed, so slow clients cannot hold
   * connections forever.
   */
  bodyTimeoutMs?: number;
  /** Limits of function runs: time per function and per request, workers, memory. */
  functions?: RunnerOptions;
}

export interface EmulatorApp {
  app: FastifyInstance;
  faults: FaultInjector;
  clock: ShiftableClock;
  rootKeyId: string;
  /** The contract operations this app serves, with the query schema of each. */
  operations: Services["operations"];
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const MIN_ROOT_KEY_LENGTH = 16;

/** Codes that mean "the key may not do this": recorded as the log entry's denialReason. */
const DENIALS = new Set<string>(DENIAL_CODES);

/**
 * Builds the Admin.do emulator: its fastify instance and controls (faults, clock). Never listens:
 * drive it with `app.inject()`, or `app.listen()` it; startEmulator (server.ts) does that and owns
 * the database too.
 */
export function buildEmulator(options: AppOptions): EmulatorApp {
  if (options.rootKey.length < MIN_ROOT_KEY_LENGTH) {
    throw new Error(`The root key must be at least ${MIN_ROOT_KEY_LENGTH} characters long.`);
  }
  const clock = new ShiftableClock(options.clock ?? systemClock);
  const services: Services = {
    store: options.store,
    clock: clock.now,
    clockControl: clock,
    limiter: new RateLimiter(),
    faults: options.faults ?? new FaultInjector(),
    operations: new Map(),
    functions: new FunctionRunner(options.functions),
  };
  const root = ensureRootKey(options.store, options.rootKey, clock.now().getTime());
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  // Node's own bounds, checked every second: headers that trickle in get the same time as a body
  // (Node answers 408 and closes), and the whole request a little more than both, as the backstop
  // behind the body deadline below.
  const requestTimeout = 2 * bodyTimeoutMs + 1_000;

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    requestTimeout,
    http: {
      requestTimeout,
      headersTimeout: bodyTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    trustProxy: options.trustProxy ?? false,
    genReqId: () => newId("req"),
    // Request ids are ours: a client-supplied X-Request-Id must not be able to forge log ids.
    requestIdHeader: false,
    // Errors the router raises before any hook (an over-long or malformed path) get the common body too.
    frameworkErrors: (error, request, reply) => {
      reply.header("x-request-id", request.id);
      return sendError(request, reply, toApiError(error));
    },
  });
  app.decorateRequest("admindo", null as never);

  // JSON bodies, but an empty body (a DELETE or a bodiless POST) is "no body", not a syntax error.
  // Nesting and lone surrogates are refused before parsing (jsonBody.ts).
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === "") return done(null, undefined);
    const problem = jsonProblem(text);
    if (problem) return done(invalidRequest(`The request body is invalid: it ${problem}.`), undefined);
    parseJson(request, text, done);
  });

  // Hooks every request passes through take callbacks, not promises: cheaper on the hot path.
  app.addHook("onRequest", (request, reply, done) => {
    request.admindo = {
      receivedAt: clock.now().getTime(),
      arrivedAt: performance.now(),
      project: null,
      resource: null,
    };
    reply.header("x-request-id", request.id);
    done();
  });
  app.addHook("preParsing", bodyDeadline(bodyTimeoutMs));
  app.addHook("onRequest", injectFaultsBefore(services));
  app.addHook("onSend", injectFaultsAfter());
  app.addHook("onResponse", logRequest(services));

  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500 && !(error instanceof ApiError))
      request.log.error({ err: error }, "unexpected error");
    if (DENIALS.has(apiError.code) && request.admindo) request.admindo.denial = apiError.code;
    return sendError(request, reply, apiError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, noRoute(request.method, request.url.split("?")[0])),
  );

  app.addHook("onClose", () => services.functions.close());

  registerRoutes(app, services);
  return { app, faults: services.faults, clock, rootKeyId: root.id, operations: services.operations };
}

/** `buildEmulator(options).app`: the fastify instance alone, for callers that need nothing else. */
export function buildApp(options: AppOptions): FastifyInstance {
  return buildEmulator(options).app;
}
