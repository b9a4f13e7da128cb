import { z } from "zod";
import {
  CreateApiKeyParamsSchema,
  DurationSchema,
  RestrictionsSchema,
  TimestampSchema,
  parseDuration,
} from "../client/schemas";
import { normalizeRestrictions, normalizeSet } from "./normalize";

/**
 * Inputs of an ApiKey resource, validated by `check` at preview time. Field rules come from the
 * wire schemas; the rules that only make sense for a declared key (expiry in the future, one of
 * expiresAt/expiresIn, rotation needs an expiry or a period) are added here.
 */
export const ApiKeyInputsSchema = z
  .strictObject({
    name: CreateApiKeyParamsSchema.shape.name,
    description: CreateApiKeyParamsSchema.shape.description,
    organization: CreateApiKeyParamsSchema.shape.organization,
    scopes: CreateApiKeyParamsSchema.shape.scopes,
    projects: CreateApiKeyParamsSchema.shape.projects,
    restrictions: RestrictionsSchema.optional(),
    expiresAt: TimestampSchema.optional(),
    expiresIn: DurationSchema.optional(),
    rotateBeforeExpiry: DurationSchema.optional(),
    rotationPeriod: DurationSchema.optional(),
    rotationTriggers: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((inputs, ctx) => {
    if (inputs.expiresAt !== undefined && inputs.expiresIn !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["expiresIn"],
        message: 'set either expiresAt (a fixed time) or expiresIn (a lifetime such as "90d"), not both',
      });
    }
    if (inputs.rotateBeforeExpiry !== undefined && inputs.expiresIn === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["rotateBeforeExpiry"],
        message:
          inputs.expiresAt !== undefined
            ? "needs expiresIn: a rotated key gets a fresh lifetime, which a fixed expiresAt cannot give"
            : "needs expiresIn: there is no expiry to rotate before",
      });
    }
    const lifetime = inputs.expiresIn ? parseDuration(inputs.expiresIn) : undefined;
    const before = inputs.rotateBeforeExpiry ? parseDuration(inputs.rotateBeforeExpiry) : undefined;
    if (lifetime !== undefined && before !== undefined && before >= lifetime) {
      ctx.addIssue({
        code: "custom",
        path: ["rotateBeforeExpiry"],
        message: `must be shorter than expiresIn (${inputs.expiresIn}), or the key would be replaced as soon as it exists`,
      });
    }
  });

export type ApiKeyInputs = z.output<typeof ApiKeyInputsSchema>;

/** Inputs in canonical form: sets sorted and de-duplicated, CIDRs as networks, empty parts dropped. */
export function normalizeApiKeyInputs(inputs: ApiKeyInputs): ApiKeyInputs {
  const result: ApiKeyInputs = {
    name: inputs.name,
    organization: inputs.organization,
    scopes: normalizeSet(inputs.scopes) as ApiKeyInputs["scopes"],
    projects: normalizeSet(inputs.projects),
  };
  if (inputs.description !== undefined) result.description = inputs.description;
  if (inputs.restrictions !== undefined) result.restrictions = normalizeRestrictions(inputs.restrictions);
  if (inputs.expiresAt !== undefined) result.expiresAt = new Date(inputs.expiresAt).toISOString();
  for (const key of ["expiresIn", "rotateBeforeExpiry", "rotationPeriod", "rotationTriggers"] as const) {
    if (inputs[key] !== undefined) (result as Record<string, unknown>)[key] = inputs[key];
  }
  return result;
}
