import type { Change, Effect, Setting } from "../../output/model";
import { isOpaque, opaqueText, UNKNOWN_TEXT, type Field } from "../../input/values";

/**
 * A change as the comparisons find it: the reported Change (without its verdict) plus what the
 * change newly grants, which escalation.ts judges. `grants` never leaves the review.
 */
export interface Finding extends Omit<Change, "escalation"> {
  /** What the key is newly allowed: scopes, networks, sites, projects, hours, a longer life. */
  grants: string[];
}

/** A new value that is unknown or secret: nothing can be compared. */
export function opaqueFinding(setting: Setting, before: Change["before"], after: Field<unknown>): Finding {
  const text = isOpaque(after) ? opaqueText(after) : UNKNOWN_TEXT;
  return { setting, summary: text, before, after: text, effect: "unknown", grants: [] };
}

export function effectOf(admitsMore: boolean, admitsLess: boolean): Effect {
  if (admitsMore && !admitsLess) return "looser";
  if (admitsLess && !admitsMore) return "stricter";
  return "changed";
}

export interface SetRules {
  /** What an empty list means for this setting ("any address"), or undefined when empty is just empty. */
  empty?: string;
  /** Entries of `after` that admit something `before` did not (both non-empty). Default: added entries. */
  newlyAdmitted?: (after: string[], before: string[]) => string[];
}

function difference(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((item) => !b.includes(item));
}

function listText(list: readonly string[], empty?: string): string {
  return list.length ? list.join(", ") : (empty ?? "none");
}

/**
 * A set-valued setting (scopes, projects, networks, referrers). `before` is undefined for a
 * created resource. Returns undefined when nothing changes.
 */
export function compareSet(
  setting: Setting,
  before: Field<string[]> | undefined,
  after: Field<string[]>,
  rules: SetRules = {},
): Finding | undefined {
  const beforeValue = before === undefined ? null : isOpaque(before) ? opaqueText(before) : before;
  if (isOpaque(after)) return opaqueFinding(setting, beforeValue, after);
  if (before === undefined) {
    return {
      setting,
      summary: listText(after, rules.empty),
      before: null,
      after,
      added: after,
      removed: [],
      effect: "new",
      grants: after.length ? after : rules.empty ? [rules.empty] : [],
    };
  }
  if (isOpaque(before)) {
    return {
      setting,
      summary: listText(after, rules.empty),
      before: beforeValue,
      after,
      effect: "changed",
      grants: [],
    };
  }
  const added = difference(after, before);
  const removed = difference(before, after);
  if (added.length === 0 && removed.length === 0) return undefined;
  const parts = [...added.map((item) => `+ ${item}`), ...removed.map((item) => `- ${item}`)];
  let grants: string[];
  let admitsLess: boolean;
  if (rules.empty !== undefined && (before.length === 0 || after.length === 0)) {
    // Empty means "no restriction": going to empty admits everything, leaving it admits less.
    grants = after.length === 0 ? [rules.empty] : [];
    admitsLess = before.length === 0;
    parts.push(after.length === 0 ? `now ${rules.empty}` : `was ${rules.empty}`);
  } else {
    grants = rules.newlyAdmitted ? rules.newlyAdmitted(after, before) : added;
    admitsLess = rules.newlyAdmitted ? rules.newlyAdmitted(before, after).length > 0 : removed.length > 0;
  }
  return {
    setting,
    summary: parts.join(", "),
    before,
    after,
    added,
    removed,
    effect: effectOf(grants.length > 0, admitsLess),
    grants,
  };
}
