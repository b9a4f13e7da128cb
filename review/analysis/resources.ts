import {
  IN_PLACE_ROTATION_REASONS,
  type ApiKeyReplaceReason,
  type ApiKeyRestrictionsReplaceReason,
} from "../../resource";
import { parseUrn, type PreviewStep, type ResourceState } from "../input/preview";
import {
  isUnrestricted,
  readKeySettings,
  readRestrictionsResource,
  type KeySettings,
} from "../input/settings";
import { isOpaque, opaqueText, type Field } from "../input/values";
import type { Change, Operation, ReplaceReason, ResourceReview, SecretRotation } from "../output/model";
import { compareAccess } from "./compare/access";
import type { Finding } from "./compare/finding";
import { compareExpiry, compareRotation } from "./compare/lifetime";
import { compareRestrictions, describeRestrictions } from "./compare/restrictions";
import { code } from "./describe";
import { escalationOf, type EscalationContext } from "./escalation";

/** One reviewed step of an ApiKey or ApiKeyRestrictions resource: its changes and their verdicts. */

export interface StepInput {
  step: PreviewStep;
  op: Operation;
  name: string;
  now: Date;
  /** The operation planned for every other reviewed resource, by URN. */
  plannedOps: ReadonlyMap<string, Operation>;
  /** URNs of the ApiKeys whose secret this preview rotates in place. */
  rotatedInPlace?: ReadonlySet<string>;
  /** With `pulumi preview --refresh`: the resource as state held it before the refresh. */
  beforeRefresh?: ResourceState | null;
}

function propsOf(state: ResourceState | null | undefined): Record<string, unknown> | undefined {
  return state ? (state.outputs ?? state.inputs ?? undefined) : undefined;
}

function judge(findings: Finding[], context: EscalationContext): Change[] {
  return findings.map((finding) => {
    const { grants: _grants, ...change } = finding;
    return { ...change, escalation: escalationOf(finding, context) };
  });
}

function triggerNames(before: KeySettings | undefined, after: KeySettings | undefined): string[] {
  const was = before?.rotationTriggers;
  const now = after?.rotationTriggers;
  if (was === undefined && now === undefined) return [];
  if ((was !== undefined && isOpaque(was)) || (now !== undefined && isOpaque(now))) return [];
  const names = new Set([...Object.keys(was ?? {}), ...Object.keys(now ?? {})]);
  return [...names].filter((name) => was?.[name] !== now?.[name]).sort();
}

type Wording = (
  before: KeySettings | undefined,
  after: KeySettings | undefined,
) => Omit<ReplaceReason, "property">;

/**
 * Every replace reason the providers give (resource/: `diff` names them in `replaceReasons`), in
 * words for reviewers. A reason added to the model does not compile here until it is worded.
 */
const REPLACE_REASONS: Record<ApiKeyReplaceReason | ApiKeyRestrictionsReplaceReason, Wording> = {
  organization: () => ({
    kind: "organization",
    text: "organization change: the new key belongs to the new organization",
  }),
  rotationTriggers: (before, after) => {
    const names = triggerNames(before, after);
    const which = names.length ? ` (${names.map(code).join(", ")})` : "";
    return { kind: "trigger", text: `rotation trigger changed${which}` };
  },
  status: (before) => ({
    kind: "status",
    text: `the key is ${before?.status && before.status !== "active" ? before.status : "no longer active"} in Admin.do`,
  }),
  expiresAt: () => ({ kind: "rotation", text: "the key has expired" }),
  rotateBeforeExpiry: () => ({
    kind: "rotation",
    text: "scheduled rotation: the key is within rotateBeforeExpiry of its expiry",
  }),
  rotationPeriod: () => ({ kind: "rotation", text: "scheduled rotation: the rotation period has passed" }),
  pendingCreate: () => ({
    kind: "other",
    text: "an earlier create failed without a definite answer and left a placeholder: a new key is created, then any key that request made is deleted",
  }),
  keyId: () => ({ kind: "key", text: "the restrictions move to another key" }),
};

function replaceReasonsOf(
  step: PreviewStep,
  before: KeySettings | undefined,
  after: KeySettings | undefined,
): ReplaceReason[] {
  const properties = step.replaceReasons ?? [];
  if (properties.length === 0) {
    return [{ property: "", kind: "other", text: "replacement requested (e.g. `pulumi up --replace`)" }];
  }
  return properties.map((property): ReplaceReason => {
    if (!Object.hasOwn(REPLACE_REASONS, property)) {
      return { property, kind: "other", text: `${code(property)} changed` };
    }
    return { property, ...REPLACE_REASONS[property as keyof typeof REPLACE_REASONS](before, after) };
  });
}

/** Why a due in-place rotation happens, in words. */
function rotationCause(reason: SecretRotation["reason"], after: KeySettings, triggers: string[]): string {
  const value = (field: Field<string> | undefined) =>
    field === undefined ? "" : ` (${code(isOpaque(field) ? opaqueText(field) : field)})`;
  switch (reason) {
    case "rotationPeriod":
      return `the rotation period${value(after.rotationPeriod)} has passed`;
    case "rotateBeforeExpiry":
      return `the key is within rotateBeforeExpiry${value(after.rotateBeforeExpiry)} of its expiry`;
    case "rotationTriggers":
      return `rotation trigger changed${triggers.length ? ` (${triggers.map(code).join(", ")})` : ""}`;
    case "rotationOverlap":
      return "`rotationOverlap` was added, so the key switches to in-place rotation and is rotated once to start its schedule";
    case "rotatedOutsidePulumi":
      return "the refresh found it rotated outside Pulumi (its secret's prefix changed), so the secret in state is stale and the key is rotated again so that state holds a working secret";
    default:
      return "its rotation settings are known only after apply";
  }
}

/**
 * The in-place rotation an ApiKey update makes, if any: the provider's `rotation` marker (an
 * input it maintains for keys with rotationOverlap) changes exactly when one is due.
 */
function secretRotationOf(
  { step, op, beforeRefresh }: StepInput,
  before: KeySettings | undefined,
  after: KeySettings | undefined,
): SecretRotation | null {
  if (op !== "update" || !after) return null;
  const marker = after.rotation;
  const old = before?.rotation;
  const sameMarker =
    marker !== undefined &&
    !isOpaque(marker) &&
    old !== undefined &&
    !isOpaque(old) &&
    old.reason === marker.reason &&
    old.at === marker.at;
  let reason: SecretRotation["reason"];
  if (after.rotationOverlap !== undefined && marker !== undefined && !sameMarker) {
    reason = (
      !isOpaque(marker) && (IN_PLACE_ROTATION_REASONS as readonly string[]).includes(marker.reason)
        ? marker.reason
        : "unknown"
    ) as SecretRotation["reason"];
  } else if (secretChangedAtRefresh(beforeRefresh, step.oldState)) {
    reason = "rotatedOutsidePulumi";
  } else {
    return null;
  }
  const overlapField = after.rotationOverlap;
  const overlap =
    overlapField === undefined ? null : isOpaque(overlapField) ? opaqueText(overlapField) : overlapField;
  const cause = rotationCause(reason, after, triggerNames(before, after));
  const may = reason === "unknown" ? "may rotate" : "rotates";
  const previous =
    overlap === null
      ? "the previous secret stops working at once"
      : `the previous secret keeps working for ${code(overlap)}`;
  return {
    reason,
    overlap,
    text: `${may} the secret in place: ${cause}. Same key id, restrictions and usage history; ${previous}.`,
  };
}

/** True when a refresh in this preview found the key's secret prefix or last four changed. */
function secretChangedAtRefresh(
  beforeRefresh: ResourceState | null | undefined,
  refreshed: ResourceState | null | undefined,
): boolean {
  const was = beforeRefresh?.outputs;
  const now = refreshed?.outputs;
  if (!was || !now) return false;
  const changed = (field: string) =>
    typeof was[field] === "string" && typeof now[field] === "string" && was[field] !== now[field];
  return changed("prefix") || changed("lastFour");
}

export function reviewApiKey(input: StepInput): ResourceReview {
  const { step, op, name, now } = input;
  const oldProps = propsOf(step.oldState);
  const before = oldProps ? readKeySettings(oldProps, step.oldState?.inputs ?? {}) : undefined;
  const after = step.newState?.inputs ? readKeySettings(step.newState.inputs) : undefined;
  const notes: string[] = [];
  let findings: Finding[] = [];
  if (op === "delete" || !after) {
    notes.push("The key is deleted: every client that uses it stops working.");
  } else {
    const old = op === "create" || op === "import" ? undefined : before;
    findings = compareAccess(old, after);
    if (after.restrictions !== undefined) {
      findings.push(...compareRestrictions(old?.restrictions, after.restrictions, old === undefined));
    } else if (old?.restrictions !== undefined && !isUnrestricted(old.restrictions)) {
      notes.push(
        "Restrictions are no longer set by this resource: the key keeps its current ones until something else changes them.",
      );
    }
    const expiry = compareExpiry(op, old, after, now);
    const rotation = compareRotation(old, after);
    findings.push(...[expiry, rotation].filter((finding): finding is Finding => finding !== undefined));
  }
  if (op === "replace") {
    notes.push("A new key and secret are created first; the old key is deleted once the update succeeds.");
  }
  const secretRotation = secretRotationOf(input, before, after);
  if (op === "update" && !secretRotation && findings.length === 0) {
    notes.push(
      "Pulumi plans an update without a change to any reviewed setting. After a refresh this usually means the key was rotated outside Pulumi: the secret in state no longer matches it, and the update rotates the key again so that state holds a working secret.",
    );
  }
  const changes = judge(findings, { op, scopesAfter: after?.scopes });
  return {
    urn: step.urn,
    name,
    type: "ApiKey",
    op,
    restricts: null,
    replaceReasons: op === "replace" ? replaceReasonsOf(step, before, after) : [],
    secretRotation,
    changes,
    escalations: changes.flatMap((change) => (change.escalation ? [change.escalation] : [])),
    notes,
  };
}

/** The URN of the ApiKey a restrictions resource takes its keyId from, if the engine recorded it. */
function keySource(state: ResourceState | null | undefined): string | undefined {
  return state?.propertyDependencies?.keyId?.[0];
}

/** The ApiKey a restrictions resource belongs to: its resource name when known, else its key id. */
function keyOf(state: ResourceState | null | undefined, keyId: Field<string> | undefined): string | null {
  const source = keySource(state);
  const urn = source ? parseUrn(source) : undefined;
  if (urn) return urn.name;
  if (keyId === undefined) return null;
  return isOpaque(keyId) ? opaqueText(keyId) : keyId;
}

/** Why restrictions that stay with the same ApiKey resource change, for reviewers. */
function sameKeyNote(key: string, keyOp: Operation | undefined, op: Operation, rotated: boolean): string {
  if (keyOp === "replace") {
    return `Key ${code(key)} is replaced, so these restrictions move to the new key: they are removed from the old key first, which keeps working without them until it is deleted.`;
  }
  const planned = op === "replace" ? "so Pulumi plans a replacement here" : "so Pulumi plans an update here";
  const rotation = rotated
    ? ` Its secret is rotated in place: the new secret is held to these restrictions from its first use.`
    : "";
  return `The id of key ${code(key)} is known only after apply, ${planned}; ${code(key)} is ${keyOp === "update" ? "updated in place" : "not replaced"}, so its id and these restrictions stay as they are.${rotation}`;
}

export function reviewApiKeyRestrictions({
  step,
  op,
  name,
  plannedOps,
  rotatedInPlace,
}: StepInput): ResourceReview {
  const oldProps = propsOf(step.oldState);
  const before = oldProps ? readRestrictionsResource(oldProps) : undefined;
  const after = step.newState?.inputs ? readRestrictionsResource(step.newState.inputs) : undefined;
  const oldKey = keyOf(step.oldState, before?.keyId);
  const newKey = keyOf(step.newState, after?.keyId);
  const notes: string[] = [];
  const findings: Finding[] = [];
  const lost = (key: string | null) =>
    `key ${code(key ?? "?")} loses every restriction (${describeRestrictions(before?.restrictions)})`;
  // A key that is deleted in the same update loses nothing that matters.
  const oldSource = keySource(step.oldState);
  const oldKeyDeleted = oldSource !== undefined && plannedOps.get(oldSource) === "delete";
  if (oldKeyDeleted) notes.push(`Key ${code(oldKey ?? "?")} is deleted in the same update.`);
  if (op === "delete" || !after) {
    const removes = before !== undefined && !isUnrestricted(before.restrictions) && !oldKeyDeleted;
    findings.push({
      setting: "restrictions",
      summary: `removed from key ${oldKey ?? "?"}`,
      before: describeRestrictions(before?.restrictions),
      after: "none",
      effect: removes ? "looser" : "changed",
      grants: removes ? [lost(oldKey)] : [],
    });
  } else if (op === "create" || op === "import" || !before) {
    findings.push(...compareRestrictions(undefined, after.restrictions, true));
    if (after.overwrite)
      notes.push("`overwrite: true`: takes over restrictions the key already has, whatever they are.");
  } else if (oldKey !== newKey) {
    // The restrictions leave one key for another: the first key is left without them.
    const removes = !isUnrestricted(before.restrictions) && !oldKeyDeleted;
    findings.push({
      setting: "keyId",
      summary: `${oldKey ?? "?"} → ${newKey ?? "?"}`,
      before: oldKey,
      after: newKey,
      effect: removes ? "looser" : "changed",
      grants: removes ? [lost(oldKey)] : [],
    });
    findings.push(...compareRestrictions(undefined, after.restrictions, true));
  } else {
    if (before.keyId !== after.keyId && newKey) {
      // Same ApiKey resource, new or not-yet-known id: replaced with its key, or only unknown in preview.
      const source = keySource(step.newState) ?? keySource(step.oldState);
      const rotated = source !== undefined && (rotatedInPlace?.has(source) ?? false);
      notes.push(sameKeyNote(newKey, source ? plannedOps.get(source) : undefined, op, rotated));
    }
    findings.push(...compareRestrictions(before.restrictions, after.restrictions));
  }
  const changes = judge(findings, { op });
  return {
    urn: step.urn,
    name,
    type: "ApiKeyRestrictions",
    op,
    restricts: newKey ?? oldKey,
    replaceReasons:
      op !== "replace"
        ? []
        : replaceReasonsOf(step, undefined, undefined).map((reason) =>
            reason.property === "keyId" && after?.keyId !== undefined && isOpaque(after.keyId)
              ? { ...reason, text: "the key id will be known only after apply" }
              : reason,
          ),
    secretRotation: null,
    changes,
    escalations: changes.flatMap((change) => (change.escalation ? [change.escalation] : [])),
    notes,
  };
}
