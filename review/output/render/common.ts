import type { Change, Operation, ResourceReview, ReviewReport } from "../model";

/** Wording shared by the Markdown and text reports. */

/** The Review column: what the change means for the key's access. */
export function verdict(change: Change): string {
  if (change.escalation) return "escalation";
  switch (change.effect) {
    case "new":
      return "new";
    case "looser":
      return "looser";
    case "stricter":
      return "stricter";
    case "unknown":
      return "known after apply";
    default:
      return "changed";
  }
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "4 resources change: 1 create, 2 update, 1 replace" (or that nothing changes). */
export function changeLine(report: ReviewReport): string {
  const { summary } = report;
  if (summary.resources === 0) return "No Admin.do API keys or restrictions change.";
  const ops = (["create", "update", "replace", "delete", "import"] as Operation[])
    .filter((op) => summary[op] > 0)
    .map((op) => `${summary[op]} ${op}`);
  return `${plural(summary.resources, "resource")} ${summary.resources === 1 ? "changes" : "change"}: ${ops.join(", ")}.`;
}

/** "2 escalations need an extra approval." or "No escalations." */
export function escalationLine(report: ReviewReport): string {
  const count = report.summary.escalations;
  if (count === 0) return "No escalations.";
  return `${plural(count, "escalation")} ${count === 1 ? "needs" : "need"} an extra approval.`;
}

export function previewErrorLine(report: ReviewReport): string | undefined {
  const count = report.summary.previewErrors;
  return count > 0
    ? `The preview reported ${plural(count, "error")}: this review covers only the steps it planned.`
    : undefined;
}

/**
 * "replace: organization change; rotation trigger changed", "update: rotates the secret in
 * place …", or just the operation.
 */
export function operationText(resource: ResourceReview): string {
  if (resource.secretRotation) return `${resource.op}: ${resource.secretRotation.text}`;
  if (resource.op !== "replace" || resource.replaceReasons.length === 0) return resource.op;
  return `replace: ${resource.replaceReasons.map((reason) => reason.text).join("; ")}`;
}

/** "ApiKeyRestrictions of storefront" / "ApiKey"; `quote` formats the key's name. */
export function typeText(resource: ResourceReview, quote: (name: string) => string = (name) => name): string {
  return resource.type === "ApiKeyRestrictions" && resource.restricts
    ? `ApiKeyRestrictions of ${quote(resource.restricts)}`
    : resource.type;
}
