import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import {
  statusOfCode,
  type DENIAL_CODES,
  type ErrorBody,
  type ErrorCode,
  type FieldIssue,
} from "../client/schemas";
import { fieldIssue, toWireIssue } from "../client/validate";

/**
 * Every error the emulator answers, made by the named factories below (Azurite's
 * StorageErrorFactory) and written by {@link sendError} alone, so that every route's error body
 * agrees. Statuses come from the table the client reads too (ERROR_STATUSES in
 * client/schemas/errors.ts); validation details are field issues in their wire form.
 */

interface ApiErrorInit {
  details?: unknown;
  /** Seconds for Retry-After (429 and 503). */
  retryAfter?: number;
  /** When not the code's own status (see ERROR_STATUSES: 408, 414, 415). */
  status?: number;
}

/** A failure the API reports to its caller. Thrown anywhere; rendered only by {@link sendError}. */
export class ApiError extends Error {
  readonly status: number;
  readonly details: unknown;
  readonly retryAfter: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    init: ApiErrorInit = {},
  ) {
    super(message);
    this.status = init.status ?? statusOfCode(code);
    this.details = init.details;
    this.retryAfter = init.retryAfter;
  }
}

/** 400: the request is malformed; `issues` name the fields (details: `[{ path, message }]`). */
export function invalidRequest(message: string, issues?: FieldIssue[]): ApiError {
  return new ApiError("invalid_request", message, { details: issues?.map(toWireIssue) });
}

/** 400 about one field: what is wrong with it (`problem`, in the details) and the whole sentence. */
export function invalidField(path: PropertyKey[], problem: string, message: string): ApiError {
  return invalidRequest(message, [fieldIssue(path, problem)]);
}

/** 400 for what a zod schema refused in the body (or in `what`, its issue paths under `prefix`). */
export function invalidInput(error: z.ZodError, what = "request body", prefix: PropertyKey[] = []): ApiError {
  const issues = error.issues.map((issue) => fieldIssue([...prefix, ...issue.path], issue.message));
  const first = issues.length > 0 ? toWireIssue(issues[0]) : undefined;
  const summary = first ? `${first.path || what}: ${first.message}` : "invalid";
  return invalidRequest(`The ${what} is invalid: ${summary}`, issues);
}

/** 408: the body did not arrive within `ms` of its headers. */
export const bodyTimeout = (ms: number) =>
  new ApiError("invalid_request", `The request body did not arrive within ${ms} ms of its headers.`, {
    status: 408,
  });

/** 413 */
const payloadTooLarge = () => new ApiError("payload_too_large", "The request body is too large.");

/** 414: raised by the router before any hook; its message would quote the whole (long) path. */
const pathTooLong = () =>
  new ApiError(
    "invalid_request",
    "A path parameter is too long: no id of this API is longer than 100 characters.",
    { status: 414 },
  );

/** 415 */
const notJson = () =>
  new ApiError(
    "invalid_request",
    "Unsupported Content-Type: send JSON with Content-Type: application/json.",
    {
      status: 415,
    },
  );

/** 401 */
export const unauthenticated = (message: string) => new ApiError("unauthenticated", message);

type Forbidden = Exclude<(typeof DENIAL_CODES)[number], "rate_limited">;

/** 403: the key may not do this; `details` say what it lacked. */
export const forbidden = (code: Forbidden, message: string, details?: unknown) =>
  new ApiError(code, message, { details });

/** 404 */
export const notFound = (what: string, id: string) =>
  new ApiError("not_found", `${what} ${JSON.stringify(id)} does not exist.`);

/** 404 for a method and path no operation serves. */
export const noRoute = (method: string, path: string) =>
  new ApiError("not_found", `There is no route ${method} ${path}.`);

/** 409 */
export const conflict = (message: string) => new ApiError("conflict", message);

/** 422: function code failed. */
export const executionFailed = (message: string) => new ApiError("execution_failed", message);

/** 429, with Retry-After. */
export const rateLimited = (message: string, retryAfter: number | undefined, details?: unknown) =>
  new ApiError("rate_limited", message, { retryAfter, details });

/** 500 */
export const internalError = (message: string) => new ApiError("internal_error", message);

/** 503, with Retry-After. */
export const serviceUnavailable = (message: string, retryAfter: number | undefined) =>
  new ApiError("service_unavailable", message, { retryAfter });

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message, requestId } };
  if (error.details !== undefined) body.error.details = error.details;
  return body;
}

/** Converts anything thrown into an ApiError: ours as they are, fastify's by their code, the rest as 500. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const fastifyError = error as { code?: string; statusCode?: number; message?: string };
  switch (fastifyError.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return payloadTooLarge();
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return notJson();
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return invalidRequest("The Content-Length header does not match the body.");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return pathTooLong();
    case "FST_ERR_BAD_URL":
      return invalidRequest("The URL is malformed (invalid percent-encoding).");
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // JSON syntax errors and other client errors fastify detects while parsing.
    return invalidRequest(`The request is malformed: ${fastifyError.message ?? "bad request"}`);
  }
  return internalError("The emulator failed unexpectedly; see its log for details.");
}

/** The one place an error response is written: status, Retry-After and the common body. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
  if (error.status === 401) reply.header("www-authenticate", 'Bearer realm="admin.do"');
  return reply.code(error.status).type("application/json").send(errorBody(error, request.id));
}
