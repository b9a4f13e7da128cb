import { z } from "zod";
import { CidrSchema, ReferrerSchema } from "./network";

export const RATE_LIMIT_PERIODS = ["second", "minute", "hour", "day"] as const;

/** Each rate-limit period's length, to enforce limits and to compare limits given in different periods. */
export const RATE_LIMIT_PERIOD_MS = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
} as const satisfies Record<(typeof RATE_LIMIT_PERIODS)[number], number>;

export const DAYS_OF_WEEK = [
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
] as const;

/** True when `zone` is an IANA time zone known to this runtime's ICU data (e.g. "Europe/Berlin"). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/**
 * Requests are parsed strictly (an unknown or misspelt field is an error, so client bugs surface),
 * responses tolerantly (a field added by a newer server must not break an older client). Both
 * variants come from this one definition.
 */
function defineRestrictions(object: typeof z.strictObject) {
  const rateLimit = object({
    requests: z
      .number()
      .int()
      .min(1, { error: "must be a whole number of at least 1" })
      .describe("Requests allowed per period, at least 1."),
    period: z
      .enum(RATE_LIMIT_PERIODS, {
        error: (issue) =>
          `${JSON.stringify(issue.input)} is not a rate-limit period: must be one of ${RATE_LIMIT_PERIODS.join(", ")}`,
      })
      .describe(`The period the limit counts over: ${RATE_LIMIT_PERIODS.join(", ")}.`),
  });
  const timeRestrictions = object({
    daysOfWeek: z
      .array(
        z.enum(DAYS_OF_WEEK, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a weekday: must be one of ${DAYS_OF_WEEK.join(", ")}`,
        }),
      )
      .optional()
      .describe("Weekdays the key works on, lower case (monday ... sunday). Default: every day."),
    hoursOfDay: z
      .array(HourSchema)
      .optional()
      .describe("Hours of the day (0-23) the key works in. Default: every hour."),
    timezone: TimeZoneSchema.optional().describe(
      'The IANA time zone of days and hours, e.g. "Europe/Berlin". Default: UTC.',
    ),
  });
  const restrictions = object({
    ipAddresses: z.array(CidrSchema).optional(),
    referrers: z.array(ReferrerSchema).optional(),
    rateLimit: rateLimit.optional(),
    timeRestrictions: timeRestrictions.optional(),
  });
  return { rateLimit, timeRestrictions, restrictions };
}

const HourSchema = z
  .number({ error: "must be a whole hour from 0 to 23" })
  .int({ error: "must be a whole hour from 0 to 23" })
  .min(0, { error: (issue) => `hour ${issue.input} is out of range: must be from 0 to 23` })
  .max(23, { error: (issue) => `hour ${issue.input} is out of range: must be from 0 to 23` });

const TimeZoneSchema = z.string().refine(isTimeZone, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an IANA time zone (expected e.g. "UTC" or "America/New_York")`,
});

const strict = defineRestrictions(z.strictObject);
const tolerant = defineRestrictions(z.object as typeof z.strictObject);

/** What a key may be used from, how often and when. Every part is optional; absent means unrestricted. */
export const RestrictionsSchema = strict.restrictions;
export const RateLimitSchema = strict.rateLimit;
export const TimeRestrictionsSchema = strict.timeRestrictions;
/** The same shapes as returned by the server: unknown fields are tolerated. */
export const RestrictionsRecordSchema = tolerant.restrictions;

export type RateLimit = z.infer<typeof RateLimitSchema>;
export type TimeRestrictions = z.infer<typeof TimeRestrictionsSchema>;
export type Restrictions = z.infer<typeof RestrictionsSchema>;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];
