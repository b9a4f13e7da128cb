import type { z } from "zod";
import type * as pulumi from "@pulumi/pulumi";
import { fieldName } from "../client/validate";
import { touchesUnknown, unknownPaths } from "./unknowns";

/** Inputs as the engine sends them, minus engine-internal keys such as `__provider`. */
export function userInputs(news: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(news).filter(([key, value]) => !key.startsWith("__") && value !== undefined),
  );
}

/**
 * Validates inputs with `schema` and turns each issue into a Pulumi check failure that names the
 * property path and the rule. Values still unknown at preview are not judged: their issues are
 * dropped and the inputs pass through untouched, to be checked again once known.
 */
export function checkInputs<T>(
  schema: z.ZodType<T>,
  news: Record<string, unknown>,
  normalize: (value: T) => T,
): pulumi.dynamic.CheckResult {
  const inputs = userInputs(news);
  const unknowns = unknownPaths(inputs);
  const parsed = schema.safeParse(inputs);
  if (parsed.success) return { inputs: normalize(parsed.data) };
  const failures = parsed.error.issues
    .filter((issue) => !touchesUnknown(issue, unknowns))
    .map((issue) => ({
      property: fieldName(issue.path, "(inputs)"),
      reason: issue.code === "unrecognized_keys" ? `unknown input ${issue.keys.join(", ")}` : issue.message,
    }));
  return failures.length ? { inputs, failures } : { inputs };
}
