/**
 * Counts per distinct value, in bounded memory: after `limit` distinct values, new ones are
 * counted together as `overflow` (their number of requests) and the counter reports that it is
 * truncated. Memory grows with the number of distinct values, never with the number of requests.
 */
export class Counter<K = string> {
  private readonly counts = new Map<K, number>();
  /** Requests of values that arrived after the limit was reached. */
  overflow = 0;

  constructor(private readonly limit = 10_000) {}

  add(value: K, requests = 1): void {
    const count = this.counts.get(value);
    if (count !== undefined) this.counts.set(value, count + requests);
    else if (this.counts.size < this.limit) this.counts.set(value, requests);
    else this.overflow += requests;
  }

  get truncated(): boolean {
    return this.overflow > 0;
  }

  get size(): number {
    return this.counts.size;
  }

  keys(): K[] {
    return [...this.counts.keys()];
  }

  /** Values by count, most requests first (ties by value); at most `count` of them. */
  top(count = Infinity): { value: K; requests: number }[] {
    return [...this.counts]
      .map(([value, requests]) => ({ value, requests }))
      .sort((a, b) => b.requests - a.requests || String(a.value).localeCompare(String(b.value)))
      .slice(0, count);
  }
}
