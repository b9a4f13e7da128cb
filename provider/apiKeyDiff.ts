import type * as pulumi from "@pulumi/pulumi";
import type { ApiKeyInputs } from "./apiKeyInputs";
import type { ApiKeyOutputs } from "./apiKeyState";
import { normalizeRestrictions, normalizeSet, sameValue } from "./normalize";
import { expiryFor, rotationPoint } from "./rotation";
import { containsUnknown } from "./unknowns";

/** Why an ApiKey must be replaced rather than updated; each names the input that explains it. */
export type ReplaceReason =
  | "organization"
  | "rotationTriggers"
  | "status"
  | "expiresAt"
  | "rotateBeforeExpiry"
  | "rotationPeriod"
  | "pendingCreate";

/**
 * The expiry the key should have after an update: a fixed expiresAt, or its creation time plus
 * expiresIn. An unchanged expiresIn keeps the expiry fixed at creation, so it never drifts.
 */
export function desiredExpiry(olds: ApiKeyOutputs, news: ApiKeyInputs): string | undefined {
  if (
    news.expiresAt === undefined &&
    news.expiresIn !== undefined &&
    news.expiresIn === olds.expiresIn &&
    olds.expiresAt
  ) {
    return olds.expiresAt;
  }
  return expiryFor(news, olds.createdAt);
}

/** Inputs that change in place; each compared in canonical form. */
function changedInPlace(olds: ApiKeyOutputs, news: ApiKeyInputs): string[] {
  const changed: string[] = [];
  const differs = (name: string, a: unknown, b: unknown) => {
    if (containsUnknown(b) || !sameValue(a, b)) changed.push(name);
  };
  differs("name", olds.name, news.name);
  differs("description", olds.description ?? null, news.description ?? null);
  differs(
    "scopes",
    normalizeSet(olds.scopes),
    containsUnknown(news.scopes) ? news.scopes : normalizeSet(news.scopes),
  );
  differs(
    "projects",
    normalizeSet(olds.projects),
    containsUnknown(news.projects) ? news.projects : normalizeSet(news.projects),
  );
  // Restrictions left out of the program are not managed here (an ApiKeyRestrictions may own them).
  if (news.restrictions !== undefined) {
    const desired = containsUnknown(news.restrictions)
      ? news.restrictions
      : normalizeRestrictions(news.restrictions);
    differs("restrictions", normalizeRestrictions(olds.restrictions), desired);
  }
  differs("expiresIn", olds.expiresIn ?? null, news.expiresIn ?? null);
  if (!containsUnknown(news.expiresAt) && !containsUnknown(news.expiresIn)) {
    differs("expiresAt", olds.expiresAt ?? null, desiredExpiry(olds, news) ?? null);
  } else if (containsUnknown(news.expiresAt)) changed.push("expiresAt");
  differs("rotateBeforeExpiry", olds.rotateBeforeExpiry ?? null, news.rotateBeforeExpiry ?? null);
  differs("rotationPeriod", olds.rotationPeriod ?? null, news.rotationPeriod ?? null);
  return [...new Set(changed)];
}

/**
 * Replacement reasons. Rotation is time-based and decided here because the engine calls `diff`
 * on every preview and update: once `now` passes the rotation point (or the expiry), the key is
 * replaced, and the engine creates the new key before deleting the old one.
 */
function replaceReasons(olds: ApiKeyOutputs, news: ApiKeyInputs, now: Date): ReplaceReason[] {
  const reasons: ReplaceReason[] = [];
  if (containsUnknown(news.organization) || olds.organization !== news.organization)
    reasons.push("organization");
  if (
    containsUnknown(news.rotationTriggers) ||
    !sameValue(olds.rotationTriggers ?? {}, news.rotationTriggers ?? {})
  ) {
    reasons.push("rotationTriggers");
  }
  if (olds.status !== "active") {
    reasons.push("status");
    return reasons;
  }
  if (containsUnknown(news.expiresAt) || containsUnknown(news.expiresIn)) return reasons;
  const expiresAt = desiredExpiry(olds, news);
  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
    reasons.push("expiresAt");
    return reasons;
  }
  const rotateAt = rotationPoint(news, olds.createdAt, expiresAt);
  if (rotateAt && Date.parse(rotateAt) <= now.getTime()) {
    const byExpiry =
      news.rotateBeforeExpiry &&
      expiresAt &&
      rotationPoint({ rotateBeforeExpiry: news.rotateBeforeExpiry }, olds.createdAt, expiresAt) === rotateAt;
    reasons.push(byExpiry ? "rotateBeforeExpiry" : "rotationPeriod");
  }
  return reasons;
}

/** The full diff of an ApiKey: a pure function of the old state, the new inputs and the time. */
export function diffApiKey(olds: ApiKeyOutputs, news: ApiKeyInputs, now: Date): pulumi.dynamic.DiffResult {
  // The placeholder of an unconfirmed create is always replaced; its delete cleans up (pendingCreate.ts).
  if (olds.pendingCreate) return { changes: true, replaces: ["pendingCreate"], deleteBeforeReplace: false };
  const replaces = replaceReasons(olds, news, now);
  const changed = changedInPlace(olds, news);
  return { changes: replaces.length > 0 || changed.length > 0, replaces, deleteBeforeReplace: false };
}

export { changedInPlace };
