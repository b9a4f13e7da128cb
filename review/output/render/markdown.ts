import { SETTING_LABELS, type ResourceReview, type ReviewReport } from "../model";
import { changeLine, escalationLine, operationText, previewErrorLine, typeText, verdict } from "./common";

/**
 * The report as a pull-request comment: a summary line, the escalations, then a table per
 * resource. Every value from the preview is escaped, so a resource name cannot inject Markdown
 * or HTML into the comment.
 */

/** Marks the comment so CI can update its previous comment instead of adding another. */
export const COMMENT_MARKER = "<!-- admindo-review -->";

/** Plain text for Markdown: HTML and Markdown punctuation escaped, one line. */
export function escapeText(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1");
}

/** Inline code that survives any content (and table cells: pipes escaped). */
export function codeSpan(text: string): string {
  const line = text.replace(/\s+/g, " ");
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = line.startsWith("`") || line.endsWith("`") ? " " : "";
  return `${fence}${pad}${line.replace(/\|/g, "\\|")}${pad}${fence}`;
}

/** Report text, where `value` marks inline code: code spans kept (safely), the rest escaped. */
export function inline(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith("`") && part.endsWith("`") && part.length >= 2
        ? codeSpan(part.slice(1, -1))
        : escapeText(part),
    )
    .join("");
}

function resourceTitle(resource: ResourceReview): string {
  const flag = resource.escalations.length ? " ⚠️" : "";
  return `#### ${codeSpan(resource.name)} · ${typeText(resource, codeSpan)} · ${inline(operationText(resource))}${flag}`;
}

function resourceSection(resource: ResourceReview): string[] {
  const lines = ["", resourceTitle(resource)];
  if (resource.changes.length) {
    lines.push("", "| Setting | Change | Review |", "| --- | --- | --- |");
    for (const change of resource.changes) {
      const review = change.escalation ? "⚠️ **escalation**" : escapeText(verdict(change));
      lines.push(`| ${SETTING_LABELS[change.setting]} | ${codeSpan(change.summary)} | ${review} |`);
    }
  } else if (resource.op !== "delete") {
    lines.push("", "_No reviewed setting changes._");
  }
  for (const note of resource.notes) lines.push("", `> ${inline(note)}`);
  return lines;
}

export function renderMarkdown(report: ReviewReport): string {
  const lines = [COMMENT_MARKER, "### Admin.do API key review", ""];
  const stack = report.stack ? ` Stack ${codeSpan(report.stack)}.` : "";
  const escalations = escalationLine(report);
  lines.push(
    `${report.summary.escalations ? `**⚠️ ${escalations}**` : `✅ ${escalations}`} ${escapeText(changeLine(report))}${stack}`,
  );
  const errors = previewErrorLine(report);
  if (errors) lines.push("", `> **${escapeText(errors)}**`);
  if (report.escalations.length) {
    lines.push("", "| Escalation | Resource | Why |", "| --- | --- | --- |");
    for (const escalation of report.escalations) {
      lines.push(
        `| ${escapeText(escalation.rule)} | ${codeSpan(escalation.name)} (${escalation.type}, ${escalation.op}) | ${inline(escalation.reason)} |`,
      );
    }
  }
  for (const resource of report.resources) lines.push(...resourceSection(resource));
  return `${lines.join("\n")}\n`;
}
