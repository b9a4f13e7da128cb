import { DAYS_OF_WEEK, normalizeCidr, normalizeReferrer } from "../../client/schemas";
import type { API_KEY, API_KEY_RESTRICTIONS, RESTRICTION_PROPERTIES, RotationMarker } from "../../resource";
import { isOpaque, isRecord, opaqueOf, opaqueWithin, readString, readStringSet, type Field } from "./values";

/**
 * What the review compares, read from a resource's properties in preview JSON and put in
 * canonical form (sets sorted, CIDRs as networks, empty lists meaning "no restriction"). The
 * settings are the inputs of the model (resource/), each read by the reader below: an input added
 * to the model does not compile here until the review says how to read it. Only these fields are
 * ever read: the secret `key`, its prefix and the serialized provider never enter the review.
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

/** The provider's `rotation` input as preview JSON holds it (any reason a newer provider may write). */
export type Marker = { [K in keyof RotationMarker]: string };

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

/** How the review reads each restriction field (resource/restrictions.ts). */
const RESTRICTION_READERS = {
  ipAddresses: (value: unknown) => readStringSet(value, normalizeNetwork),
  referrers: (value: unknown) => readStringSet(value, normalizeSite),
  rateLimit: readRateLimit,
  timeRestrictions: readTimeWindow,
} satisfies Record<keyof typeof RESTRICTION_PROPERTIES, (value: unknown) => unknown>;

/** Networks and referrers: empty means any; rate limit and time window: absent means none. */
export type RestrictionSettings = {
  [K in keyof typeof RESTRICTION_READERS]: ReturnType<(typeof RESTRICTION_READERS)[K]>;
};

/** Restrictions from an object with ipAddresses, referrers, rateLimit, timeRestrictions. */
function readRestrictions(value: Record<string, unknown>): RestrictionSettings {
  return {
    ipAddresses: RESTRICTION_READERS.ipAddresses(value.ipAddresses),
    referrers: RESTRICTION_READERS.referrers(value.referrers),
    rateLimit: RESTRICTION_READERS.rateLimit(value.rateLimit),
    timeRestrictions: RESTRICTION_READERS.timeRestrictions(value.timeRestrictions),
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

function readMarker(value: unknown): Field<Marker> | undefined {
  const opaque = opaqueWithin(value);
  if (opaque) return opaque;
  if (!isRecord(value) || typeof value.reason !== "string" || typeof value.at !== "string") return undefined;
  return { reason: value.reason, at: value.at };
}

function readKeyRestrictions(value: unknown): Field<RestrictionSettings> | undefined {
  if (value === undefined || value === null) return undefined;
  return opaqueOf(value) ?? (isRecord(value) ? readRestrictions(value) : undefined);
}

/**
 * How the review reads each ApiKey input. Scopes and projects are sets (absent: empty, which for
 * projects means every project); expiresAt is a fixed expiry as the program wrote it; rotation
 * triggers are fingerprints, never shown; `rotation` is the provider's record of the current
 * secret's rotation (keys rotated in place only).
 */
const KEY_READERS = {
  name: readString,
  description: readString,
  organization: readString,
  scopes: (value: unknown) => readStringSet(value),
  projects: (value: unknown) => readStringSet(value),
  restrictions: readKeyRestrictions,
  expiresAt: readString,
  expiresIn: readString,
  rotateBeforeExpiry: readString,
  rotationPeriod: readString,
  rotationTriggers: readTriggers,
  rotationOverlap: readString,
  rotation: readMarker,
} satisfies Record<keyof typeof API_KEY.inputs, (value: unknown) => unknown>;

type Read<R> = { [K in keyof R]?: R[K] extends (value: unknown) => infer T ? Exclude<T, undefined> : never };

export type KeySettings = Read<typeof KEY_READERS> & {
  scopes: Field<string[]>;
  /** Empty means every project of the organization. */
  projects: Field<string[]>;
  /** From the old state only: when the key was created, when it expires, its status. */
  createdAt?: string;
  absoluteExpiry?: string;
  status?: string;
};

const RESTRICTIONS_RESOURCE_READERS = {
  ...RESTRICTION_READERS,
  keyId: readString,
  overwrite: (value: unknown) => (value === true ? true : undefined),
} satisfies Record<keyof typeof API_KEY_RESTRICTIONS.inputs, (value: unknown) => unknown>;

export interface RestrictionsResourceSettings {
  keyId?: Field<string>;
  restrictions: RestrictionSettings;
  overwrite?: boolean;
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
    scopes: KEY_READERS.scopes(props.scopes),
    projects: KEY_READERS.projects(props.projects),
  };
  for (const name of Object.keys(KEY_READERS) as (keyof typeof KEY_READERS)[]) {
    if (name === "scopes" || name === "projects") continue;
    // Old outputs hold the absolute expiry even when the program gave a lifetime.
    const source = name === "expiresAt" && oldInputs ? oldInputs : props;
    optional(settings as Record<string, unknown>, name, KEY_READERS[name](source[name]));
  }
  if (oldInputs) {
    const absolute = readString(props.expiresAt);
    if (typeof absolute === "string") settings.absoluteExpiry = absolute;
    if (typeof props.createdAt === "string") settings.createdAt = props.createdAt;
    if (typeof props.status === "string") settings.status = props.status;
  }
  return settings;
}

export function readRestrictionsResource(props: Record<string, unknown>): RestrictionsResourceSettings {
  const settings: RestrictionsResourceSettings = { restrictions: readRestrictions(props) };
  optional(settings, "keyId", RESTRICTIONS_RESOURCE_READERS.keyId(props.keyId));
  optional(settings, "overwrite", RESTRICTIONS_RESOURCE_READERS.overwrite(props.overwrite));
  return settings;
}

/** True when restrictions admit every request (no list, limit or window). */
export function isUnrestricted(restrictions: Field<RestrictionSettings> | undefined): boolean {
  if (restrictions === undefined) return true;
  if (isOpaque(restrictions)) return false;
  const { ipAddresses, referrers, rateLimit, timeRestrictions } = restrictions;
  const empty = (list: Field<string[]>) => !isOpaque(list) && list.length === 0;
  return empty(ipAddresses) && empty(referrers) && rateLimit === undefined && timeRestrictions === undefined;
}
