import type { AuditReport } from "../model";

/** The report as JSON for other tools: the shape of AuditReportSchema (audit/model.ts), two-space indented. */
export function renderJson(report: AuditReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
