import { parseDuration } from "../client/schemas";
import type { ApiKeyInputs } from "../resource";
import { overlapFailures } from "./inPlaceRotation";
import { normalizeRestrictions, normalizeSet } from "./normalize";

/*
 * What the ApiKey `check` adds to the field rules of the model (resource/apiKey.ts): the rules
 * between fields, and the canonical form of checked inputs.
 */

/**
 * Rules between fields. They run on the raw inputs even when single fields are invalid, so one
 * preview reports every problem at once. Unknown values (preview) are left out by the caller and
 * named in `unknown`, so that a rule never fails for a value it cannot see.
 */
export function crossFieldFailures(
  inputs: Record<string, unknown>,
  unknown: ReadonlySet<string> = new Set(),
): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const expiresAt = text(inputs.expiresAt);
  const expiresIn = text(inputs.expiresIn);
  const rotateBeforeExpiry = text(inputs.rotateBeforeExpiry);
  if (expiresAt !== undefined && expiresIn !== undefined) {
    failures.push({
      property: "expiresIn",
      reason: 'set either expiresAt (a fixed time) or expiresIn (a lifetime such as "90d"), not both',
    });
  }
  if (rotateBeforeExpiry !== undefined && expiresIn === undefined && !unknown.has("expiresIn")) {
    failures.push({
      property: "rotateBeforeExpiry",
      reason:
        expiresAt !== undefined
          ? "needs expiresIn: a rotated key gets a fresh lifetime, which a fixed expiresAt cannot give"
          : "needs expiresIn: there is no expiry to rotate before",
    });
  }
  const lifetime = expiresIn ? parseDuration(expiresIn) : undefined;
  const before = rotateBeforeExpiry ? parseDuration(rotateBeforeExpiry) : undefined;
  if (lifetime !== undefined && before !== undefined && before >= lifetime) {
    failures.push({
      property: "rotateBeforeExpiry",
      reason: `must be shorter than expiresIn (${expiresIn}), or the key would be replaced as soon as it exists`,
    });
  }
  failures.push(...overlapFailures(inputs, unknown));
  return failures;
}

/**
 * Inputs in canonical form: sets sorted and de-duplicated, CIDRs as networks, empty parts dropped,
 * a fixed expiry in UTC. Every other input is kept as given.
 */
export function normalizeApiKeyInputs(inputs: ApiKeyInputs): ApiKeyInputs {
  const result = Object.fromEntries(
    Object.entries(inputs).filter(([, value]) => value !== undefined),
  ) as ApiKeyInputs;
  result.scopes = normalizeSet(inputs.scopes) as ApiKeyInputs["scopes"];
  result.projects = normalizeSet(inputs.projects);
  if (inputs.restrictions !== undefined) result.restrictions = normalizeRestrictions(inputs.restrictions);
  if (inputs.expiresAt !== undefined) result.expiresAt = new Date(inputs.expiresAt).toISOString();
  return result;
}
