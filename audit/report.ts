import { redactText } from "../client/redact";
import { REPORT_REDACTION } from "../review/output/redact";
import type { AuditReport } from "./model";
import { renderJson, renderMarkdown, renderText } from "./render";

export const FORMATS = ["text", "markdown", "json"] as const;
export type Format = (typeof FORMATS)[number];

/**
 * The report in one of its formats. The report holds no secret (it is built from key records,
 * usage counts and log fields, never a Referer beyond its host); as a second line of defence the
 * output is scrubbed of the given secrets (the audit's credential) and of anything shaped like
 * an Admin.do key.
 */
export function renderAudit(
  report: AuditReport,
  options: { format: Format; color?: boolean; secrets?: readonly string[] },
): string {
  const output =
    options.format === "json"
      ? renderJson(report)
      : options.format === "markdown"
        ? renderMarkdown(report)
        : renderText(report, { color: options.color });
  return redactText(output, options.secrets ?? [], REPORT_REDACTION);
}
