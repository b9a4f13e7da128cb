import type { RedactionRules } from "../../client/redact";
import { SECRET_SIGNATURE, UNKNOWN } from "../../resource";
import { SECRET_TEXT } from "../input/values";

/**
 * Defence in depth for "never print a secret": the rules of client/redact.ts for what the review
 * (and admindo-audit) print. The review reads only whitelisted settings, so a secret should never
 * reach a report; this makes sure of it anyway. Secrets are every value the document holds under
 * a secret-looking property name (key, secret, token, password, apiKey), inside the engine's
 * secret envelope, or shaped like an Admin.do key; they are blanked wherever they appear in the
 * rendered report.
 */
export const REPORT_REDACTION: RedactionRules = {
  marker: SECRET_TEXT,
  secretNames: /^(key|secret|token|password|passphrase|apikey|api_key|accesskey|privatekey|.*:apikey)$/i,
  // A key of "x" must not blank every "x".
  minLength: 8,
  ignore: [SECRET_TEXT, UNKNOWN],
  envelope: SECRET_SIGNATURE,
  // Admin.do secrets: "adk_" and base62 (also catches their 10-character public prefixes).
  shape: /adk_[0-9A-Za-z]{6,}/g,
};
