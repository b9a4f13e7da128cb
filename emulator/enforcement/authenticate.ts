import type { KeyRecord, Store } from "../store";
import { hashSecret, sameHash, secretPrefix } from "../secrets";

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

/**
 * The key a secret belongs to, or undefined. Looks candidates up by the secret's public prefix,
 * then compares SHA-256 hashes in constant time. A secret replaced by a rotation authenticates
 * until the end of its grace period.
 */
export function findKeyBySecret(store: Store, secret: string, now: number): KeyRecord | undefined {
  const hash = hashSecret(secret);
  for (const candidate of store.keys.secretsByPrefix(secretPrefix(secret))) {
    if (!sameHash(candidate.hash, hash)) continue;
    if (!candidate.current && (candidate.expiresAt === null || candidate.expiresAt <= now)) return undefined;
    return store.keys.get(candidate.keyId);
  }
  return undefined;
}
