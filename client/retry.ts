import { AdminApiError } from "./errors";

/** When and how long to wait before trying a request again. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 requests). */
  maxRetries: number;
  /** First backoff ceiling; doubles with every retry. */
  baseDelayMs: number;
  /** Ceiling of the exponential backoff. */
  maxDelayMs: number;
  /** Longest Retry-After we honour; a server asking for more gets this much. */
  maxRetryAfterMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
  /** Current time in ms, to turn an HTTP-date Retry-After into a delay. */
  now: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  now: Date.now,
};

/**
 * Exponential backoff with full jitter (a uniform delay between 0 and the ceiling): clients that
 * failed together spread out instead of retrying in lockstep. `retry` counts from 0.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * ceiling);
}

/**
 * Milliseconds a Retry-After header asks for: delta-seconds ("120", fractions tolerated) or an
 * HTTP date. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Every HTTP-date form starts with a weekday name; Date.parse alone would read "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry`: the server's Retry-After when it sent one (capped),
 * otherwise jittered backoff.
 */
export function retryDelay(retry: number, retryAfterMs: number | undefined, policy: RetryPolicy): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(retry, policy);
}

/**
 * 429 and 5xx are worth another try; other 4xx would fail the same way again (octokit's
 * `doNotRetry` list: 400, 401, 403, 404, 422, plus 409 conflicts).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Whether a failed call may still have been applied by the server: no response arrived
 * (connection error, timeout), or a status retried above (429, 5xx) was still the answer after
 * the retries. A caller that must not make a write twice (the provider's create) keeps what it
 * needs to find out later; every other failure is a definite refusal, or the caller's abort.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof AdminApiError)) return false;
  if (error.code === "connection_error" || error.code === "timeout") return true;
  return error.status !== undefined && isRetryableStatus(error.status);
}

/** Network failures where no response arrived, so trying again can succeed. */
const RETRYABLE_ERROR_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

/** The code of an error or of its cause chain that marks a retryable connection failure. */
export function retryableErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE_ERROR_CODES.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
