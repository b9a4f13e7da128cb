import type { ReviewReport } from "./model";
import { parsePreview, type PreviewDigest } from "./preview";
import { redactText, redactValue, secretsIn } from "./redact";
import { renderJson, renderMarkdown, renderText } from "./render";
import { reviewPreview } from "./review";

/** From the text of `pulumi preview --json` to a rendered report, with every secret blanked. */

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
  const { document, digest } = parsePreview(previewText);
  const secrets = secretsIn(document);
  // Blank secrets before reviewing (a value shortened for display would no longer match), and
  // again in what is printed.
  const clean = redactValue(digest, secrets);
  const reviewed = reviewPreview(clean, { now: options.now });
  const report = redactValue(options.annotate?.(reviewed, clean) ?? reviewed, secrets);
  return { report, output: redactText(render(report, options), secrets) };
}
