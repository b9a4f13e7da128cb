import type { RateLimit } from "../../client/schemas";

const PERIOD_MS: Record<RateLimit["period"], number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Sliding-window-log rate limiting, per key: a request is admitted when fewer than
 * `limit.requests` admitted requests fall in the last `limit.period`. Unlike a fixed window it
 * never lets a burst of 2x through at a window boundary, and Retry-After is exact: the time until
 * the oldest admitted request leaves the window. Refused requests do not take a slot, so a client
 * that honours Retry-After gets in. The log lives in memory (at most `requests` timestamps per
 * key): a restart starts every window afresh.
 */
export class RateLimiter {
  private readonly admitted = new Map<string, number[]>();

  check(keyId: string, limit: RateLimit | undefined, now: number): RateDecision {
    if (!limit) return { allowed: true };
    const period = PERIOD_MS[limit.period];
    // Drop requests that left the window, and any "from the future" after the clock was set back.
    const log = (this.admitted.get(keyId) ?? []).filter((at) => at > now - period && at <= now);
    if (log.length < limit.requests) {
      log.push(now);
      this.admitted.set(keyId, log);
      return { allowed: true };
    }
    this.admitted.set(keyId, log);
    const frees = log[log.length - limit.requests] + period;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((frees - now) / 1000)) };
  }

  forget(keyId: string): void {
    this.admitted.delete(keyId);
  }
}
