import { inspect } from "node:util";

const REDACTED = "[REDACTED]";

/**
 * Secrets a response body carries: the string value of every `key` property, at any depth.
 * Create and rotate return the one-time secret there; it must never reach an error.
 */
export function secretsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const item of value) secretsIn(item, found);
  } else if (value !== null && typeof value === "object") {
    for (const [name, item] of Object.entries(value)) {
      if (name === "key" && typeof item === "string" && item !== "") found.push(item);
      else secretsIn(item, found);
    }
  }
  return found;
}

/** `text` with every occurrence of every secret replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret) result = result.split(secret).join(REDACTED);
  return result;
}

/** A deep copy of a JSON-like value with secrets removed from strings and `key` properties blanked. */
export function redactValue(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === "string") return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [
        name,
        name === "key" && typeof item === "string" ? REDACTED : redactValue(item, secrets),
      ]),
    );
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
