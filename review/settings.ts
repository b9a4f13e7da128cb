import { DAYS_OF_WEEK, normalizeCidr, normalizeReferrer } from "../client/schemas";
import { isOpaque, isRecord, opaqueOf, opaqueWithin, readString, readStringSet, type Field } from "./values";

/**
 * What the review compares, read from a resource's properties in preview JSON and put in
 * canonical form (sets sorted, CIDRs as networks, empty lists meaning "no restriction").
 * Only these fields are ever read: the secret `key`, its prefix and the serialized provider
 * never enter the review.
 */

export interface RateLimit {
  requests: number;
  period: string;
}

export interface TimeWindow {
  /** Weekdays in calendar order; empty means every day. */
  daysOfWeek: string[];
  /** Hours 0-23 in ascending order; empty means every hour. */
  hoursOfDay: number[];
  timezone: string;
}

export interface RestrictionSettings {
  /** Networks (normalized CIDRs); empty means any address. */
  ipAddresses: Field<string[]>;
  /** Referrer patterns; empty means any referrer. */
  referrers: Field<string[]>;
  rateLimit: Field<RateLimit> | undefined;
  timeWindow: Field<TimeWindow> | undefined;
}

export interface KeySettings {
  name?: Field<string>;
  description?: Field<string>;
  organization?: Field<string>;
  scopes: Field<string[]>;
  /** Empty means every project of the organization. */
  projects: Field<string[]>;
  /** Undefined: this resource does not manage the key's restrictions. */
  restrictions?: Field<RestrictionSettings>;
  /** A fixed expiry (ISO 8601), as the program wrote it. */
  expiresAt?: Field<string>;
  /** A lifetime such as "90d". */
  expiresIn?: Field<string>;
  rotateBeforeExpiry?: Field<string>;
  rotationPeriod?: Field<string>;
  /** The names of the rotation triggers and whether any value is opaque; values are never shown. */
  rotationTriggers?: Field<Record<string, string>>;
  /** Rotate in place with this overlap ("24h"); absent: rotation replaces the key. */
  rotationOverlap?: Field<string>;
  /** The provider's record of the current secret's rotation (keys rotated in place only). */
  rotationMarker?: Field<RotationMarker>;
  /** From the old state only: when the key was created, when it expires, its status. */
  createdAt?: string;
  absoluteExpiry?: string;
  status?: string;
}

/** Why the current secret of a key rotated in place was issued, and when its schedule started. */
export interface RotationMarker {
  reason: string;
  at: string;
}

export interface RestrictionsResourceSettings {
  keyId?: Field<string>;
  restrictions: RestrictionSettings;
  overwrite?: boolean;
}

const normalizeNetwork = (value: string) => normalizeCidr(value) ?? value;
const normalizeSite = (value: string) => normalizeReferrer(value) ?? value;

function readRateLimit(value: unknown): Field<RateLimit> | undefined {
  const opaque = opaqueWithin(value);
  if (opaque) return opaque;
  if (!isRecord(value) || typeof value.requests !== "number" || typeof value.period !== "string")
    return undefined;
  return { requests: value.requests, period: value.period };
}

function readTimeWindow(value: unknown): Field<TimeWindow> | undefined {
  const opaque = opaqueWithin(value);
  if (opaque) return opaque;
  if (!isRecord(value)) return undefined;
  const days = new Set(Array.isArray(value.daysOfWeek) ? value.daysOfWeek : []);
  const hours = Array.isArray(value.hoursOfDay)
    ? value.hoursOfDay.filter((hour): hour is number => typeof hour === "number")
    : [];
  const window: TimeWindow = {
    daysOfWeek: DAYS_OF_WEEK.filter((day) => days.has(day)),
    hoursOfDay: [...new Set(hours)].sort((a, b) => a - b),
    timezone: typeof value.timezone === "string" && value.timezone ? value.timezone : "UTC",
  };
  // A window over every day and every hour restricts nothing.
  return window.daysOfWeek.length === 0 && window.hoursOfDay.length === 0 ? undefined : window;
}

/** Restrictions from an object with ipAddresses, referrers, rateLimit, timeRestrictions. */
export function readRestrictions(value: Record<string, unknown>): RestrictionSettings {
  return {
    ipAddresses: readStringSet(value.ipAddresses, normalizeNetwork),
    referrers: readStringSet(value.referrers, normalizeSite),
    rateLimit: readRateLimit(value.rateLimit),
    timeWindow: readTimeWindow(value.timeRestrictions),
  };
}

function readTriggers(value: unknown): Field<Record<string, string>> | undefined {
  const opaque = opaqueOf(value);
  if (opaque) return opaque;
  if (!isRecord(value)) return undefined;
  // Values are compared through a fingerprint only, so a trigger that carries something
  // sensitive is never printed.
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, JSON.stringify(item) ?? ""]));
}

function readMarker(value: unknown): Field<RotationMarker> | undefined {
  const opaque = opaqueWithin(value);
  if (opaque) return opaque;
  if (!isRecord(value) || typeof value.reason !== "string" || typeof value.at !== "string") return undefined;
  return { reason: value.reason, at: value.at };
}

function optional<T, K extends keyof T>(settings: T, name: K, value: T[K] | undefined): void {
  if (value !== undefined) settings[name] = value;
}

/**
 * The settings of an ApiKey. `props` are the new inputs, or the old outputs (which hold the
 * inputs plus what the server said); `oldInputs` tells a fixed expiresAt from one computed
 * from expiresIn.
 */
export function readKeySettings(
  props: Record<string, unknown>,
  oldInputs?: Record<string, unknown>,
): KeySettings {
  const settings: KeySettings = {
    scopes: readStringSet(props.scopes),
    projects: readStringSet(props.projects),
  };
  optional(settings, "name", readString(props.name));
  optional(settings, "description", readString(props.description));
  optional(settings, "organization", readString(props.organization));
  if (props.restrictions !== undefined && props.restrictions !== null) {
    const opaque = opaqueOf(props.restrictions);
    settings.restrictions =
      opaque ?? (isRecord(props.restrictions) ? readRestrictions(props.restrictions) : undefined);
  }
  optional(settings, "expiresIn", readString(props.expiresIn));
  optional(settings, "rotateBeforeExpiry", readString(props.rotateBeforeExpiry));
  optional(settings, "rotationPeriod", readString(props.rotationPeriod));
  optional(settings, "rotationTriggers", readTriggers(props.rotationTriggers));
  optional(settings, "rotationOverlap", readString(props.rotationOverlap));
  optional(settings, "rotationMarker", readMarker(props.rotation));
  if (oldInputs) {
    // Old outputs hold the absolute expiry even when the program gave a lifetime.
    optional(settings, "expiresAt", readString(oldInputs.expiresAt));
    const absolute = readString(props.expiresAt);
    if (typeof absolute === "string") settings.absoluteExpiry = absolute;
    if (typeof props.createdAt === "string") settings.createdAt = props.createdAt;
    if (typeof props.status === "string") settings.status = props.status;
  } else {
    optional(settings, "expiresAt", readString(props.expiresAt));
  }
  return settings;
}

export function readRestrictionsResource(props: Record<string, unknown>): RestrictionsResourceSettings {
  const settings: RestrictionsResourceSettings = { restrictions: readRestrictions(props) };
  optional(settings, "keyId", readString(props.keyId));
  if (props.overwrite === true) settings.overwrite = true;
  return settings;
}

/** True when restrictions admit every request (no list, limit or window). */
export function isUnrestricted(restrictions: Field<RestrictionSettings> | undefined): boolean {
  if (restrictions === undefined) return true;
  if (isOpaque(restrictions)) return false;
  const { ipAddresses, referrers, rateLimit, timeWindow } = restrictions;
  const empty = (list: Field<string[]>) => !isOpaque(list) && list.length === 0;
  return empty(ipAddresses) && empty(referrers) && rateLimit === undefined && timeWindow === undefined;
}
