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

export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One failed field: `field` is the printable form of `path`, e.g. "restrictions.ipAddresses[0]". */
export interface FieldIssue {
  field: string;
  path: PropertyKey[];
  message: string;
}
