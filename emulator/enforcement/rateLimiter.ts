import { RATE_LIMIT_PERIOD_MS, type RateLimit } from "../../client/schemas";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** One key's admitted requests, oldest first; entries before `head` have left the window. */
interface AdmissionLog {
  times: number[];
  head: number;
}

/**
 * Sliding-window-log rate limiting, per key: a request is admitted when fewer than
 * `limit.requests` admitted requests fall in the last `limit.period`. Unlike a fixed window it
 * never lets a burst of 2x through at a window boundary, and Retry-After is exact: the time until
 * the oldest admitted request leaves the window. Refused requests do not take a slot, so a client
 * that honours Retry-After gets in. The log lives in memory (at most `requests` timestamps per
 * key): a restart starts every window afresh. Expired entries are dropped from the front, so a
 * check costs O(1) amortized however many requests the window holds.
 */
export class RateLimiter {
  private readonly admitted = new Map<string, AdmissionLog>();

  check(keyId: string, limit: RateLimit | undefined, now: number): RateDecision {
    if (!limit) return { allowed: true };
    const period = RATE_LIMIT_PERIOD_MS[limit.period];
    let log = this.admitted.get(keyId);
    if (!log) {
      log = { times: [], head: 0 };
      this.admitted.set(keyId, log);
    }
    // Admissions "from the future" after the clock was set back no longer count (rare).
    if (log.times.length > log.head && log.times[log.times.length - 1] > now) {
      log.times = log.times.slice(log.head).filter((at) => at <= now);
      log.head = 0;
    }
    while (log.head < log.times.length && log.times[log.head] <= now - period) log.head++;
    if (log.head > 1024 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    if (log.times.length - log.head < limit.requests) {
      log.times.push(now);
      return { allowed: true };
    }
    const frees = log.times[log.times.length - limit.requests] + period;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((frees - now) / 1000)) };
  }

  forget(keyId: string): void {
    this.admitted.delete(keyId);
  }
}
