import type * as pulumi from "@pulumi/pulumi";
import {
  API_KEY,
  isRotationMarker,
  type ApiKeyInputs,
  type ApiKeyReplaceReason,
  type ApiKeyState,
} from "../resource";
import { rotatesInPlace, rotationMayBeDue, rotationPlan } from "./inPlaceRotation";
import { normalizeRestrictions, normalizeSet, sameValue } from "./normalize";
import { expiryFor, rotationPoint } from "./rotation";
import { containsUnknown } from "./unknowns";

/**
 * The instant the key's current schedule counts from: for a key rotated in place, the `rotation`
 * marker that `check` keeps; otherwise its last in-place rotation (a rotation made to repair a
 * stale secret, or from a time it rotated in place), else its creation.
 */
export function scheduleStart(
  olds: Pick<ApiKeyState, "createdAt" | "rotatedAt">,
  news: Pick<ApiKeyInputs, "rotationOverlap" | "rotation">,
): string {
  if (rotatesInPlace(news) && isRotationMarker(news.rotation)) return news.rotation.at;
  return olds.rotatedAt ?? olds.createdAt;
}

/**
 * The expiry the key should have after an update: a fixed expiresAt, or the schedule's start plus
 * expiresIn. An unchanged expiresIn keeps the expiry fixed, so it never drifts; an in-place
 * rotation starts a new schedule, so the key gets a fresh lifetime.
 */
export function desiredExpiry(olds: ApiKeyState, news: ApiKeyInputs): string | undefined {
  const renewing = rotationPlan(olds, news)?.renew === true;
  if (
    !renewing &&
    news.expiresAt === undefined &&
    news.expiresIn !== undefined &&
    news.expiresIn === olds.expiresIn &&
    olds.expiresAt
  ) {
    return olds.expiresAt;
  }
  return expiryFor(news, scheduleStart(olds, news));
}

/** Inputs compared by their own rules below (organization: a change replaces the key instead). */
const COMPARED_APART: ReadonlySet<string> = new Set([
  "organization",
  "scopes",
  "projects",
  "restrictions",
  "expiresAt",
  "rotationTriggers",
]);

/** Inputs that change in place; each compared in canonical form. */
function changedInPlace(olds: ApiKeyState, news: ApiKeyInputs): string[] {
  const changed: string[] = [];
  const differs = (name: string, a: unknown, b: unknown) => {
    if (containsUnknown(b) || !sameValue(a, b)) changed.push(name);
  };
  // Every input of the model is compared as it is (absent is null), unless it has rules of its own.
  for (const name of Object.keys(API_KEY.inputs) as (keyof ApiKeyInputs)[]) {
    if (!COMPARED_APART.has(name)) differs(name, olds[name] ?? null, news[name] ?? null);
  }
  // Sets: order and duplicates never diff.
  for (const name of ["scopes", "projects"] as const) {
    differs(
      name,
      normalizeSet(olds[name]),
      containsUnknown(news[name]) ? news[name] : normalizeSet(news[name]),
    );
  }
  // Restrictions left out of the program are not managed here (an ApiKeyRestrictions may own them).
  if (news.restrictions !== undefined) {
    const desired = containsUnknown(news.restrictions)
      ? news.restrictions
      : normalizeRestrictions(news.restrictions);
    differs("restrictions", normalizeRestrictions(olds.restrictions), desired);
  }
  if (!containsUnknown(news.expiresAt) && !containsUnknown(news.expiresIn)) {
    differs("expiresAt", olds.expiresAt ?? null, desiredExpiry(olds, news) ?? null);
  } else if (containsUnknown(news.expiresAt)) changed.push("expiresAt");
  // Replaced keys carry their triggers in the replacement; keys rotated in place update them.
  if (rotatesInPlace(news))
    differs("rotationTriggers", olds.rotationTriggers ?? {}, news.rotationTriggers ?? {});
  return [...new Set(changed)];
}

function passed(time: string | undefined, now: Date): boolean {
  return time !== undefined && Date.parse(time) <= now.getTime();
}

/**
 * Replacement reasons. For a key replaced on rotation, rotation is time-based and decided here
 * because the engine calls `diff` on every preview and update: once `now` passes the rotation
 * point (or the expiry), the key is replaced, and the engine creates the new key before deleting
 * the old one. A key rotated in place (rotationOverlap) is replaced only when its organization
 * changes or it is no longer usable (revoked, expired): rotating an expired key would bring its
 * expired secret back for the overlap.
 */
function replaceReasons(olds: ApiKeyState, news: ApiKeyInputs, now: Date): ApiKeyReplaceReason[] {
  const reasons: ApiKeyReplaceReason[] = [];
  if (containsUnknown(news.organization) || olds.organization !== news.organization)
    reasons.push("organization");
  const inPlace = rotatesInPlace(news);
  if (
    !inPlace &&
    (containsUnknown(news.rotationTriggers) ||
      !sameValue(olds.rotationTriggers ?? {}, news.rotationTriggers ?? {}))
  ) {
    reasons.push("rotationTriggers");
  }
  if (olds.status !== "active") {
    reasons.push("status");
    return reasons;
  }
  if (containsUnknown(news.expiresAt) || containsUnknown(news.expiresIn)) return reasons;
  const expiresAt = desiredExpiry(olds, news);
  if (inPlace) {
    if (passed(expiresAt, now) || (passed(olds.expiresAt, now) && rotationMayBeDue(olds, news))) {
      reasons.push("expiresAt");
    }
    return reasons;
  }
  if (passed(expiresAt, now)) {
    reasons.push("expiresAt");
    return reasons;
  }
  const start = scheduleStart(olds, news);
  const rotateAt = rotationPoint(news, start, expiresAt);
  if (passed(rotateAt, now)) {
    const byExpiry =
      news.rotateBeforeExpiry &&
      expiresAt &&
      rotationPoint({ rotateBeforeExpiry: news.rotateBeforeExpiry }, start, expiresAt) === rotateAt;
    reasons.push(byExpiry ? "rotateBeforeExpiry" : "rotationPeriod");
  }
  return reasons;
}

/**
 * The full diff of an ApiKey: a pure function of the old state, the new inputs and the time.
 * Besides changed inputs, a due in-place rotation (a new `rotation` marker) and a stale secret
 * (state's secret no longer matches the key's prefix, seen by refresh) are updates.
 *
 * A due in-place rotation leaves `changes` unset ("unknown"): the engine then compares the old
 * and new inputs itself and reports what differs (`diffReasons` and `detailedDiff` in
 * `pulumi preview --json`, e.g. `rotation`), which a dynamic provider cannot report otherwise.
 * The new `rotation` marker guarantees that the engine finds a change.
 */
export function diffApiKey(olds: ApiKeyState, news: ApiKeyInputs, now: Date): pulumi.dynamic.DiffResult {
  // The placeholder of an unconfirmed create is always replaced; its delete cleans up (pendingCreate.ts).
  if (olds.pendingCreate) return { changes: true, replaces: ["pendingCreate"], deleteBeforeReplace: false };
  const replaces = replaceReasons(olds, news, now);
  if (replaces.length === 0 && markerChanged(olds, news)) {
    return { changes: undefined, replaces, deleteBeforeReplace: false };
  }
  const changed = changedInPlace(olds, news);
  const rotating = rotationMayBeDue(olds, news) || rotationPlan(olds, news) !== undefined;
  return {
    changes: replaces.length > 0 || changed.length > 0 || rotating,
    replaces,
    deleteBeforeReplace: false,
  };
}

/** True when `check` wrote a new `rotation` marker (or one not known yet) for a key rotated in place. */
function markerChanged(olds: ApiKeyState, news: ApiKeyInputs): boolean {
  return (
    rotatesInPlace(news) &&
    news.rotation !== undefined &&
    (containsUnknown(news.rotation) || !sameValue(olds.rotation ?? null, news.rotation))
  );
}

export { changedInPlace };
