export { runAudit, durationLabel, type AuditOptions, type AuditProgress } from "./audit";
export {
  parseTargets,
  targetsFromIds,
  targetsFromStackExport,
  targetsFromStackOutput,
  AuditInputError,
  type KeyTarget,
  type Targets,
} from "./input";
export { renderAudit, FORMATS, type Format } from "./report";
export { renderJson, renderMarkdown, renderText, AUDIT_MARKER } from "./render";
export * from "./model";
