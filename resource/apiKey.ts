import { z } from "zod";
import {
  CreateApiKeyParamsSchema,
  DurationSchema,
  KEY_STATUSES,
  RestrictionsSchema,
  ScopeSchema,
  TimestampSchema,
} from "../client/schemas";
import { accepts, defineResource, programSchema, property, type ValuesOf } from "./define";
import type { RestrictionsInput } from "./restrictions";
import { RotationMarkerSchema } from "./rotation";

const create = CreateApiKeyParamsSchema.shape;
const duration = DurationSchema.optional();
const time = TimestampSchema.optional();

// Field rules come from the wire schemas; the rules between fields (one of expiresAt/expiresIn,
// rotation needs something to rotate before) are the provider's `check`.
/**
 * An Admin.do API key: its scopes, projects, restrictions, expiry and rotation. The secret `key` is
 * shown once by the API and kept as a Pulumi secret.
 */
export const API_KEY = defineResource({
  module: "admindo",
  name: "ApiKey",
  inputs: {
    /** The key's display name. Default: the resource name. */
    name: property(create.name, { defaultsToResourceName: true }),
    /** What the key is for. Default: none. */
    description: property(create.description),
    /** The organization that owns the key; changing it replaces the key. */
    organization: property(create.organization, { replaceOnChange: true }),
    /** What the key may do, e.g. ["functions:read", "functions:execute"]; order and duplicates do not matter. */
    scopes: property(create.scopes),
    /** Projects the key is limited to. Default: every project of the organization. */
    projects: property(create.projects),
    /** Network, referrer, rate and time restrictions. Default: not managed by this resource. */
    restrictions: property(RestrictionsSchema.optional(), {
      program: accepts<RestrictionsInput | undefined>(),
    }),
    /** A fixed expiry (ISO 8601). Set this or expiresIn. Default: never expires. */
    expiresAt: property(time),
    /** A lifetime such as "90d", fixed when the key is created (and renewed by each rotation). Default: never expires. */
    expiresIn: property(duration),
    /** Rotate the key this long before it expires, e.g. "7d" (needs expiresIn). Default: no rotation. */
    rotateBeforeExpiry: property(duration),
    /** Rotate the key this long after it was created (or last rotated), e.g. "30d". Default: no rotation. */
    rotationPeriod: property(duration),
    /** Arbitrary values; any change rotates the key (like random's keepers). Default: none. */
    rotationTriggers: property(z.record(z.string(), z.unknown()).optional(), {
      program: accepts<Record<string, string | number | boolean> | undefined>(),
    }),
    /**
     * Rotate in place with an overlap, e.g. "24h": a due rotation keeps the key (same keyId,
     * restrictions and usage history) and issues a new secret, while the previous secret keeps working
     * for this long. Must be shorter than the time between rotations. Adding it to an existing key
     * rotates that key once. Default: rotation replaces the key (new key first, old key deleted).
     */
    rotationOverlap: property(duration),
    /** Why the current secret was issued and when its schedule started (keys rotated in place; see provider/inPlaceRotation.ts). */
    rotation: property(RotationMarkerSchema.optional(), { internal: true }),
  },
  outputs: {
    /** The server's id of the key (not secret). */
    keyId: property(z.string()),
    /** The secret key. A Pulumi secret: encrypted in state, masked in output. */
    key: property(z.string(), { secret: true }),
    /** The first characters of the secret, to recognize the key in logs and dashboards. */
    prefix: property(z.string()),
    /** The last four characters of the secret. */
    lastFour: property(z.string()),
    /** active, revoked or expired (a key revoked or expired outside Pulumi is replaced by the next `pulumi up`). */
    status: property(z.enum(KEY_STATUSES)),
    /** The key's display name. */
    name: property(z.string()),
    /** What the key is for, if said. */
    description: property(z.string().optional()),
    /** The organization that owns the key. */
    organization: property(z.string()),
    /** Scopes, sorted and de-duplicated. */
    scopes: property(z.array(ScopeSchema)),
    /** Projects the key is limited to, sorted; empty: every project. */
    projects: property(z.array(z.string())),
    /** Restrictions in canonical form (CIDRs as networks, lists sorted). */
    restrictions: property(RestrictionsSchema.optional()),
    /** The absolute expiry, if any: `expiresAt` as given, or creation time plus `expiresIn`. */
    expiresAt: property(time),
    /** When the server created the key. */
    createdAt: property(z.string()),
    /** When the next `pulumi up` will rotate the key (replace it, or rotate it in place), if rotation is configured. */
    rotateAt: property(time),
    /** The overlap of in-place rotation, if set. */
    rotationOverlap: property(duration),
    /** When the key was last rotated in place; undefined for a key never rotated in place. */
    rotatedAt: property(time),
    /** Until when the secret replaced by the last in-place rotation still works, if it does. */
    previousKeyExpiresAt: property(time),
    /** Set only on the placeholder of a create whose outcome is unknown (see provider/pendingCreate.ts). */
    pendingCreate: property(
      z.object({ idempotencyKey: z.string(), request: CreateApiKeyParamsSchema }).optional(),
      { internal: true },
    ),
  },
});

/**
 * Why an ApiKey is replaced rather than updated, as `diff` names it to the engine (and the review
 * reads it from `replaceReasons`): each names the input or state field that explains it.
 */
export const API_KEY_REPLACE_REASONS = [
  // The inputs marked replaceOnChange.
  "organization",
  // A rotation trigger changed, for a key replaced on rotation.
  "rotationTriggers",
  // The key is revoked or expired in Admin.do.
  "status",
  // The key's expiry has passed.
  "expiresAt",
  // Scheduled rotation: within rotateBeforeExpiry of the expiry, or rotationPeriod after creation.
  "rotateBeforeExpiry",
  "rotationPeriod",
  // The placeholder of a create whose outcome is unknown.
  "pendingCreate",
] as const;

export type ApiKeyReplaceReason = (typeof API_KEY_REPLACE_REASONS)[number];

/** The inputs `check` validates (strict: an unknown input is an error). */
export const ApiKeyInputsSchema = programSchema(API_KEY.inputs);

/** Checked inputs: what the program gave, normalized, plus `rotation`, which `check` maintains. */
export type ApiKeyInputs = ValuesOf<typeof API_KEY.inputs>;

/**
 * What an ApiKey holds in state: its checked inputs plus what the server said. `key` is the
 * one-time secret; `read` keeps it from state because the API never returns it again.
 */
export type ApiKeyState = ApiKeyInputs & Omit<ValuesOf<typeof API_KEY.outputs>, keyof ApiKeyInputs>;
