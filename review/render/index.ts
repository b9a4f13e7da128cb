export { renderJson } from "./json";
export { COMMENT_MARKER, renderMarkdown } from "./markdown";
export { renderText, type TextOptions } from "./text";
