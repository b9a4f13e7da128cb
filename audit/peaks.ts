import { RATE_LIMIT_PERIOD_MS, RATE_LIMIT_PERIODS, type RateLimit } from "../client/schemas";

export type Period = RateLimit["period"];

/**
 * The most requests that fell in any one period (a second, a minute, …), from request times
 * given newest first, as the log stream yields them. The API's rate limiter admits a request
 * when fewer than `requests` admitted ones fall in the period before it (a sliding window), so a
 * limit equal to this peak would have admitted every request.
 *
 * Exact, in memory proportional to the peak (the times inside the current window), not to the
 * number of requests: a ring buffer per period.
 */
export class PeakTracker {
  private readonly windows = RATE_LIMIT_PERIODS.map(
    (period) => new SlidingWindow(RATE_LIMIT_PERIOD_MS[period]),
  );
  private previous = Infinity;

  /** Adds one request time (ms). Times must not increase: the log comes newest first. */
  add(time: number): void {
    if (time > this.previous) {
      throw new Error("PeakTracker: request times must come newest first");
    }
    this.previous = time;
    for (const window of this.windows) window.add(time);
  }

  peaks(): Record<Period, number> {
    return Object.fromEntries(
      RATE_LIMIT_PERIODS.map((period, index) => [period, this.windows[index].peak]),
    ) as Record<Period, number>;
  }
}

class SlidingWindow {
  private times = new Float64Array(16);
  private head = 0;
  private size = 0;
  peak = 0;

  constructor(private readonly length: number) {}

  add(time: number): void {
    // Times inside [time, time + length): the window that starts at this request.
    while (this.size > 0 && this.times[this.head] >= time + this.length) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
    if (this.size === this.times.length) this.grow();
    this.times[(this.head + this.size) % this.times.length] = time;
    this.size++;
    if (this.size > this.peak) this.peak = this.size;
  }

  private grow(): void {
    const bigger = new Float64Array(this.times.length * 2);
    for (let i = 0; i < this.size; i++) bigger[i] = this.times[(this.head + i) % this.times.length];
    this.times = bigger;
    this.head = 0;
  }
}
