import { z } from "zod";

/**
 * Stable error codes of the Admin.do API. Clients match on these, never on messages.
 * Denial codes (the second group) also appear as `denialReason` in request logs.
 */
export const ERROR_CODES = [
  "invalid_request",
  "unauthenticated",
  "not_found",
  "conflict",
  "payload_too_large",
  "rate_limited",
  "internal_error",
  "service_unavailable",
  // why an authenticated request was refused
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
  "execution_failed",
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
