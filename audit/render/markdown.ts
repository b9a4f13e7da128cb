import { codeSpan, escapeText, inline } from "../../review/output/render/markdown";
import type { AuditReport, KeyAudit, Tally } from "../model";
import {
  headline,
  keyTitle,
  number,
  peaksText,
  plural,
  suggestionCode,
  timeText,
  verdicts,
  verificationText,
} from "./common";

/**
 * The report for an issue or a pull request: a summary, a table of keys, then per key its
 * findings, a collapsed section with the figures behind them, and the suggested settings. Every
 * value from the API is escaped (review/render/markdown.ts), so nothing a client sent (a project
 * name, a Referer host) can inject Markdown or HTML.
 */

/** Marks the comment or issue so CI can update it instead of adding another. */
export const AUDIT_MARKER = "<!-- admindo-audit -->";

const SHOWN = 10;

function tallyCell(tallies: Tally[], shown = SHOWN): string {
  if (tallies.length === 0) return "–";
  const listed = tallies.slice(0, shown).map((tally) => `${codeSpan(tally.value)} ${number(tally.requests)}`);
  if (tallies.length > shown) listed.push(`and ${number(tallies.length - shown)} more`);
  return listed.join(", ");
}

function keyRow(key: KeyAudit): string {
  const missing = key.scopes.missing.map((item) => `${codeSpan(item.scope)} (${number(item.requests)})`);
  return [
    `${codeSpan(keyTitle(key))}`,
    number(key.activity.requests),
    number(key.activity.denied),
    key.activity.lastAt ? escapeText(key.activity.lastAt) : "never",
    key.scopes.unused.map(codeSpan).join(", ") || "–",
    missing.join(", ") || "–",
  ].join(" | ");
}

function keySection(key: KeyAudit): string[] {
  const lines = ["", `#### ${codeSpan(keyTitle(key))} · ${codeSpan(key.keyId)}`, ""];
  for (const finding of key.findings) lines.push(`- ${inline(finding.text)}`);
  if (key.activity.requests === 0) return lines;
  lines.push("", "<details><summary>Usage in the window</summary>", "");
  lines.push("| | |", "| --- | --- |");
  const row = (label: string, value: string) => lines.push(`| ${label} | ${value} |`);
  row(
    "requests",
    `${number(key.activity.requests)} (${number(key.activity.admitted)} admitted, ${number(key.activity.denied)} denied, ${plural(key.activity.errors, "error")})`,
  );
  row("last request", key.activity.lastAt ? escapeText(key.activity.lastAt) : "none in the window");
  row("last used (ever)", key.lastUsedAt ? escapeText(key.lastUsedAt) : "never");
  row(
    "scopes used",
    key.scopes.used.map((use) => `${codeSpan(use.scope)} ${number(use.requests)}`).join(", ") || "–",
  );
  row(
    "per resource",
    key.usage.byResource
      .map((item) => `${codeSpan(item.key)} ${number(item.requests)} (${plural(item.errors, "error")})`)
      .join(", ") || "–",
  );
  row(
    "per project",
    key.usage.byProject
      .map((item) => `${codeSpan(item.key)} ${number(item.requests)} (${plural(item.errors, "error")})`)
      .join(", ") || "–",
  );
  for (const denial of key.denials) {
    row(
      `denied: ${escapeText(denial.reason)}`,
      `${number(denial.requests)} from ${tallyCell(denial.sources.addresses, 5)}; projects ${tallyCell(denial.sources.projects, 5)}; Referer hosts ${tallyCell(denial.sources.referrerHosts, 5)}`,
    );
  }
  row("admitted from", tallyCell(key.admitted.addresses));
  row("projects", tallyCell(key.admitted.projects));
  row("Referer hosts", tallyCell(key.admitted.referrerHosts));
  row("busiest", escapeText(peaksText(key)));
  row("when", escapeText(timeText(key)));
  lines.push("", "</details>");
  const code = suggestionCode(key);
  if (code) {
    lines.push(
      "",
      "Suggested settings (the tightest that admit every successful request):",
      "",
      "```ts",
      code,
      "```",
    );
  }
  if (key.verification)
    lines.push("", `${key.verification.passed ? "✅" : "❌"} ${inline(verificationText(key.verification))}`);
  return lines;
}

export function renderMarkdown(report: AuditReport): string {
  const lines = [AUDIT_MARKER, "### Admin.do API key usage audit", ""];
  lines.push(inline(headline(report)));
  lines.push(
    "",
    verdicts(report)
      .map((item) => (item.warn ? `⚠️ **${escapeText(item.text)}**` : `✅ ${escapeText(item.text)}`))
      .join(" · "),
  );
  if (report.keys.length) {
    lines.push(
      "",
      "| Key | Requests | Denied | Last request | Unused scopes | Refused scopes |",
      "| --- | ---: | ---: | --- | --- | --- |",
    );
    for (const key of report.keys) lines.push(`| ${keyRow(key)} |`);
  }
  for (const missing of report.unavailable) {
    lines.push("", `> ${codeSpan(missing.resource?.name ?? missing.keyId)}: ${escapeText(missing.reason)}.`);
  }
  for (const key of report.keys) lines.push(...keySection(key));
  return `${lines.join("\n")}\n`;
}
