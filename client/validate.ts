import type { z } from "zod";
import type { FieldIssue, WireIssue } from "./schemas";

/**
 * Validation issues in one shape, {@link FieldIssue}, from the emulator's error details through
 * the client's errors to the provider's check failures.
 */

/**
 * A property path as people read it and Pulumi prints it: "restrictions.ipAddresses[0]" for
 * ["restrictions", "ipAddresses", 0]; `root` (default "(root)") for [].
 */
export function fieldName(path: readonly PropertyKey[], root = "(root)"): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || root;
}

export function fieldIssue(path: PropertyKey[], message: string): FieldIssue {
  return { field: fieldName(path), path, message };
}

/** Zod issues as field issues, their paths under `prefix` (e.g. ["body"] or ["id"]). */
export function fieldIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    // Name each misspelt or unknown field itself, so a caller (or Pulumi's `check`) can point at it.
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => fieldIssue([...prefix, ...issue.path, key], "is not a known field"));
    }
    return [fieldIssue([...prefix, ...issue.path], issue.message)];
  });
}

/** A field issue as error details carry it: `{ path: "restrictions.ipAddresses.0", message }`. */
export function toWireIssue(issue: FieldIssue): WireIssue {
  const path = issue.path.map(String).filter((part) => part !== "");
  return { path: path.join("."), message: issue.message };
}

/** The inverse of {@link toWireIssue}: segments that are whole numbers become array indexes. */
export function fromWireIssue(issue: WireIssue): FieldIssue {
  const path =
    issue.path === "" ? [] : issue.path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return fieldIssue(path, issue.message);
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
