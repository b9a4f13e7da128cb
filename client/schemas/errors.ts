import { z } from "zod";

/**
 * Why an authenticated request was refused. These also appear as `denialReason` in request logs
 * (`rate_limited` too, though its status is 429).
 */
export const DENIAL_CODES = [
  "key_revoked",
  "key_expired",
  "insufficient_scope",
  "scope_escalation",
  "project_not_allowed",
  "project_required",
  "organization_not_allowed",
  "ip_not_allowed",
  "referrer_not_allowed",
  "outside_allowed_time",
  "rate_limited",
] as const;

/** Stable error codes of the Admin.do API. Clients match on these, never on messages. */
export const ERROR_CODES = [
  "invalid_request",
  "unauthenticated",
  "not_found",
  "conflict",
  "payload_too_large",
  "internal_error",
  "service_unavailable",
  "execution_failed",
  ...DENIAL_CODES,
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The client's error classes (client/errors.ts), by name. */
export type ErrorClassName =
  | "InvalidRequestError"
  | "AuthenticationError"
  | "PermissionError"
  | "NotFoundError"
  | "ConflictError"
  | "RateLimitError"
  | "ServerError";

export interface ErrorStatus {
  /** What the status means when the error body does not say: the code a client assumes then. */
  code?: ErrorCode;
  /** Other codes the API answers with this status. */
  also?: readonly ErrorCode[];
  /** The class of the client's error for this status. */
  error: ErrorClassName;
}

/**
 * The one table of error statuses, read by the emulator (the status it answers a code with: the
 * first one listing it) and by the client (the error class of a status, and its code when the
 * body has none). A status not listed is a ServerError from 500 up, else a plain AdminApiError.
 */
export const ERROR_STATUSES: Readonly<Record<number, ErrorStatus>> = {
  400: { code: "invalid_request", error: "InvalidRequestError" },
  401: { code: "unauthenticated", error: "AuthenticationError" },
  403: { also: DENIAL_CODES.filter((code) => code !== "rate_limited"), error: "PermissionError" },
  404: { code: "not_found", error: "NotFoundError" },
  /** The request's body did not arrive in time. */
  408: { code: "invalid_request", error: "InvalidRequestError" },
  409: { code: "conflict", error: "ConflictError" },
  413: { code: "payload_too_large", error: "InvalidRequestError" },
  /** A path parameter is longer than any id. */
  414: { code: "invalid_request", error: "InvalidRequestError" },
  /** The body is not JSON. */
  415: { code: "invalid_request", error: "InvalidRequestError" },
  422: { code: "invalid_request", also: ["execution_failed"], error: "InvalidRequestError" },
  429: { code: "rate_limited", error: "RateLimitError" },
  500: { code: "internal_error", error: "ServerError" },
  503: { code: "service_unavailable", error: "ServerError" },
};

const STATUS_OF_CODE = new Map<string, number>();
for (const [status, { code, also = [] }] of Object.entries(ERROR_STATUSES)) {
  for (const listed of code ? [code, ...also] : also) {
    if (!STATUS_OF_CODE.has(listed)) STATUS_OF_CODE.set(listed, Number(status));
  }
}

/** The HTTP status an error code is answered with. */
export function statusOfCode(code: ErrorCode): number {
  return STATUS_OF_CODE.get(code)!;
}

/** One failed field: `field` is the printable form of `path`, e.g. "restrictions.ipAddresses[0]". */
export interface FieldIssue {
  field: string;
  path: PropertyKey[];
  message: string;
}

/**
 * A {@link FieldIssue} as it travels in the `details` of an invalid_request error: the path
 * dot-separated, array indexes as numbers (`"restrictions.ipAddresses.0"`).
 */
export const WireIssueSchema = z.object({ path: z.string(), message: z.string() });
export type WireIssue = z.infer<typeof WireIssueSchema>;

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .unknown()
      .optional()
      .describe(
        'invalid_request: the fields that failed, as [{ "path": "restrictions.ipAddresses.0", "message": "…" }]; ' +
          'a refusal: what the key lacked, e.g. { "required": "admin:write" } or { "scopes": [ … ] }.',
      ),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
