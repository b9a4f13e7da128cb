/*
 * Temporary: audit/render/markdown.ts imports these from this path. Once it imports
 * review/output/render/markdown.ts, delete this file.
 */
export { codeSpan, escapeText, inline } from "../output/render/markdown";
