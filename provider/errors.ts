import { AdminApiError } from "../client/errors";

/**
 * Errors thrown by the provider reach the Pulumi CLI output. They are built from the client's
 * typed errors, whose messages never carry key material; nothing else of the cause is copied.
 * `instanceof` on the client's errors holds across copies of the package (client/errors.ts).
 */

export function describeFailure(action: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  // The client's messages already name status, code and request id; add them only when missing.
  if (
    !(error instanceof AdminApiError) ||
    (error.requestId !== undefined && message.includes(error.requestId))
  ) {
    return new Error(`${action} failed: ${message}`);
  }
  const facts = [
    `code ${error.code}`,
    error.status === undefined ? undefined : `HTTP ${error.status}`,
    error.requestId === undefined ? undefined : `request ${error.requestId}`,
  ].filter(Boolean);
  return new Error(`${action} failed: ${message} (${facts.join(", ")})`);
}
