import type { AuditReport, KeyAudit, Verification } from "../model";
import { number, plural } from "../wording";

/** Wording shared by the Markdown and text reports. */

export { number, plural, timeText } from "../wording";

/** The key's name in the program when it came from a stack, else its name in Admin.do. */
export function keyTitle(key: KeyAudit): string {
  return key.resource?.name ?? key.name;
}

/** "Stack `prod` · last 30 days (… to …) · 3 keys, 12,345 requests." */
export function headline(report: AuditReport): string {
  const stack = report.source.stack ? `Stack \`${report.source.stack}\` · ` : "";
  const { summary } = report;
  return `${stack}last ${report.window.label} (${report.window.start} to ${report.window.end}) · ${plural(summary.keys, "key")}, ${plural(summary.requests, "request")}.`;
}

/** The counts a reviewer acts on, or that there is nothing to act on. */
export function verdicts(report: AuditReport): { text: string; warn: boolean }[] {
  const { summary } = report;
  const items: { text: string; warn: boolean }[] = [];
  if (summary.unused) items.push({ text: `${plural(summary.unused, "key")} unused`, warn: true });
  if (summary.withUnusedScopes)
    items.push({ text: `${plural(summary.withUnusedScopes, "key")} with unused scopes`, warn: true });
  if (summary.withMissingScopes)
    items.push({ text: `${plural(summary.withMissingScopes, "key")} with refused scopes`, warn: true });
  if (report.unavailable.length)
    items.push({ text: `${plural(report.unavailable.length, "key")} not found`, warn: true });
  if (summary.verified) {
    items.push(
      summary.verificationFailed
        ? { text: `${plural(summary.verificationFailed, "suggestion")} failed the replay`, warn: true }
        : { text: `${plural(summary.verified, "suggestion")} verified by replay`, warn: false },
    );
  }
  if (items.length === 0) items.push({ text: "every granted scope was used", warn: false });
  return items;
}

export function verificationText(verification: Verification): string {
  const denied = verification.denied;
  const parts = [
    `${number(verification.admitted)} of ${plural(verification.replayed, "successful request")} would pass`,
  ];
  if (verification.refused.length) {
    parts.push(
      `refused: ${verification.refused.map((tally) => `\`${tally.value}\` ${number(tally.requests)}`).join(", ")}`,
    );
  }
  if (denied.replayed) {
    const still = denied.stillDenied.reduce((sum, tally) => sum + tally.requests, 0);
    parts.push(`${number(still)} of ${plural(denied.replayed, "denied request")} stay denied`);
    if (denied.nowAdmitted.length) {
      parts.push(
        `admitted now: ${denied.nowAdmitted.map((tally) => `\`${tally.value}\` ${number(tally.requests)}`).join(", ")}`,
      );
    }
  }
  if (denied.notReplayed.length) {
    parts.push(
      `not replayed (decided by the key's status or a handler): ${denied.notReplayed.map((tally) => `\`${tally.value}\` ${number(tally.requests)}`).join(", ")}`,
    );
  }
  return `${verification.passed ? "Replayed" : "Replay FAILED"}: ${parts.join("; ")}.`;
}

export function peaksText(key: KeyAudit): string {
  const { peaks } = key.rate;
  return `${number(peaks.second)}/second, ${number(peaks.minute)}/minute, ${number(peaks.hour)}/hour, ${number(peaks.day)}/day`;
}

/** A value as a TypeScript literal: objects one property a line, lists of values on one line. */
function literal(value: unknown, indent: string): string {
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, indent)).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const inner = `${indent}  `;
    const lines = Object.entries(value).map(([name, item]) => `${inner}${name}: ${literal(item, inner)},`);
    return lines.length ? `{\n${lines.join("\n")}\n${indent}}` : "{}";
  }
  return JSON.stringify(value);
}

/** The suggestion as the arguments of an ApiKey in a Pulumi program (a TypeScript object literal). */
export function suggestionCode(key: KeyAudit): string | undefined {
  if (!key.suggestion) return undefined;
  const { scopes, projects, restrictions } = key.suggestion;
  return literal({ scopes, projects, restrictions }, "");
}
