import { inspect } from "node:util";

/**
 * Keeping secrets out of what is printed: one implementation for the client (errors built from
 * API responses) and the tools that print what Pulumi wrote (admindo-review, admindo-audit).
 * `secretsIn` collects the secrets a document holds, `redactText` and `redactValue` blank them
 * wherever they appear. What counts as a secret, and what replaces it, are the rules: the client's
 * (the default) and each tool's (review/output/redact.ts).
 */
export interface RedactionRules {
  /** What replaces a secret. */
  marker: string;
  /** Property names whose values are secrets, at any depth below them. */
  secretNames: RegExp;
  /** The shortest value taken as a secret because of its name or envelope (shorter ones would match by chance). */
  minLength: number;
  /** Values never taken as secrets (e.g. the marker itself). */
  ignore?: readonly string[];
  /** A property that makes its object a secret envelope (the engine's secret signature). */
  envelope?: string;
  /** Text that is a secret wherever it appears, whatever holds it (e.g. the shape of a key). */
  shape?: RegExp;
  /** In `redactValue`, blank every string under a secret name even when no secret was collected from it. */
  blankSecretNames?: boolean;
}

/**
 * The client's rules: the one-time secret that create and rotate return in `key` must never reach
 * an error, its message or its cause.
 */
const RESPONSE_REDACTION: RedactionRules = {
  marker: "[REDACTED]",
  secretNames: /^key$/,
  minLength: 1,
  blankSecretNames: true,
};

function collect(value: unknown, secret: boolean, rules: RedactionRules, found: Set<string>): void {
  if (typeof value === "string") {
    if (secret && value.length >= rules.minLength && !rules.ignore?.includes(value)) found.add(value);
    for (const match of rules.shape ? (value.match(rules.shape) ?? []) : []) found.add(match);
  } else if (Array.isArray(value)) {
    for (const item of value) collect(item, secret, rules, found);
  } else if (value !== null && typeof value === "object") {
    const envelope = rules.envelope !== undefined && rules.envelope in value;
    for (const [name, item] of Object.entries(value)) {
      if (name === rules.envelope) continue;
      collect(item, secret || envelope || rules.secretNames.test(name), rules, found);
    }
  }
}

/** Every secret in a document (a response body, a preview), longest first. */
export function secretsIn(document: unknown, rules: RedactionRules = RESPONSE_REDACTION): string[] {
  const found = new Set<string>();
  collect(document, false, rules, found);
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of every secret, and anything of the rules' secret shape, replaced. */
export function redactText(
  text: string,
  secrets: readonly string[],
  rules: RedactionRules = RESPONSE_REDACTION,
): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join(rules.marker);
  return rules.shape ? result.replace(rules.shape, rules.marker) : result;
}

/** A deep copy of a JSON-like value with every string redacted. */
export function redactValue<T>(
  value: T,
  secrets: readonly string[],
  rules: RedactionRules = RESPONSE_REDACTION,
): T {
  if (typeof value === "string") return redactText(value, secrets, rules) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactValue(item, secrets, rules)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        rules.blankSecretNames && rules.secretNames.test(name) && typeof item === "string"
          ? rules.marker
          : redactValue(item, secrets, rules),
      ]),
    ) as T;
  }
  return value;
}

/**
 * A transport error to keep as `cause`. undici errors may quote request headers (MockAgent's
 * "not matched" error prints them, Authorization included), so when the printed error contains a
 * secret it is replaced by a copy with the same name, code and a redacted message and stack.
 */
export function safeCause(error: unknown, secrets: readonly string[]): unknown {
  const printed = inspect(error, { depth: 5 });
  if (!secrets.some((secret) => secret && printed.includes(secret))) return error;
  const original = error instanceof Error ? error : new Error(String(error));
  const copy = new Error(redactText(original.message, secrets));
  copy.name = original.name;
  copy.stack = redactText(original.stack ?? "", secrets);
  const code = (original as { code?: unknown }).code;
  if (typeof code === "string") Object.assign(copy, { code });
  return copy;
}
