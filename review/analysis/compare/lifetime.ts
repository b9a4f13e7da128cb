import { parseDuration } from "../../../client/schemas";
import { formatTime } from "../describe";
import type { Operation } from "../../output/model";
import type { KeySettings } from "../../input/settings";
import { isOpaque, opaqueText, type Opaque } from "../../input/values";
import { opaqueFinding, type Finding } from "./finding";

/** How long a key and its secret live: expiry (expiresAt / expiresIn) and rotation. */

type Lifetime =
  { kind: "none" } | { kind: "fixed"; at: number } | { kind: "relative"; ms: number; text: string };

function lifetimeOf(settings: KeySettings): Lifetime | Opaque {
  const { expiresAt, expiresIn } = settings;
  if (expiresAt !== undefined && isOpaque(expiresAt)) return expiresAt;
  if (expiresIn !== undefined && isOpaque(expiresIn)) return expiresIn;
  if (expiresAt !== undefined && !Number.isNaN(Date.parse(expiresAt)))
    return { kind: "fixed", at: Date.parse(expiresAt) };
  const ms = expiresIn === undefined ? undefined : parseDuration(expiresIn);
  if (expiresIn !== undefined && ms !== undefined) return { kind: "relative", ms, text: expiresIn };
  // A key read with ApiKey.get has an expiry in its outputs but none in its inputs.
  const absolute = settings.absoluteExpiry ? Date.parse(settings.absoluteExpiry) : Number.NaN;
  return Number.isNaN(absolute) ? { kind: "none" } : { kind: "fixed", at: absolute };
}

function lifetimeText(lifetime: Lifetime, absoluteExpiry?: string | number): string {
  switch (lifetime.kind) {
    case "none":
      return "never expires";
    case "fixed":
      return `expires ${formatTime(lifetime.at)}`;
    case "relative":
      return `${lifetime.text} after creation${absoluteExpiry ? ` (expires ${formatTime(absoluteExpiry)})` : ""}`;
  }
}

function sameLifetime(a: Lifetime, b: Lifetime): boolean {
  if (a.kind === "fixed" && b.kind === "fixed") return a.at === b.at;
  if (a.kind === "relative" && b.kind === "relative") return a.ms === b.ms;
  return a.kind === "none" && b.kind === "none";
}

/**
 * Whether `after` gives a longer life than `before`. An update keeps the key, so expiry instants
 * are compared; a replacement makes a new key, so lifetimes (durations) are compared.
 */
function isLonger(
  before: KeySettings,
  was: Lifetime,
  now: Lifetime,
  op: Operation,
  clock: Date,
): boolean | undefined {
  if (was.kind === "none") return false;
  if (now.kind === "none") return true;
  if (was.kind === "relative" && now.kind === "relative") return now.ms > was.ms;
  if (was.kind === "fixed" && now.kind === "fixed") return now.at > was.at;
  const created = before.createdAt ? Date.parse(before.createdAt) : Number.NaN;
  if (op === "update") {
    const oldExpiry = was.kind === "fixed" ? was.at : Date.parse(before.absoluteExpiry ?? "");
    const newExpiry = now.kind === "fixed" ? now.at : created + now.ms;
    return Number.isNaN(oldExpiry) || Number.isNaN(newExpiry) ? undefined : newExpiry > oldExpiry;
  }
  const oldLife = was.kind === "relative" ? was.ms : was.at - created;
  const newLife = now.kind === "relative" ? now.ms : now.at - clock.getTime();
  return Number.isNaN(oldLife) ? undefined : newLife > oldLife;
}

export function compareExpiry(
  op: Operation,
  before: KeySettings | undefined,
  after: KeySettings,
  clock: Date,
): Finding | undefined {
  const now = lifetimeOf(after);
  const was = before ? lifetimeOf(before) : undefined;
  const beforeText =
    was === undefined ? null : isOpaque(was) ? opaqueText(was) : lifetimeText(was, before?.absoluteExpiry);
  if (isOpaque(now)) return opaqueFinding("expiry", beforeText, now);
  // An update keeps the key's creation time, so a new lifetime ends at a known instant.
  const createdAt = before?.createdAt ? Date.parse(before.createdAt) : Number.NaN;
  const afterText = lifetimeText(
    now,
    op === "update" && now.kind === "relative" && !Number.isNaN(createdAt) ? createdAt + now.ms : undefined,
  );
  if (was === undefined)
    return {
      setting: "expiry",
      summary: afterText,
      before: null,
      after: afterText,
      effect: "new",
      grants: [],
    };
  if (!isOpaque(was) && sameLifetime(was, now)) return undefined;
  const longer = isOpaque(was) ? undefined : isLonger(before!, was, now, op, clock);
  const summary = now.kind === "none" ? `expiry removed (was ${beforeText})` : `${beforeText} → ${afterText}`;
  return {
    setting: "expiry",
    summary,
    before: beforeText,
    after: afterText,
    effect: longer === undefined ? "changed" : longer ? "looser" : "stricter",
    grants: longer ? [afterText] : [],
  };
}

interface Rotation {
  period?: number;
  beforeExpiry?: number;
  /** As the program wrote them ("30d"); `overlap` is set for a key rotated in place. */
  text: { period?: string; beforeExpiry?: string; overlap?: string };
}

function rotationOf(settings: KeySettings): Rotation | Opaque {
  const { rotationPeriod, rotateBeforeExpiry, rotationOverlap } = settings;
  if (rotationPeriod !== undefined && isOpaque(rotationPeriod)) return rotationPeriod;
  if (rotateBeforeExpiry !== undefined && isOpaque(rotateBeforeExpiry)) return rotateBeforeExpiry;
  if (rotationOverlap !== undefined && isOpaque(rotationOverlap)) return rotationOverlap;
  return {
    period: rotationPeriod === undefined ? undefined : parseDuration(rotationPeriod),
    beforeExpiry: rotateBeforeExpiry === undefined ? undefined : parseDuration(rotateBeforeExpiry),
    text: { period: rotationPeriod, beforeExpiry: rotateBeforeExpiry, overlap: rotationOverlap },
  };
}

function rotationText(rotation: Rotation): string {
  const parts: string[] = [];
  if (rotation.text.period !== undefined) parts.push(`every ${rotation.text.period}`);
  if (rotation.text.beforeExpiry !== undefined) parts.push(`${rotation.text.beforeExpiry} before expiry`);
  const overlap = rotation.text.overlap;
  if (overlap === undefined) return parts.length ? parts.join(", ") : "no rotation";
  return `${parts.length ? parts.join(", ") : "on trigger changes"}, in place with a ${overlap} overlap`;
}

/**
 * Rotation replaces the secret; rotating later (a longer period, less time before expiry, or
 * not at all) lets one secret live longer. The overlap of in-place rotation is not a longer life:
 * check keeps it shorter than the rotation lead time, so a previous secret still stops before the
 * expiry it was issued with; changing it alone is "changed".
 */
export function compareRotation(before: KeySettings | undefined, after: KeySettings): Finding | undefined {
  const now = rotationOf(after);
  const was = before ? rotationOf(before) : undefined;
  const beforeText = was === undefined ? null : isOpaque(was) ? opaqueText(was) : rotationText(was);
  if (isOpaque(now)) return opaqueFinding("rotation", beforeText, now);
  const afterText = rotationText(now);
  if (was === undefined) {
    return now.period === undefined && now.beforeExpiry === undefined && now.text.overlap === undefined
      ? undefined
      : {
          setting: "rotation",
          summary: afterText,
          before: null,
          after: afterText,
          effect: "new",
          grants: [],
        };
  }
  if (beforeText === afterText) return undefined;
  const base = {
    setting: "rotation" as const,
    summary: `${beforeText} → ${afterText}`,
    before: beforeText,
    after: afterText,
  };
  if (isOpaque(was)) return { ...base, effect: "changed", grants: [] };
  // later: the secret may live longer; sooner: shorter.
  const later =
    (was.period !== undefined && (now.period === undefined || now.period > was.period)) ||
    (was.beforeExpiry !== undefined &&
      (now.beforeExpiry === undefined || now.beforeExpiry < was.beforeExpiry));
  const sooner =
    (now.period !== undefined && (was.period === undefined || now.period < was.period)) ||
    (now.beforeExpiry !== undefined &&
      (was.beforeExpiry === undefined || now.beforeExpiry > was.beforeExpiry));
  const effect = later && !sooner ? "looser" : sooner && !later ? "stricter" : "changed";
  return { ...base, effect, grants: effect === "looser" ? [afterText] : [] };
}
