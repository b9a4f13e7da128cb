import type { AuditReport, KeyAudit, Tally } from "../model";
import {
  headline,
  keyTitle,
  number,
  peaksText,
  suggestionCode,
  timeText,
  verdicts,
  verificationText,
} from "./common";

/** The report for a terminal; ANSI colour only when asked for (the CLI asks on a TTY without NO_COLOR). */

export interface TextOptions {
  color?: boolean;
}

const ANSI = { bold: "1", red: "31", green: "32", yellow: "33", cyan: "36", dim: "2" } as const;
type Style = keyof typeof ANSI;

/** Report text with `code` marks dropped and control characters removed, on one line. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, "$1").replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

function tallies(items: Tally[], shown = 5): string {
  if (items.length === 0) return "-";
  const listed = items.slice(0, shown).map((item) => `${plain(item.value)} ${number(item.requests)}`);
  if (items.length > shown) listed.push(`and ${number(items.length - shown)} more`);
  return listed.join(", ");
}

export function renderText(report: AuditReport, options: TextOptions = {}): string {
  const paint =
    (...styles: Style[]) =>
    (text: string) =>
      options.color ? `\u001b[${styles.map((style) => ANSI[style]).join(";")}m${text}\u001b[0m` : text;
  const lines: string[] = [paint("bold")("Admin.do API key usage audit"), plain(headline(report))];
  lines.push(
    verdicts(report)
      .map((item) => (item.warn ? paint("yellow", "bold")(item.text) : paint("green")(item.text)))
      .join(" · "),
  );
  for (const missing of report.unavailable) {
    lines.push(paint("yellow")(`${plain(missing.resource?.name ?? missing.keyId)}: ${missing.reason}`));
  }
  for (const key of report.keys) lines.push("", ...keyLines(key));
  return `${lines.join("\n")}\n`;

  function keyLines(key: KeyAudit): string[] {
    const out = [
      `${paint("bold")(plain(keyTitle(key)))}  ${paint("dim")(key.keyId)}  ${number(key.activity.requests)} requests, ${number(key.activity.denied)} denied, last ${key.activity.lastAt ?? "never"}`,
    ];
    const field = (label: string, value: string) => out.push(`   ${label.padEnd(14)} ${value}`);
    if (key.activity.requests === 0) {
      field("unused scopes", paint("yellow")(key.scopes.unused.join(", ")));
      for (const finding of key.findings) out.push(`   ${paint("cyan")("•")} ${plain(finding.text)}`);
      return out;
    }
    field(
      "scopes used",
      key.scopes.used.map((use) => `${use.scope} ${number(use.requests)}`).join(", ") || "-",
    );
    if (key.scopes.unused.length) field("unused scopes", paint("yellow")(key.scopes.unused.join(", ")));
    if (key.scopes.missing.length) {
      field(
        "refused scopes",
        paint("red")(key.scopes.missing.map((item) => `${item.scope} ${number(item.requests)}`).join(", ")),
      );
    }
    for (const denial of key.denials) {
      field(
        `denied`,
        `${denial.reason} ${number(denial.requests)} from ${tallies(denial.sources.addresses, 3)}`,
      );
    }
    field("addresses", tallies(key.admitted.addresses));
    field("projects", tallies(key.admitted.projects));
    field("Referer hosts", tallies(key.admitted.referrerHosts));
    field("busiest", peaksText(key));
    field("when", plain(timeText(key)));
    for (const finding of key.findings) out.push(`   ${paint("cyan")("•")} ${plain(finding.text)}`);
    const code = suggestionCode(key);
    if (code) {
      out.push(`   ${paint("bold")("suggested")}`);
      for (const line of code.split("\n")) out.push(`     ${line}`);
    }
    if (key.verification) {
      const text = plain(verificationText(key.verification));
      out.push(`   ${key.verification.passed ? paint("green")(text) : paint("red", "bold")(text)}`);
    }
    return out;
  }
}
