import { redactText as redact } from "../client/redact";
import { REPORT_REDACTION } from "./output/redact";

/*
 * Temporary: audit/report.ts imports redactText from this path. Once it calls client/redact.ts's
 * redactText with REPORT_REDACTION (review/output/redact.ts) itself, delete this file.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  return redact(text, secrets, REPORT_REDACTION);
}
