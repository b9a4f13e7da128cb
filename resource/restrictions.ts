import { RestrictionsSchema, type TimeRestrictions } from "../client/schemas";
import { accepts, property, type ProgramType } from "./define";

/**
 * The restriction fields, shared by ApiKey (its `restrictions` input) and ApiKeyRestrictions (its
 * own inputs). The schemas are the wire format's; absent means unrestricted.
 */
export const RESTRICTION_PROPERTIES = {
  /** IPv4/IPv6 addresses or CIDRs the key may be used from (host bits allowed: 192.168.1.1/24). Default: any address. */
  ipAddresses: property(RestrictionsSchema.shape.ipAddresses),
  /** Referrer host patterns such as "example.com" or "*.example.org". Default: any referrer. */
  referrers: property(RestrictionsSchema.shape.referrers),
  /** At most `requests` per `period` (second, minute, hour or day). Default: no limit. */
  rateLimit: property(RestrictionsSchema.shape.rateLimit),
  /** Days and hours, in an IANA time zone (default UTC), when the key works. Default: always. */
  timeRestrictions: property(RestrictionsSchema.shape.timeRestrictions, {
    // Any day name type-checks; `check` names the ones that are not weekdays.
    program: accepts<(Omit<TimeRestrictions, "daysOfWeek"> & { daysOfWeek?: string[] }) | undefined>(),
  }),
};

/** Restrictions as programs may pass them (ApiKey's `restrictions` input). */
export type RestrictionsInput = {
  [K in keyof typeof RESTRICTION_PROPERTIES]?: Exclude<
    ProgramType<(typeof RESTRICTION_PROPERTIES)[K]>,
    undefined
  >;
};
