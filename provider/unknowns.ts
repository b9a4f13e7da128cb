import type { z } from "zod";
import { UNKNOWN } from "../resource";

/** The provider's view of values not known during preview: the engine's marker (resource/engine.ts) where it sits. */

export type PropertyPath = (string | number)[];

/** Paths of every unknown value inside `value` (an input object as the engine sends it). */
export function unknownPaths(value: unknown, path: PropertyPath = []): PropertyPath[] {
  if (value === UNKNOWN) return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => unknownPaths(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => unknownPaths(item, [...path, key]));
  }
  return [];
}

/** A copy of an input object without the top-level fields that are still unknown. */
export function knownOnly(inputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(inputs).filter(([, value]) => !containsUnknown(value)));
}

export function containsUnknown(value: unknown): boolean {
  return unknownPaths(value).length > 0;
}

/** True when a zod issue concerns a value that is (or lies inside, or contains) an unknown. */
export function touchesUnknown(issue: z.core.$ZodIssue, unknowns: PropertyPath[]): boolean {
  return unknowns.some((unknown) => {
    const shorter = Math.min(unknown.length, issue.path.length);
    return unknown.slice(0, shorter).every((part, index) => String(part) === String(issue.path[index]));
  });
}
