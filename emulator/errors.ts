import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import type { ErrorBody, ErrorCode } from "../client/schemas";

/** The HTTP status each error code is answered with; one table, so every route agrees. */
const STATUS_OF: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthenticated: 401,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  key_revoked: 403,
  key_expired: 403,
  insufficient_scope: 403,
  scope_escalation: 403,
  project_not_allowed: 403,
  project_required: 403,
  organization_not_allowed: 403,
  ip_not_allowed: 403,
  referrer_not_allowed: 403,
  outside_allowed_time: 403,
  execution_failed: 422,
};

/** A failure the API reports to its caller. Thrown anywhere; rendered only by {@link sendError}. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds for Retry-After (429 and 503). */
    readonly retryAfter?: number,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS_OF[code];
  }
}

export interface Issue {
  path: string;
  message: string;
}

/** Zod issues as `[{ path: "restrictions.ipAddresses.0", message }]`, with `prefix` for query/headers. */
export function issuesOf(error: z.ZodError, prefix = ""): Issue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter((part) => part !== "").join("."),
    message: issue.message,
  }));
}

export function invalidRequest(error: z.ZodError, what = "request body", prefix = ""): ApiError {
  const issues = issuesOf(error, prefix);
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : "invalid";
  return new ApiError("invalid_request", `The ${what} is invalid: ${summary}`, issues);
}

export function notFound(what: string, id: string): ApiError {
  return new ApiError("not_found", `${what} ${JSON.stringify(id)} does not exist.`);
}

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
      return new ApiError("payload_too_large", "The request body is too large.");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new ApiError(
        "invalid_request",
        "Unsupported Content-Type: send JSON with Content-Type: application/json.",
        undefined,
        undefined,
        415,
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new ApiError("invalid_request", "The Content-Length header does not match the body.");
    // Raised by the router before any hook; the message would quote the whole (long) path.
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new ApiError(
        "invalid_request",
        "A path parameter is too long: no id of this API is longer than 100 characters.",
        undefined,
        undefined,
        414,
      );
    case "FST_ERR_BAD_URL":
      return new ApiError("invalid_request", "The URL is malformed (invalid percent-encoding).");
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    // JSON syntax errors and other client errors fastify detects while parsing.
    return new ApiError(
      "invalid_request",
      `The request is malformed: ${fastifyError.message ?? "bad request"}`,
    );
  }
  return new ApiError("internal_error", "The emulator failed unexpectedly; see its log for details.");
}

/** The one place an error response is written: status, Retry-After and the common body. */
export function sendError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
  if (error.status === 401) reply.header("www-authenticate", 'Bearer realm="admin.do"');
  return reply.code(error.status).type("application/json").send(errorBody(error, request.id));
}
