import { z } from "zod";

/** ISO 8601 timestamp with a time zone designator, e.g. 2026-01-01T00:00:00Z. */
export const TimestampSchema = z.iso.datetime({
  offset: true,
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an ISO 8601 timestamp (expected e.g. 2026-01-31T00:00:00Z)`,
});

const DURATION_UNITS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION_PATTERN = /^(\d+)(s|m|h|d|w)$/;

/** Milliseconds in a duration such as "90d", "12h", "30m", "45s" or "2w"; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
}

export const DurationSchema = z
  .string()
  .refine((value) => parseDuration(value) !== undefined && parseDuration(value)! > 0, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a duration (expected a positive number and a unit s, m, h, d or w, e.g. "90d")`,
  });

/**
 * A time window: either absolute bounds or a duration ending now ("24h", "7d", "30d").
 * On the wire it travels as query parameters `start`/`end` or `range`.
 */
export const TimeRangeSchema = z.union([
  z.strictObject({ start: TimestampSchema, end: TimestampSchema.optional() }),
  DurationSchema,
]);
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/**
 * Pagination query shared by every list call. Coerced because query strings arrive as text;
 * `<number>` types the input as a number so callers get a typed `limit`/`offset`, not `unknown`.
 */
export const PageQuerySchema = z.strictObject({
  limit: z.coerce.number<number>().int().min(1).max(100).optional(),
  offset: z.coerce.number<number>().int().min(0).optional(),
});

/** One page of a list response. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    total: z.number().int().min(0),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
    hasMore: z.boolean(),
  });
}
