export { renderJson } from "./json";
export { renderMarkdown } from "./markdown";
export { renderText } from "./text";
