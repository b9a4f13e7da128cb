import { parseDuration } from "../client/schemas";
import {
  UNKNOWN,
  isRotationMarker,
  type ApiKeyInputs,
  type RotationMarker,
  type RotationReason,
} from "../resource";
import { sameValue } from "./normalize";
import { expiryFor, formatDuration, rotationPoint } from "./rotation";
import { containsUnknown } from "./unknowns";

/**
 * In-place rotation with an overlap window (`rotationOverlap`). A due rotation keeps the key (same
 * id, restrictions and usage history) and calls `rotate` with the overlap as grace period: the new
 * secret reaches dependents in the same update, and the previous one keeps working until the
 * overlap ends.
 *
 * Why a provider-maintained input: the engine shows a dynamic resource's changes only as a diff
 * of its inputs (DiffResult carries no detailed diff), and `check` sees only the old inputs, not
 * the old outputs. So for keys rotated in place the schedule lives in the inputs: `check` keeps an
 * input `rotation` = { reason, at } saying why the current secret was issued and when the schedule
 * started. When a rotation is due, `check` writes a new marker, the preview shows
 * `~ rotation: { reason: "rotationPeriod", at: … }` on an update (never a replacement), and `diff`
 * rotates exactly when the marker changed. Its `at` is the time of the `pulumi up` that decided the
 * rotation, and the key's expiry is `at + expiresIn`, so `check` knows the whole schedule.
 */

const SCHEDULE_FIELDS = [
  "expiresAt",
  "expiresIn",
  "rotateBeforeExpiry",
  "rotationPeriod",
  "rotationTriggers",
  "rotationOverlap",
] as const;

/** The settings a rotation decision reads, as checked inputs hold them. */
type RotationInputs = Pick<ApiKeyInputs, (typeof SCHEDULE_FIELDS)[number] | "rotation">;

/** True when a due rotation is made in place (rotationOverlap is set and known). */
export function rotatesInPlace(inputs: { rotationOverlap?: unknown }): boolean {
  return typeof inputs.rotationOverlap === "string" && !containsUnknown(inputs.rotationOverlap);
}

/**
 * The `rotation` input `check` writes for a key rotated in place: a fresh marker for a new key or a
 * due rotation, the old one otherwise, UNKNOWN while a setting it depends on is unknown (preview),
 * undefined for a key replaced on rotation. `olds` are the old inputs (empty for a create).
 */
export function nextRotation(
  olds: Record<string, unknown>,
  news: RotationInputs,
  now: Date,
): RotationMarker | typeof UNKNOWN | undefined {
  if (news.rotationOverlap === undefined) return undefined;
  const at = now.toISOString();
  const creating = olds.name === undefined && olds.organization === undefined;
  if (creating) return { reason: "created", at };
  if (SCHEDULE_FIELDS.some((field) => containsUnknown(news[field]))) return UNKNOWN;
  const old = olds.rotation;
  // Switching an existing key to in-place rotation: its schedule so far is known only to its
  // outputs, so it is rotated once now and the provider's schedule starts from that secret.
  if (!isRotationMarker(old)) return { reason: "rotationOverlap", at };
  if (!sameValue(olds.rotationTriggers ?? {}, news.rotationTriggers ?? {})) {
    return { reason: "rotationTriggers", at };
  }
  const expiresAt = expiryFor(news, old.at);
  const rotateAt = rotationPoint(news, old.at, expiresAt);
  if (rotateAt && Date.parse(rotateAt) <= now.getTime()) {
    const byExpiry =
      news.rotateBeforeExpiry !== undefined &&
      rotationPoint({ rotateBeforeExpiry: news.rotateBeforeExpiry }, old.at, expiresAt) === rotateAt;
    return { reason: byExpiry ? "rotateBeforeExpiry" : "rotationPeriod", at };
  }
  return old;
}

/** The state a rotation decision compares with. */
interface RotationState extends RotationInputs {
  key?: string;
  prefix?: string;
  lastFour?: string;
}

/**
 * True when the secret in state is not the key's current one: its prefix or last four characters
 * (refreshed from Admin.do) no longer match, e.g. after a rotation made outside Pulumi. Keys read
 * with `ApiKey.get` hold no secret and are never stale.
 */
export function secretIsStale(olds: RotationState): boolean {
  const { key, prefix, lastFour } = olds;
  if (typeof key !== "string" || typeof prefix !== "string" || typeof lastFour !== "string") return false;
  return !(key.startsWith(prefix) && key.endsWith(lastFour));
}

export interface RotationPlan {
  /** Why: the marker's reason, or `secretChanged` when the secret in state is stale. */
  reason: RotationReason | "secretChanged";
  /** How long the previous secret keeps working (rotationOverlap); none: it stops at once. */
  gracePeriod?: string;
  /** True when the rotation starts a new schedule: the key gets a fresh lifetime. */
  renew: boolean;
}

/**
 * Whether `update` rotates the secret, and how. A marker that changed is a due rotation (decided
 * by `check`); a stale secret is rotated again so that state holds a working one, with the
 * overlap if one is set, keeping the schedule and the expiry.
 */
export function rotationPlan(olds: RotationState, news: RotationInputs): RotationPlan | undefined {
  const inPlace = rotatesInPlace(news);
  const gracePeriod = inPlace ? news.rotationOverlap : undefined;
  if (inPlace && isRotationMarker(news.rotation) && !sameValue(olds.rotation ?? null, news.rotation)) {
    return { reason: news.rotation.reason, gracePeriod, renew: true };
  }
  if (inPlace && !sameValue(olds.rotationTriggers ?? {}, news.rotationTriggers ?? {})) {
    return { reason: "rotationTriggers", gracePeriod, renew: false };
  }
  if (secretIsStale(olds)) return { reason: "secretChanged", gracePeriod, renew: false };
  return undefined;
}

/** True when the new marker differs from the old one, or is not known yet (preview). */
export function rotationMayBeDue(olds: RotationState, news: RotationInputs): boolean {
  return rotatesInPlace(news) && (containsUnknown(news.rotation) || rotationPlan(olds, news) !== undefined);
}

/**
 * Rules for rotationOverlap, between fields (see crossFieldFailures): there must be a rotation to
 * overlap, and the overlap must end before the next rotation (two overlaps never stack: the API
 * keeps one previous secret, so a second rotation would cut the first overlap short) and before
 * the expiry the previous secret was issued with.
 */
export function overlapFailures(
  inputs: Record<string, unknown>,
  unknown: ReadonlySet<string>,
): { property: string; reason: string }[] {
  const text = (name: string) => (typeof inputs[name] === "string" ? (inputs[name] as string) : undefined);
  const overlap = text("rotationOverlap");
  if (overlap === undefined) return [];
  const failures: string[] = [];
  const rotationSet = ["rotationPeriod", "rotateBeforeExpiry", "rotationTriggers"].some(
    (name) => inputs[name] !== undefined || unknown.has(name),
  );
  if (!rotationSet) {
    failures.push(
      "needs a rotation to overlap: set rotationPeriod, rotateBeforeExpiry (with expiresIn) or rotationTriggers",
    );
  }
  const ms = parseDuration(overlap);
  const duration = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : parseDuration(value);
  };
  const lifetime = duration("expiresIn");
  const before = duration("rotateBeforeExpiry");
  const period = duration("rotationPeriod");
  if (ms !== undefined) {
    if (before !== undefined && ms >= before) {
      failures.push(
        `must be shorter than rotateBeforeExpiry (${text("rotateBeforeExpiry")}): the previous secret must stop working before the expiry it was issued with`,
      );
    }
    if (period !== undefined && ms >= period) {
      failures.push(
        `must be shorter than rotationPeriod (${text("rotationPeriod")}): the next rotation would come while the previous secret still works, and two overlaps would stack`,
      );
    }
    if (lifetime !== undefined && before !== undefined && before < lifetime) {
      const interval = lifetime - before;
      if (ms >= interval) {
        failures.push(
          `must be shorter than the time between rotations, expiresIn - rotateBeforeExpiry (${text("expiresIn")} - ${text("rotateBeforeExpiry")} = ${formatDuration(interval)}): two overlaps would stack`,
        );
      }
    } else if (lifetime !== undefined && ms >= lifetime) {
      failures.push(
        `must be shorter than expiresIn (${text("expiresIn")}): the previous secret must not outlive the key's own lifetime`,
      );
    }
  }
  return failures.map((reason) => ({ property: "rotationOverlap", reason }));
}
