import { z } from "zod";

/**
 * Why the current secret of a key rotated in place was issued: the key was `created` with
 * rotationOverlap; rotationOverlap was added to an existing key (`rotationOverlap`, which rotates
 * it once so the schedule starts from a secret the provider issued); or a scheduled or triggered
 * rotation (named after the input that decided it).
 */
const ROTATION_REASONS = [
  "created",
  "rotationOverlap",
  "rotationPeriod",
  "rotateBeforeExpiry",
  "rotationTriggers",
] as const;

export type RotationReason = (typeof ROTATION_REASONS)[number];

/** The reasons that rotate an existing key's secret in place: every one but `created`. */
export const IN_PLACE_ROTATION_REASONS = ROTATION_REASONS.slice(1) as [
  Exclude<RotationReason, "created">,
  ...Exclude<RotationReason, "created">[],
];

/**
 * The `rotation` input the provider keeps for keys rotated in place: why the current secret was
 * issued, and the ISO time its schedule starts from (provider/inPlaceRotation.ts).
 */
export const RotationMarkerSchema = z.object({ reason: z.enum(ROTATION_REASONS), at: z.string() });

export type RotationMarker = z.output<typeof RotationMarkerSchema>;

/** True for a well-formed marker: a known reason and a time that parses. */
export function isRotationMarker(value: unknown): value is RotationMarker {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { reason, at } = value as Record<string, unknown>;
  return (
    typeof reason === "string" &&
    (ROTATION_REASONS as readonly string[]).includes(reason) &&
    typeof at === "string" &&
    !Number.isNaN(Date.parse(at))
  );
}
