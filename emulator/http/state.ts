import type { z } from "zod";
import type { OperationName } from "../../client/contract";
import type { Clock, ShiftableClock } from "../clock";
import type { RateLimiter } from "../enforcement/rateLimiter";
import type { FaultDecision, FaultInjector } from "../faults";
import type { FunctionRunner } from "../workers";
import type { KeyRecord, Store } from "../store";

/** What the emulator tracks about one request, from arrival to its log entry. */
export interface RequestState {
  /** Emulator time of arrival: the log entry's timestamp. */
  receivedAt: number;
  /** performance.now() at arrival: deadlines count from here (the emulator clock can be shifted). */
  arrivedAt: number;
  /** SHA-256 of the bearer token, once computed. */
  secretHash?: Buffer;
  /** The authenticated key; unset for unauthenticated requests, which are never logged. */
  caller?: KeyRecord;
  project: string | null;
  /** Resource kind of the operation (the service of its scope). */
  resource: string | null;
  /** Error code of a refusal, for the log's denialReason. */
  denial?: string;
  fault?: FaultDecision;
}

declare module "fastify" {
  interface FastifyRequest {
    admindo: RequestState;
  }
}

/** Everything routes share; built once per app. */
export interface Services {
  store: Store;
  clock: Clock;
  clockControl: ShiftableClock;
  limiter: RateLimiter;
  faults: FaultInjector;
  /** Every contract operation with a route, and the query schema it was registered with. */
  operations: Map<OperationName, z.ZodType>;
  /** Runs function code in worker threads. */
  functions: FunctionRunner;
}
