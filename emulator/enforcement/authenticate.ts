import { unauthenticated } from "../errors";
import { hashSecret } from "../secrets";
import type { KeyRecord, Store } from "../store";

/** The key a request authenticated as, and how. */
export interface Caller {
  key: KeyRecord;
  /**
   * Set when the secret used is one a rotation replaced, still in its grace period: the end of
   * that period. Such a secret works for ordinary calls but cannot change its own key.
   */
  graceUntil: number | null;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * The key a secret (or the SHA-256 hash of one) belongs to, or undefined. Secrets are looked up by
 * their SHA-256 hash (the secret is never stored, so the hash is the only thing to compare). A
 * secret replaced by a rotation authenticates until the end of its grace period.
 */
function findKeyBySecret(store: Store, secret: string | Buffer, now: number): Caller | undefined {
  const found = store.keys.findBySecretHash(typeof secret === "string" ? hashSecret(secret) : secret);
  if (!found) return undefined;
  const { secret: stored, key } = found;
  if (!stored.current && (stored.expiresAt === null || stored.expiresAt <= now)) return undefined;
  return { key, graceUntil: stored.current ? null : stored.expiresAt };
}

/**
 * The caller of a request's `Authorization` header, or a 401. `cache` keeps the token's hash
 * across the checks of one request (when its headers arrive, and again when it acts).
 */
export function authenticate(
  store: Store,
  authorization: string | undefined,
  now: number,
  cache: { secretHash?: Buffer },
): Caller {
  if (cache.secretHash === undefined) {
    const token = bearerToken(authorization);
    if (token === undefined) {
      throw unauthenticated("Send an API key in the header Authorization: Bearer <key>.");
    }
    cache.secretHash = hashSecret(token);
  }
  const caller = findKeyBySecret(store, cache.secretHash, now);
  if (!caller) throw unauthenticated("The API key is not valid.");
  return caller;
}
