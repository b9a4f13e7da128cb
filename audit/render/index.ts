export { renderJson } from "./json";
export { AUDIT_MARKER, renderMarkdown } from "./markdown";
export { renderText, type TextOptions } from "./text";
