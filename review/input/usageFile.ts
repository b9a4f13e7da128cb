import { AuditReportSchema } from "../../audit/model";
import type { ReviewReport } from "../output/model";
import type { PreviewDigest } from "./preview";
import { annotateWithUsage } from "../analysis/usage";

/**
 * Reads an `admindo-audit --format json` report for `admindo-review --usage`, and returns the
 * annotation it makes. Throws one sentence when the file is not such a report.
 */
export function usageAnnotation(text: string): (report: ReviewReport, digest: PreviewDigest) => ReviewReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error("not JSON: pass the output of `admindo-audit --format json`");
  }
  const parsed = AuditReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `not an admindo-audit report (schemaVersion 1): ${issue.path.join(".") || "document"}: ${issue.message}`,
    );
  }
  const audit = parsed.data;
  return (report, digest) => annotateWithUsage(report, digest, audit);
}
