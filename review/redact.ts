import { SECRET_SIGNATURE, SECRET_TEXT, UNKNOWN_VALUE } from "./values";

/**
 * Defence in depth for "never print a secret". The review reads only whitelisted settings, so a
 * secret should never reach a report; this module makes sure of it anyway. It collects every
 * value the preview holds under a secret-looking property name (key, secret, token, password,
 * apiKey), inside a secret-signature object, or shaped like an Admin.do key, and blanks those
 * values wherever they appear in the rendered report.
 */

const SECRET_NAMES =
  /^(key|secret|token|password|passphrase|apikey|api_key|accesskey|privatekey|.*:apikey)$/i;
/** Admin.do secrets: "adk_" and base62 (also catches their 10-character public prefixes). */
const ADMINDO_KEY = /adk_[0-9A-Za-z]{6,}/g;
/** Shorter strings are too likely to occur by chance (a key of "x" must not blank every "x"). */
const MIN_LENGTH = 8;

function collect(value: unknown, secretContext: boolean, found: Set<string>): void {
  if (typeof value === "string") {
    if (secretContext && value !== SECRET_TEXT && value !== UNKNOWN_VALUE && value.length >= MIN_LENGTH) {
      found.add(value);
    }
    for (const match of value.match(ADMINDO_KEY) ?? []) found.add(match);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, secretContext, found);
    return;
  }
  if (value !== null && typeof value === "object") {
    const secretObject = SECRET_SIGNATURE in value;
    for (const [name, item] of Object.entries(value)) {
      if (name === SECRET_SIGNATURE) continue;
      collect(item, secretContext || secretObject || SECRET_NAMES.test(name), found);
    }
  }
}

/** Every secret-looking value in a parsed preview document, longest first. */
export function secretsIn(document: unknown): string[] {
  const found = new Set<string>();
  collect(document, false, found);
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every given secret, and anything shaped like an Admin.do key, replaced by "[secret]". */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join(SECRET_TEXT);
  return result.replace(ADMINDO_KEY, SECRET_TEXT);
}

/** A deep copy of a JSON-like value with every string redacted. */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, redactValue(item, secrets)]),
    ) as T;
  }
  return value;
}
