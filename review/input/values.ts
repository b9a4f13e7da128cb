import { SECRET_SIGNATURE, UNKNOWN as UNKNOWN_VALUE } from "../../resource";

/**
 * Property values as they appear in preview JSON: plain JSON, plus two markers the engine uses
 * (resource/engine.ts). A value the engine does not know yet (an output of a resource still to be
 * created) is its unknown marker; a secret is "[secret]" (or, from some tools, an object carrying
 * the secret signature). The review's view of both is an Opaque value: shown, never compared,
 * never printed.
 */

/** How `pulumi preview --json` prints a secret. */
export const SECRET_TEXT = "[secret]";
/** How the review prints an unknown value. */
export const UNKNOWN_TEXT = "(known after apply)";

/** A value the review cannot see: not known during preview, or secret. */
export interface Opaque {
  readonly opaque: "unknown" | "secret";
}

export type Field<T> = T | Opaque;

const UNKNOWN: Opaque = Object.freeze({ opaque: "unknown" });
const SECRET: Opaque = Object.freeze({ opaque: "secret" });

export function isOpaque(value: unknown): value is Opaque {
  return value === UNKNOWN || value === SECRET;
}

export function opaqueText(value: Opaque): string {
  return value.opaque === "unknown" ? UNKNOWN_TEXT : SECRET_TEXT;
}

function isSecretObject(value: unknown): boolean {
  return value !== null && typeof value === "object" && SECRET_SIGNATURE in value;
}

/** The opaque marker for a raw value, or undefined when the value itself can be read. */
export function opaqueOf(value: unknown): Opaque | undefined {
  if (value === UNKNOWN_VALUE) return UNKNOWN;
  if (value === SECRET_TEXT || isSecretObject(value)) return SECRET;
  return undefined;
}

/** The opaque marker for a value that contains one anywhere inside (unknown wins over secret). */
export function opaqueWithin(value: unknown): Opaque | undefined {
  const own = opaqueOf(value);
  if (own) return own;
  const items = Array.isArray(value)
    ? value
    : value !== null && typeof value === "object"
      ? Object.values(value)
      : [];
  let found: Opaque | undefined;
  for (const item of items) {
    const inner = opaqueWithin(item);
    if (inner === UNKNOWN) return UNKNOWN;
    found ??= inner;
  }
  return found;
}

/** A string field: its value, an opaque marker, or undefined when absent or not a string. */
export function readString(value: unknown): Field<string> | undefined {
  const opaque = opaqueOf(value);
  if (opaque) return opaque;
  return typeof value === "string" ? value : undefined;
}

/** A list of strings as a set (sorted, de-duplicated, mapped by `normalize`); absent is empty. */
export function readStringSet(
  value: unknown,
  normalize: (item: string) => string = (item) => item,
): Field<string[]> {
  const opaque = opaqueWithin(value);
  if (opaque) return opaque;
  if (!Array.isArray(value)) return [];
  const items = value.filter((item): item is string => typeof item === "string").map(normalize);
  return [...new Set(items)].sort();
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
