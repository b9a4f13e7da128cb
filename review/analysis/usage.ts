import {
  networkConsequence,
  projectConsequence,
  rateConsequence,
  referrerConsequence,
  timeConsequence,
  type Consequence,
} from "../../audit/consequences";
import type { AuditReport, KeyAudit } from "../../audit/model";
import { times } from "../../audit/wording";
import type { PreviewDigest, PreviewStep } from "../input/preview";
import { readKeySettings, readRestrictionsResource, type RestrictionSettings } from "../input/settings";
import { isOpaque, isRecord, type Field } from "../input/values";
import { SETTING_LABELS, type ResourceReview, type ReviewReport } from "../output/model";
import { code } from "./describe";

/**
 * `admindo-review --usage <audit.json>`: the review of a pull request annotated with what the
 * keys really did (an `admindo-audit --format json` report), so a reviewer sees the consequence
 * of a change before it ships: a removed scope "was unused for 30 days" or "was used 1,204
 * times", narrowed networks "would have refused 3 of 5 addresses seen". Annotations are notes of
 * the resource they concern, so every output format shows them.
 */

function stepOf(digest: PreviewDigest, urn: string): PreviewStep | undefined {
  const steps = (digest.steps ?? []).filter((step) => step.urn === urn);
  return steps.find((step) => step.newState?.inputs) ?? steps[0];
}

/** Key ids a step's old or new state names (outputs.keyId of an ApiKey, keyId of restrictions). */
function keyIdsOf(step: PreviewStep | undefined): string[] {
  const ids: string[] = [];
  for (const state of [step?.oldState, step?.newState]) {
    for (const props of [state?.outputs, state?.inputs]) {
      if (isRecord(props) && typeof props.keyId === "string") ids.push(props.keyId);
    }
  }
  return ids;
}

function auditedKey(
  audit: AuditReport,
  resource: ResourceReview,
  step: PreviewStep | undefined,
): KeyAudit | undefined {
  const ids = keyIdsOf(step);
  const byId = audit.keys.find((key) => ids.includes(key.keyId));
  if (byId) return byId;
  if (resource.type === "ApiKey") {
    return (
      audit.keys.find((key) => key.resource?.urn === resource.urn) ??
      audit.keys.find((key) => (key.resource?.name ?? key.name) === resource.name)
    );
  }
  return audit.keys.find(
    (key) => key.keyId === resource.restricts || key.resource?.name === resource.restricts,
  );
}

const known = <T>(value: Field<T> | undefined): T | undefined =>
  value === undefined || isOpaque(value) ? undefined : value;

function restrictionNotes(
  key: KeyAudit,
  resource: ResourceReview,
  after: RestrictionSettings,
): Consequence[] {
  const changed = new Set(resource.changes.map((change) => change.setting));
  const out: (Consequence | undefined)[] = [];
  if (changed.has("ipAddresses")) out.push(networkConsequence(key, known(after.ipAddresses) ?? []));
  if (changed.has("referrers")) out.push(referrerConsequence(key, known(after.referrers) ?? []));
  const rate = known(after.rateLimit);
  if (changed.has("rateLimit")) out.push(rateConsequence(key, rate));
  const window = known(after.timeRestrictions);
  if (changed.has("timeRestrictions")) out.push(timeConsequence(key, window));
  return out.filter((item): item is Consequence => !!item);
}

/** The notes for one reviewed resource. */
function notesFor(
  audit: AuditReport,
  key: KeyAudit,
  resource: ResourceReview,
  step: PreviewStep | undefined,
): string[] {
  const window = audit.window.label;
  const prefix = `Usage in the last ${window} (admindo-audit):`;
  if (resource.op === "delete" && resource.type === "ApiKey") {
    return [
      key.activity.admitted === 0
        ? `${prefix} unused (${key.lastUsedAt ? `last used at ${key.lastUsedAt}` : "never used"}).`
        : `${prefix} used ${times(key.activity.admitted)}, last at ${key.activity.lastAt}.`,
    ];
  }
  const notes: string[] = [];
  const scopes = resource.changes.find((change) => change.setting === "scopes");
  for (const scope of scopes?.removed ?? []) {
    const use = key.scopes.used.find((item) => item.scope === scope);
    notes.push(
      use
        ? `${prefix} ${code(scope)}, removed here, was used ${times(use.requests)} (last at ${use.lastAt}); those calls will be refused.`
        : `${prefix} ${code(scope)}, removed here, was unused for ${window}.`,
    );
  }
  for (const scope of scopes?.added ?? []) {
    const missing = key.scopes.missing.find((item) => item.scope === scope);
    if (missing) {
      const from = missing.sources.addresses
        .slice(0, 3)
        .map((tally) => code(tally.value))
        .join(", ");
      notes.push(
        `${prefix} ${code(scope)}, added here, was refused ${times(missing.requests)} for lack of it (from ${from}).`,
      );
    }
  }
  const inputs = step?.newState?.inputs;
  if (!inputs || resource.op === "delete") return notes;
  const consequences: Consequence[] = [];
  if (resource.type === "ApiKey") {
    const after = readKeySettings(inputs);
    const projects = known(after.projects);
    if (projects && resource.changes.some((change) => change.setting === "projects")) {
      const consequence = projectConsequence(key, projects);
      if (consequence) consequences.push(consequence);
    }
    const restrictions = known(after.restrictions);
    if (restrictions) consequences.push(...restrictionNotes(key, resource, restrictions));
  } else {
    consequences.push(...restrictionNotes(key, resource, readRestrictionsResource(inputs).restrictions));
  }
  for (const consequence of consequences) {
    notes.push(`${prefix} the new ${SETTING_LABELS[consequence.setting]} ${consequence.text}`);
  }
  return notes;
}

/** The review with usage notes added to every resource the audit covers. */
export function annotateWithUsage(
  report: ReviewReport,
  digest: PreviewDigest,
  audit: AuditReport,
): ReviewReport {
  return {
    ...report,
    resources: report.resources.map((resource) => {
      const step = stepOf(digest, resource.urn);
      const key = auditedKey(audit, resource, step);
      if (!key) return resource;
      const notes = notesFor(audit, key, resource, step);
      return notes.length ? { ...resource, notes: [...resource.notes, ...notes] } : resource;
    }),
  };
}
