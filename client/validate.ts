import type { z } from "zod";
import type { FieldIssue } from "./schemas";

/** "restrictions.ipAddresses[0]" for ["restrictions", "ipAddresses", 0]; "(root)" for []. */
export function fieldName(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || "(root)";
}

/** Zod issues as field issues, their paths under `prefix` (e.g. ["body"] or ["id"]). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    // Name each misspelt or unknown field itself, so a caller (or Pulumi's `check`) can point at it.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => {
        const path = [...prefix, ...issue.path, key];
        return { field: fieldName(path), path, message: "is not a known field" };
      });
    }
    const path = [...prefix, ...issue.path];
    return [{ field: fieldName(path), path, message: issue.message }];
  });
}

/** Parses `value` with `schema`, collecting issues under `prefix` instead of throwing. */
export function parseInto<T>(
  schema: z.ZodType<T>,
  value: unknown,
  issues: FieldIssue[],
  prefix: PropertyKey[] = [],
): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...fieldIssues(result.error.issues, prefix));
  return undefined;
}

/** "scopes[0]: unknown scope …; name: must not be empty" */
export function describeIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.field}: ${issue.message}`).join("; ");
}
