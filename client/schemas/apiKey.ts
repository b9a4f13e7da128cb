import { z } from "zod";
import { DurationSchema, PageQuerySchema, TimestampSchema, pageOf } from "./common";
import { RestrictionsRecordSchema, RestrictionsSchema } from "./restrictions";
import { ScopeSchema } from "./scopes";

export const KEY_STATUSES = ["active", "revoked", "expired"] as const;

const NameSchema = z
  .string()
  .trim()
  .min(1, { error: "must not be empty" })
  .max(128, { error: "must be at most 128 characters" });
const OrganizationSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
});
/** Project names follow the organization rule. */
export const ProjectSchema = OrganizationSchema;

/** An API key as the server describes it. Never carries the secret. */
export const ApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  organization: z.string(),
  scopes: z.array(z.string()),
  projects: z.array(z.string()),
  restrictions: RestrictionsRecordSchema,
  expiresAt: TimestampSchema.nullable(),
  status: z.enum(KEY_STATUSES),
  /** The first characters of the secret (e.g. "adk_3kF9x2"): enough for a human to recognize a key, useless to an attacker. */
  prefix: z.string(),
  lastFour: z.string(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
  revokedReason: z.string().nullable(),
  /** Until this instant the secret replaced by the last rotation still authenticates. */
  previousKeyExpiresAt: TimestampSchema.nullable(),
});

/** The result of `create` and `rotate`: the key plus its secret, shown this once. */
export const ApiKeyWithSecretSchema = ApiKeySchema.extend({ key: z.string() });

export const CreateApiKeyParamsSchema = z.strictObject({
  name: NameSchema,
  description: z.string().max(1024).optional(),
  organization: OrganizationSchema,
  expiresAt: TimestampSchema.optional(),
  scopes: z.array(ScopeSchema).min(1, { error: "must name at least one scope" }),
  projects: z.array(ProjectSchema).optional(),
  restrictions: RestrictionsSchema.optional(),
});

export const UpdateApiKeyParamsSchema = z.strictObject({
  name: NameSchema.optional(),
  description: z.string().max(1024).nullable().optional(),
  /** `null` removes the expiry. */
  expiresAt: TimestampSchema.nullable().optional(),
  scopes: z.array(ScopeSchema).min(1, { error: "must name at least one scope" }).optional(),
  projects: z.array(ProjectSchema).optional(),
  restrictions: RestrictionsSchema.optional(),
});

export const RevokeApiKeyParamsSchema = z.strictObject({
  reason: z.string().trim().min(1, { error: "must say why the key is revoked" }).max(512),
});

export const RotateApiKeyParamsSchema = z.strictObject({
  expiresAt: TimestampSchema.optional(),
  /** How long the old secret keeps working after the rotation (e.g. "1h"); default: it stops at once. */
  gracePeriod: DurationSchema.optional(),
});

export const ListApiKeysQuerySchema = PageQuerySchema.extend({
  organization: OrganizationSchema.optional(),
});

export const ApiKeyPageSchema = pageOf(ApiKeySchema);

export type ApiKey = z.infer<typeof ApiKeySchema>;
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecretSchema>;
export type CreateApiKeyParams = z.input<typeof CreateApiKeyParamsSchema>;
export type UpdateApiKeyParams = z.input<typeof UpdateApiKeyParamsSchema>;
export type RevokeApiKeyParams = z.input<typeof RevokeApiKeyParamsSchema>;
export type RotateApiKeyParams = z.input<typeof RotateApiKeyParamsSchema>;
export type ListApiKeysParams = z.input<typeof ListApiKeysQuerySchema>;
export type ApiKeyPage = z.infer<typeof ApiKeyPageSchema>;
export type KeyStatus = (typeof KEY_STATUSES)[number];
