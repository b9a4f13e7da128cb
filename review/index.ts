export { reviewText, render, FORMATS, type Format, type ReportOptions } from "./report";
export { reviewPreview, type ReviewOptions } from "./review";
export { parsePreview, parseUrn, PreviewInputError, type PreviewDigest, type PreviewStep } from "./preview";
export * from "./model";
export { renderJson, renderMarkdown, renderText, COMMENT_MARKER } from "./render";
export { UNKNOWN_TEXT, UNKNOWN_VALUE, SECRET_SIGNATURE } from "./values";
