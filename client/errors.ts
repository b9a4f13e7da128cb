import {
  ERROR_STATUSES,
  WireIssueSchema,
  type ErrorClassName,
  type ErrorCode,
  type FieldIssue,
} from "./schemas";
import { fromWireIssue } from "./validate";

/**
 * Codes the client itself assigns, next to the server's {@link ErrorCode}s. Like undici's
 * `UND_ERR_*`, they are stable strings callers can match on, across versions of this package.
 */
export const CLIENT_ERROR_CODES = [
  "validation_failed",
  "connection_error",
  "timeout",
  "aborted",
  "invalid_response",
  /** Fallback when an error response has no readable `{ error: { code } }` body. */
  "http_error",
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];
/** A newer server may send codes this client does not know yet, hence the open string. */
export type AdminErrorCode = ErrorCode | ClientErrorCode | (string & {});

export interface AdminApiErrorInit {
  code: AdminErrorCode;
  status?: number;
  requestId?: string;
  details?: unknown;
  cause?: unknown;
  /** Milliseconds the server asked us to wait (Retry-After), on 429 and 503. */
  retryAfterMs?: number;
}

/** Marks the client's errors; `Symbol.for`, so every copy of this package marks them alike. */
const BRAND = Symbol.for("pulumi-admindo.client.AdminApiError");

/**
 * Base class of every error the client throws. Enumerable properties are only `code`, `status`,
 * `requestId`, `details` (and `retryAfterMs`/`issues` on subclasses): never headers, the API key or
 * key material, so logging or serializing an error is safe.
 *
 * `instanceof` works across copies of this package (two versions in one node_modules tree, or the
 * provider's copy and a program's), as undici's errors do: it compares a brand, not prototypes.
 * `error instanceof NotFoundError` holds for a NotFoundError of any copy.
 */
export class AdminApiError extends Error {
  static [Symbol.hasInstance](instance: unknown): boolean {
    const classes = (instance as { [BRAND]?: unknown } | null | undefined)?.[BRAND];
    return Array.isArray(classes) && classes.includes(this.name);
  }

  /** The names of the error's classes, its own up to AdminApiError. */
  get [BRAND](): string[] {
    const names: string[] = [];
    for (
      let proto = Object.getPrototypeOf(this);
      proto !== Error.prototype;
      proto = Object.getPrototypeOf(proto)
    ) {
      names.push(proto.constructor.name);
    }
    return names;
  }

  readonly code: AdminErrorCode;
  /** HTTP status of the response; undefined when no response arrived (validation, network). */
  readonly status: number | undefined;
  /** The server's X-Request-Id, to quote when reporting a problem. */
  readonly requestId: string | undefined;
  readonly details: unknown;

  constructor(message: string, init: AdminApiErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    // Non-enumerable like Error's own `name`, so JSON.stringify shows only the useful fields.
    Object.defineProperty(this, "name", { value: new.target.name, configurable: true, writable: true });
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.details = init.details;
  }
}

/** Parameters rejected by the request schemas before anything was sent. */
export class ValidationError extends AdminApiError {
  declare readonly details: FieldIssue[];
  constructor(message: string, issues: FieldIssue[]) {
    super(message, { code: "validation_failed", details: issues });
  }
  /** The failed fields (the same array as `details`, typed). */
  get issues(): FieldIssue[] {
    return this.details;
  }
}

/** The server rejected the request as malformed (400, 408, 413, 414, 415, 422). */
export class InvalidRequestError extends AdminApiError {
  /** The failed fields when the server named them (`details` of invalid_request), else none. */
  get issues(): FieldIssue[] {
    const parsed = WireIssueSchema.array().safeParse(this.details);
    return parsed.success ? parsed.data.map(fromWireIssue) : [];
  }
}
/** The key is missing, unknown, revoked or expired (401). */
export class AuthenticationError extends AdminApiError {}
/** The key is valid but may not do this: scope, project, IP, referrer or time window (403). */
export class PermissionError extends AdminApiError {}
/** Unknown id (404). */
export class NotFoundError extends AdminApiError {}
/** The request conflicts with the current state (409). */
export class ConflictError extends AdminApiError {}

/** Too many requests (429); `retryAfterMs` is the server's Retry-After when it sent one. */
export class RateLimitError extends AdminApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: AdminApiErrorInit) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** The server failed (5xx); `retryAfterMs` is set when a 503 carried Retry-After. */
export class ServerError extends AdminApiError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, init: AdminApiErrorInit) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** No response arrived: refused or reset connection, DNS failure, closed socket, or caller abort. */
export class ConnectionError extends AdminApiError {}
/** No complete response within the timeout (code "timeout"). */
export class TimeoutError extends ConnectionError {}
/** A response arrived but does not match the contract's schema (code "invalid_response"). */
export class InvalidResponseError extends AdminApiError {}

/** The code to use when an error response carries no readable body. */
export function defaultCodeFor(status: number): AdminErrorCode {
  return ERROR_STATUSES[status]?.code ?? (status >= 500 ? "internal_error" : "http_error");
}

const CLASSES: Record<ErrorClassName, typeof AdminApiError> = {
  InvalidRequestError,
  AuthenticationError,
  PermissionError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
};

/**
 * The one place that maps an HTTP status to an error class (stripe-node's `generateV1Error`), by
 * the table of error statuses in schemas/errors.ts.
 */
export function errorForStatus(status: number, message: string, init: AdminApiErrorInit): AdminApiError {
  const row = ERROR_STATUSES[status];
  const ErrorClass = row ? CLASSES[row.error] : status >= 500 ? ServerError : AdminApiError;
  return new ErrorClass(message, { ...init, status });
}
