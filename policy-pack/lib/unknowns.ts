import { UnknownValueError } from "@pulumi/policy";
import { UNKNOWN_SENTINELS } from "../../resource";
import type { OnUnknown } from "./config";

/**
 * The policy pack's view of values not known during preview. The engine sends them as sentinel
 * strings (resource/engine.ts), and @pulumi/policy wraps `args.props` in a proxy that throws an
 * UnknownValueError when one is read (which would end the policy with an advisory "can't run"
 * note: an unknown scope would slip through a mandatory rule). {@link snapshot} reads props without
 * throwing and marks every unknown with UNKNOWN, so each rule decides for itself: fail closed or
 * skip (its `onUnknown` config).
 */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");
export type Unknown = typeof UNKNOWN;

const SENTINELS = new Set(UNKNOWN_SENTINELS);

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}

/** A plain deep copy of `value` (possibly behind the policy SDK's proxy) with unknowns as UNKNOWN. */
export function snapshot(value: unknown): unknown {
  if (typeof value === "string" && SENTINELS.has(value)) return UNKNOWN;
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let index = 0; index < value.length; index++) items.push(readField(value, index));
    return items;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = readField(value as Record<string, unknown>, key);
  return copy;
}

function readField(container: object, key: string | number): unknown {
  try {
    return snapshot((container as Record<string | number, unknown>)[key]);
  } catch (error) {
    if (error instanceof UnknownValueError) return UNKNOWN;
    throw error;
  }
}

/** `object[key]` for a snapshot: UNKNOWN when the object itself is unknown, undefined when absent. */
export function field(object: unknown, key: string): unknown {
  if (isUnknown(object)) return UNKNOWN;
  if (object === null || typeof object !== "object" || Array.isArray(object)) return undefined;
  return (object as Record<string, unknown>)[key];
}

/** One known item of a list, with its index for messages (`scopes[2]`). */
export interface Item<T> {
  index: number;
  value: T;
}

/** The known string items of a list, and whether the list or any item is unknown. */
export interface StringList {
  /** False when the list is absent (undefined or null). */
  present: boolean;
  items: Item<string>[];
  unknown: boolean;
}

export function stringList(value: unknown): StringList {
  if (isUnknown(value)) return { present: true, items: [], unknown: true };
  if (!Array.isArray(value))
    return { present: value !== undefined && value !== null, items: [], unknown: false };
  const items: Item<string>[] = [];
  let unknown = false;
  value.forEach((item, index) => {
    if (isUnknown(item)) unknown = true;
    else if (typeof item === "string") items.push({ index, value: item });
  });
  return { present: true, items, unknown };
}

/** True when `value` is or contains an unknown. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * The violation for a value that a fail-closed rule cannot judge during preview. With
 * `onUnknown: "skip"` the rule stays silent in preview; `pulumi up` runs resource policies again
 * with the value known, before the resource is created or updated.
 */
export function unknownMessage(subject: string, path: string, requirement: string): string {
  return (
    `${subject} must have ${path} known at preview so that this policy can check that ${requirement}; ` +
    `${path} depends on a value that is only known during the update. Set "onUnknown": "skip" in this ` +
    `policy's config to check it during \`pulumi up\` instead.`
  );
}

/** Reports the unknown-value violation when the rule fails closed. */
export function onUnknownValue(
  onUnknown: OnUnknown,
  report: (message: string) => void,
  subject: string,
  path: string,
  requirement: string,
): void {
  if (onUnknown === "fail") report(unknownMessage(subject, path, requirement));
}
