import { redactText, redactValue, secretsIn } from "../client/redact";
import { reviewPreview } from "./analysis/review";
import { parsePreview, type PreviewDigest } from "./input/preview";
import type { ReviewReport } from "./output/model";
import { REPORT_REDACTION } from "./output/redact";
import { renderJson, renderMarkdown, renderText } from "./output/render";

/** The pipeline: from the text of `pulumi preview --json` to a rendered report, with every secret blanked. */

export const FORMATS = ["text", "markdown", "json"] as const;
export type Format = (typeof FORMATS)[number];

export interface ReportOptions {
  format: Format;
  /** ANSI colour in the text format. */
  color?: boolean;
  /** The time of the preview (default: now). */
  now?: Date;
  /** Adds to the review before it is rendered (e.g. usage notes, review/usage.ts). */
  annotate?: (report: ReviewReport, digest: PreviewDigest) => ReviewReport;
}

export function render(report: ReviewReport, options: Pick<ReportOptions, "format" | "color">): string {
  switch (options.format) {
    case "json":
      return renderJson(report);
    case "markdown":
      return renderMarkdown(report);
    case "text":
      return renderText(report, { color: options.color });
  }
}

export function reviewText(
  previewText: string,
  options: ReportOptions,
): { report: ReviewReport; output: string } {
  // Input: the preview, with its secrets blanked before reviewing (a value shortened for display
  // would no longer match them).
  const { document, digest } = parsePreview(previewText);
  const secrets = secretsIn(document, REPORT_REDACTION);
  const clean = redactValue(digest, secrets, REPORT_REDACTION);
  // Analysis: the review, and what annotates it (usage notes).
  const reviewed = reviewPreview(clean, { now: options.now });
  const annotated = options.annotate?.(reviewed, clean) ?? reviewed;
  // Output: the report and its rendering, secrets blanked again.
  const report = redactValue(annotated, secrets, REPORT_REDACTION);
  return { report, output: redactText(render(report, options), secrets, REPORT_REDACTION) };
}
