import type { KeyRecord, Store } from "../store";
import { hashSecret } from "../secrets";

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/** Who a secret authenticates. */
export interface Credential {
  key: KeyRecord;
  /**
   * Set when the secret is one a rotation replaced, still in its grace period: the end of that
   * period. Such a secret works for ordinary calls but cannot change its own key.
   */
  graceUntil: number | null;
}

/**
 * The key a secret (or the SHA-256 hash of one) belongs to, or undefined. Secrets are looked up by their SHA-256 hash (the
 * secret is never stored, so the hash is the only thing to compare). A secret replaced by a
 * rotation authenticates until the end of its grace period.
 */
export function findKeyBySecret(store: Store, secret: string | Buffer, now: number): Credential | undefined {
  const found = store.keys.findBySecretHash(typeof secret === "string" ? hashSecret(secret) : secret);
  if (!found) return undefined;
  const { secret: stored, key } = found;
  if (!stored.current && (stored.expiresAt === null || stored.expiresAt <= now)) return undefined;
  return { key, graceUntil: stored.current ? null : stored.expiresAt };
}
