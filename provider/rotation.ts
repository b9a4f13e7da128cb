import { parseDuration } from "../client/schemas";

export interface RotationSettings {
  /** Replace the key this long before it expires (e.g. "7d"). */
  rotateBeforeExpiry?: string;
  /** Replace the key this long after it was created (e.g. "30d"). */
  rotationPeriod?: string;
}

/**
 * The instant after which the key must be replaced: the earlier of `expiresAt - rotateBeforeExpiry`
 * and `createdAt + rotationPeriod`. Undefined when no rotation is configured.
 */
export function rotationPoint(
  settings: RotationSettings,
  createdAt: string,
  expiresAt: string | null | undefined,
): string | undefined {
  const candidates: number[] = [];
  const before = settings.rotateBeforeExpiry ? parseDuration(settings.rotateBeforeExpiry) : undefined;
  if (before !== undefined && expiresAt) candidates.push(Date.parse(expiresAt) - before);
  const period = settings.rotationPeriod ? parseDuration(settings.rotationPeriod) : undefined;
  if (period !== undefined) candidates.push(Date.parse(createdAt) + period);
  return candidates.length ? new Date(Math.min(...candidates)).toISOString() : undefined;
}

/** The absolute expiry of a key created at `createdAt`: `expiresAt` as given, or `createdAt + expiresIn`. */
export function expiryFor(
  args: { expiresAt?: string; expiresIn?: string },
  createdAt: string,
): string | undefined {
  if (args.expiresAt) return new Date(args.expiresAt).toISOString();
  const lifetime = args.expiresIn ? parseDuration(args.expiresIn) : undefined;
  return lifetime === undefined ? undefined : new Date(Date.parse(createdAt) + lifetime).toISOString();
}

const UNITS: [string, number][] = [
  ["w", 604_800_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
];

/** A duration in milliseconds written the way inputs write them: the largest whole unit ("23d", "90m"). */
export function formatDuration(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms % size === 0 && ms >= size) ?? ["s", 1_000];
  return `${Math.round(ms / size)}${unit}`;
}
