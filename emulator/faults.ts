import { z } from "zod";

/**
 * Fault injection, so tests can prove that clients survive a flaky server. A rule matches
 * requests by method and path prefix and then, for the next `times` matches (or each match with
 * `probability`, drawn from a seeded RNG so runs repeat), answers with an error status, delays
 * the response, or drops the connection. With `after: true` the handler runs first (its writes
 * commit) and only the response is lost: the case idempotency keys exist for.
 *
 * Faults are decided before authentication, and faulted requests are never logged or counted as
 * usage. Routes under /_emulator are never faulted.
 */
export const FaultSpecSchema = z
  .strictObject({
    /** Only requests with this HTTP method (any when absent). */
    method: z
      .string()
      .regex(/^[A-Za-z]+$/)
      .transform((value) => value.toUpperCase())
      .optional(),
    /** Only requests whose path starts with this (any when absent). */
    path: z.string().startsWith("/").optional(),
    /** Fault the next N matching requests (default 1, or unlimited with a probability). */
    times: z.number().int().min(1).optional(),
    /** Fault each matching request with this probability instead of always. */
    probability: z.number().min(0).max(1).optional(),
    /** Seed of the RNG behind `probability`. */
    seed: z.number().int().optional(),
    /** Answer with this status and the common error body (default 500 unless drop or delay only). */
    status: z.union([z.literal(429), z.literal(500), z.literal(503)]).optional(),
    /** Retry-After seconds on 429/503 (default 1). */
    retryAfter: z.number().int().min(0).optional(),
    /** Hold the response back this long. Alone, it only slows the request down. */
    delayMs: z.number().int().min(0).max(60_000).optional(),
    /** Destroy the socket without any response. */
    drop: z.boolean().optional(),
    /** Run the handler (commit its writes) first, then fail or drop the response. */
    after: z.boolean().optional(),
  })
  .refine((spec) => !(spec.drop && spec.status !== undefined), {
    error: "a fault either drops the connection or answers with a status, not both",
  });

export type FaultSpec = z.input<typeof FaultSpecSchema>;

export interface FaultRule extends z.infer<typeof FaultSpecSchema> {
  id: number;
  /** Faults this rule has injected so far. */
  injected: number;
}

/** What happens to one request. */
export interface FaultDecision {
  ruleId: number;
  delayMs: number;
  /** "error" answers with `status`; "drop" destroys the socket; "none" only delays. */
  action: "error" | "drop" | "none";
  status: 429 | 500 | 503;
  retryAfter: number;
  after: boolean;
}

/** mulberry32: a tiny seeded PRNG, enough to make probabilistic faults reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: Array<FaultRule & { random: () => number }> = [];
  private nextId = 1;

  /** Adds a rule; rules are tried in the order they were added. Returns the rule. */
  inject(spec: FaultSpec): FaultRule {
    const parsed = FaultSpecSchema.parse(spec);
    const rule = {
      ...parsed,
      id: this.nextId++,
      injected: 0,
      random: seededRandom(parsed.seed ?? 1),
    };
    this.rules.push(rule);
    return this.describe(rule);
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => this.describe(rule));
  }

  /** Decides the fate of one request; consumes one use of the matching rule. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (path.startsWith("/_emulator")) return undefined;
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method.toUpperCase()) continue;
      if (rule.path !== undefined && !path.startsWith(rule.path)) continue;
      const limit = rule.times ?? (rule.probability === undefined ? 1 : Infinity);
      if (rule.injected >= limit) continue;
      if (rule.probability !== undefined && rule.random() >= rule.probability) continue;
      rule.injected++;
      const action = rule.drop ? "drop" : rule.status === undefined && rule.delayMs ? "none" : "error";
      return {
        ruleId: rule.id,
        delayMs: rule.delayMs ?? 0,
        action,
        status: rule.status ?? 500,
        retryAfter: rule.retryAfter ?? 1,
        after: rule.after ?? false,
      };
    }
    return undefined;
  }

  private describe(rule: FaultRule & { random?: () => number }): FaultRule {
    const { random: _random, ...rest } = rule;
    return { ...rest };
  }
}
