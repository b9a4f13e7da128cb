import fc from "fast-check";
import {
  DAYS_OF_WEEK,
  RATE_LIMIT_PERIODS,
  SCOPES,
  type Restrictions,
  type Scope,
} from "../../../client/schemas";
import { UNKNOWN, type ApiKeyInputs } from "../../../resource";

/**
 * fast-check generators for provider inputs. A "spec" is a valid input in meaning; `spell*`
 * turns it into one of its many equivalent spellings (sets permuted and duplicated, CIDRs with
 * other host bits in the same network, referrers in another case), so properties can compare two
 * spellings of the same thing.
 */

const TIME_ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Adelaide"];
const HOURS = Array.from({ length: 24 }, (_, hour) => hour);
const ORG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,20}$/;

/** A network in IPv4 or IPv6: address bits and prefix length. */
export interface Network {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
  /** Written without a prefix (a single address: /32 or /128). */
  bare: boolean;
}

const network: fc.Arbitrary<Network> = fc.oneof(
  fc.record({
    family: fc.constant(4 as const),
    bits: fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }),
    prefix: fc.integer({ min: 0, max: 32 }),
    bare: fc.boolean(),
  }),
  fc.record({
    family: fc.constant(6 as const),
    bits: fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
    prefix: fc.integer({ min: 0, max: 128 }),
    bare: fc.boolean(),
  }),
);

function width(net: Network): number {
  return net.family === 4 ? 32 : 128;
}

/** The network written with the given host bits (only the bits below the prefix are used). */
function writeNetwork(net: Network, hostBits: bigint, upperCase = false): string {
  const size = width(net);
  const prefix = net.bare ? size : net.prefix;
  const hostMask = (1n << BigInt(size - prefix)) - 1n;
  const bits = (net.bits & ~hostMask & ((1n << BigInt(size)) - 1n)) | (hostBits & hostMask);
  let text: string;
  if (net.family === 4) {
    text = [24n, 16n, 8n, 0n].map((shift) => String((bits >> shift) & 255n)).join(".");
  } else {
    const groups = Array.from({ length: 8 }, (_, index) =>
      ((bits >> BigInt(112 - 16 * index)) & 0xffffn).toString(16),
    );
    text = groups.join(":");
    if (upperCase) text = text.toUpperCase();
  }
  return net.bare ? text : `${text}/${prefix}`;
}

/** A referrer pattern: a host name, maybe a "*." wildcard, maybe a port. */
export interface ReferrerSpec {
  host: string;
  wildcard: boolean;
  port?: number;
}

const referrer: fc.Arbitrary<ReferrerSpec> = fc.record(
  {
    host: fc.domain(),
    wildcard: fc.boolean(),
    port: fc.integer({ min: 1, max: 65535 }),
  },
  { requiredKeys: ["host", "wildcard"] },
);

function writeReferrer(spec: ReferrerSpec, caseBits: boolean[], trailingDot: boolean): string {
  const text = `${spec.wildcard ? "*." : ""}${spec.host}${spec.port === undefined ? "" : `:${spec.port}`}`;
  const cased = [...text]
    .map((char, index) => (caseBits[index % Math.max(1, caseBits.length)] ? char.toUpperCase() : char))
    .join("");
  return trailingDot && spec.port === undefined ? `${cased}.` : cased;
}

export interface RestrictionsSpec {
  networks?: Network[];
  referrers?: ReferrerSpec[];
  rateLimit?: { requests: number; period: (typeof RATE_LIMIT_PERIODS)[number] };
  time?: {
    daysOfWeek?: (typeof DAYS_OF_WEEK)[number][];
    hoursOfDay?: number[];
    timezone?: string;
  };
}

export const restrictionsSpec: fc.Arbitrary<RestrictionsSpec> = fc.record(
  {
    networks: fc.array(network, { maxLength: 5 }),
    referrers: fc.array(referrer, { maxLength: 4 }),
    rateLimit: fc.record({
      requests: fc.integer({ min: 1, max: 1_000_000 }),
      period: fc.constantFrom(...RATE_LIMIT_PERIODS),
    }),
    time: fc.record(
      {
        daysOfWeek: fc.subarray([...DAYS_OF_WEEK]),
        hoursOfDay: fc.subarray(HOURS),
        timezone: fc.constantFrom(...TIME_ZONES),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

export interface KeySpec {
  name: string;
  description?: string;
  organization: string;
  scopes: Scope[];
  projects?: string[];
  restrictions?: RestrictionsSpec;
  /** Lifetime: a fixed future time, or a duration (optionally rotated before expiry). */
  lifetime?: { expiresAt: number } | { expiresIn: number; rotateBeforeExpiry?: number };
  rotationPeriod?: number;
  rotationTriggers?: Record<string, string | number | boolean>;
  /** Seconds; only with a rotation, and shorter than every bound check sets for it. */
  rotationOverlap?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const baseKeySpec: fc.Arbitrary<KeySpec> = fc.record(
  {
    name: fc.string({ minLength: 1, maxLength: 40 }).filter((name) => name.trim().length > 0),
    description: fc.string({ maxLength: 80 }),
    organization: fc.stringMatching(ORG),
    scopes: fc.subarray(SCOPES, { minLength: 1 }),
    projects: fc.array(fc.stringMatching(ORG), { maxLength: 4 }),
    restrictions: restrictionsSpec,
    lifetime: fc.oneof(
      fc.record({ expiresAt: fc.integer({ min: DAY, max: 3_650 * DAY }) }),
      fc
        .record({
          minutes: fc.integer({ min: 120, max: 525_600 }),
          fraction: fc.double({ min: 0, max: 0.9, noNaN: true }),
        })
        .chain(({ minutes, fraction }) =>
          fc.oneof(
            fc.constant({ expiresIn: minutes }),
            // Shorter than the lifetime, and leaving more than an hour before the rotation point.
            fc.constant({
              expiresIn: minutes,
              rotateBeforeExpiry: Math.max(1, Math.floor((minutes - 61) * fraction)),
            }),
          ),
        ),
    ),
    rotationPeriod: fc.integer({ min: 120, max: 525_600 }),
    rotationTriggers: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean()),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: ["name", "organization", "scopes"] },
);

/**
 * The longest overlap (seconds, exclusive) check accepts for a spec: shorter than
 * rotateBeforeExpiry, rotationPeriod, the time between rotations and the lifetime. Undefined when
 * the spec does not rotate.
 */
function overlapBound(spec: KeySpec): number | undefined {
  const lifetime = spec.lifetime && "expiresIn" in spec.lifetime ? spec.lifetime : undefined;
  const before = lifetime?.rotateBeforeExpiry;
  if (spec.rotationPeriod === undefined && before === undefined && spec.rotationTriggers === undefined) {
    return undefined;
  }
  const bounds = [30 * 1_440];
  if (spec.rotationPeriod !== undefined) bounds.push(spec.rotationPeriod);
  if (before !== undefined) bounds.push(before, lifetime!.expiresIn - before);
  else if (lifetime) bounds.push(lifetime.expiresIn);
  return Math.min(...bounds) * 60;
}

/** A key, rotated in place (with rotationOverlap) in some draws when it rotates at all. */
export const keySpec: fc.Arbitrary<KeySpec> = baseKeySpec.chain((spec) => {
  const bound = overlapBound(spec);
  if (bound === undefined) return fc.constant(spec);
  return fc
    .option(fc.double({ min: 0, max: 1, noNaN: true }))
    .map((fraction) =>
      fraction === null
        ? spec
        : { ...spec, rotationOverlap: Math.max(1, Math.floor((bound - 1) * fraction)) },
    );
});

/** Choices that pick one equivalent spelling of a spec. */
export interface Spelling {
  /** Shuffles: arrays of random keys used to reorder each list. */
  order: number[];
  /** Which items to repeat (indexes into the list, modulo its length). */
  repeat: number[];
  hostBits: bigint[];
  caseBits: boolean[];
  trailingDots: boolean[];
  upperCaseV6: boolean;
  /** Write the time zone "UTC" explicitly when absent (it is the default). */
  explicitUtc: boolean;
  /** Spell a fixed expiry with a time-zone offset instead of Z. */
  offsetMinutes: number;
}

export const spelling: fc.Arbitrary<Spelling> = fc.record({
  order: fc.array(fc.integer(), { minLength: 8, maxLength: 8 }),
  repeat: fc.array(fc.nat(), { maxLength: 3 }),
  hostBits: fc.array(fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }), { minLength: 5, maxLength: 5 }),
  caseBits: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  trailingDots: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  upperCaseV6: fc.boolean(),
  explicitUtc: fc.boolean(),
  offsetMinutes: fc.integer({ min: -12 * 60, max: 14 * 60 }),
});

/** `items` reordered by `seed` and with some of them repeated: the same set, spelt differently. */
function respell<T>(items: readonly T[], seed: number, repeat: readonly number[]): T[] {
  const keyed = items.map((item, index) => ({ item, key: Math.imul(index + 1, seed | 1) ^ (seed >>> 3) }));
  const shuffled = keyed.sort((a, b) => a.key - b.key).map(({ item }) => item);
  if (shuffled.length === 0) return shuffled;
  return [...shuffled, ...repeat.map((index) => shuffled[index % shuffled.length])];
}

export function spellRestrictions(spec: RestrictionsSpec, how: Spelling): Restrictions {
  const result: Restrictions = {};
  if (spec.networks) {
    const written = spec.networks.map((net, index) =>
      writeNetwork(net, how.hostBits[index % how.hostBits.length], how.upperCaseV6),
    );
    result.ipAddresses = respell(written, how.order[0], how.repeat);
  }
  if (spec.referrers) {
    const written = spec.referrers.map((ref, index) =>
      writeReferrer(ref, how.caseBits, how.trailingDots[index % how.trailingDots.length]),
    );
    result.referrers = respell(written, how.order[1], how.repeat);
  }
  if (spec.rateLimit) result.rateLimit = { ...spec.rateLimit };
  if (spec.time) {
    const time: NonNullable<Restrictions["timeRestrictions"]> = {};
    if (spec.time.daysOfWeek) time.daysOfWeek = respell(spec.time.daysOfWeek, how.order[2], how.repeat);
    if (spec.time.hoursOfDay) time.hoursOfDay = respell(spec.time.hoursOfDay, how.order[3], how.repeat);
    const timezone = spec.time.timezone ?? (how.explicitUtc ? "UTC" : undefined);
    if (timezone !== undefined) time.timezone = timezone;
    result.timeRestrictions = time;
  }
  return result;
}

/** The program's inputs for a spec, in one spelling. `now` anchors a fixed expiry. */
export function spellKey(spec: KeySpec, how: Spelling, now: number): ApiKeyInputs {
  const inputs: ApiKeyInputs = {
    name: spec.name,
    organization: spec.organization,
    scopes: respell(spec.scopes, how.order[4], how.repeat),
  };
  if (spec.description !== undefined) inputs.description = spec.description;
  if (spec.projects) inputs.projects = respell(spec.projects, how.order[5], how.repeat);
  if (spec.restrictions) inputs.restrictions = spellRestrictions(spec.restrictions, how);
  if (spec.lifetime && "expiresAt" in spec.lifetime) {
    inputs.expiresAt = withOffset(now + spec.lifetime.expiresAt, how.offsetMinutes);
  } else if (spec.lifetime) {
    inputs.expiresIn = `${spec.lifetime.expiresIn}m`;
    if (spec.lifetime.rotateBeforeExpiry !== undefined) {
      inputs.rotateBeforeExpiry = `${spec.lifetime.rotateBeforeExpiry}m`;
    }
  }
  if (spec.rotationPeriod !== undefined) inputs.rotationPeriod = `${spec.rotationPeriod}m`;
  if (spec.rotationTriggers) inputs.rotationTriggers = { ...spec.rotationTriggers };
  if (spec.rotationOverlap !== undefined) inputs.rotationOverlap = `${spec.rotationOverlap}s`;
  return inputs;
}

/** The instant `ms` as ISO 8601 with a "+hh:mm"/"-hh:mm" offset (or Z for offset 0), whole seconds. */
function withOffset(ms: number, offsetMinutes: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  if (offsetMinutes === 0) return new Date(whole).toISOString().replace(".000Z", "Z");
  const local = new Date(whole + offsetMinutes * MINUTE).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** Values the engine may send for any input: anything JSON-like, and the preview's unknown marker. */
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.constant(UNKNOWN) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string(), fc.constant(UNKNOWN))) },
);

/** A valid input object with fields replaced, removed or added at random. */
export function mutated(
  valid: fc.Arbitrary<Record<string, unknown>>,
  fields: string[],
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      valid,
      fc.dictionary(fc.constantFrom(...fields, "bogus", "__provider"), anyValue, { maxKeys: 4 }),
      fc.subarray(fields),
    )
    .map(([base, replaced, removed]) => {
      const result: Record<string, unknown> = { ...base, ...replaced };
      for (const field of removed) delete result[field];
      return result;
    });
}
