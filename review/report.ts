import type { ReviewReport } from "./model";
import { parsePreview } from "./preview";
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
  const report = redactValue(reviewPreview(redactValue(digest, secrets), { now: options.now }), secrets);
  return { report, output: redactText(render(report, options), secrets) };
}
