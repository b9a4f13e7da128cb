/**
 * admindo-review (cli.ts): from the text of `pulumi preview --json` to a review of every Admin.do
 * API key change, in three stages (report.ts runs them):
 *
 * 1. input/: parse the preview (preview.ts), read values the engine hides as opaque (values.ts),
 *    and read each resource's settings in canonical form (settings.ts); with `--usage`, read an
 *    admindo-audit report (usageFile.ts).
 * 2. analysis/: review each step (review.ts, resources.ts): compare settings (compare/, with
 *    networks and referrers compared by what they admit in coverage.ts), judge escalations
 *    (escalation.ts), and annotate with usage (usage.ts).
 * 3. output/: the report (model.ts, its documented JSON shape), rendered as JSON, Markdown or
 *    text (render/), every secret blanked (client/redact.ts with output/redact.ts's rules).
 */
export { reviewText, render, FORMATS, type Format, type ReportOptions } from "./report";
export {
  parsePreview,
  parseUrn,
  PreviewInputError,
  type PreviewDigest,
  type PreviewStep,
} from "./input/preview";
export { reviewPreview, type ReviewOptions } from "./analysis/review";
export * from "./output/model";
export { renderJson, renderMarkdown, renderText } from "./output/render";
