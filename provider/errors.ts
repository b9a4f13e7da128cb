/**
 * Errors thrown by the provider reach the Pulumi CLI output. They are built from the client's
 * typed errors, whose messages never carry key material; nothing else of the cause is copied.
 */
interface ClientErrorLike {
  code?: unknown;
  status?: unknown;
  requestId?: unknown;
  message?: unknown;
}

export function isNotFound(error: unknown): boolean {
  const e = error as ClientErrorLike | undefined;
  return e?.code === "not_found" || e?.status === 404;
}

export function describeFailure(action: string, error: unknown): Error {
  const e = (error ?? {}) as ClientErrorLike;
  const facts = [
    typeof e.code === "string" ? `code ${e.code}` : undefined,
    typeof e.status === "number" ? `HTTP ${e.status}` : undefined,
    typeof e.requestId === "string" ? `request ${e.requestId}` : undefined,
  ].filter(Boolean);
  const message = typeof e.message === "string" ? e.message : String(error);
  // The client's messages already name status, code and request id; add them only when missing.
  const missing = typeof e.requestId === "string" && message.includes(e.requestId) ? [] : facts;
  return new Error(`${action} failed: ${message}${missing.length ? ` (${missing.join(", ")})` : ""}`);
}
