import { SECRET_SIGNATURE } from "../resource";

/** The signature's value on a secret (the engine's `sig` for secrets). */
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/**
 * The value with every wrapped secret replaced by its plain value. The plugin answers
 * acceptSecrets=false, so the engine wraps nothing in resource calls; provider configuration
 * (CheckConfig, Configure `args`) still arrives wrapped.
 */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIGNATURE] === SECRET_VALUE) return unwrapSecrets(record.value);
  return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, unwrapSecrets(item)]));
}
