import type { ReviewReport } from "../model";

/** The report as JSON for other tools: the shape of ReviewReportSchema (review/model.ts), two-space indented. */
export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
