import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `length` characters of base62 drawn without modulo bias (rejection sampling). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** Ids such as `key_3kF9x2…`: the prefix says what kind of thing an id names. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(20)}`;
}

/** A new API key secret: `adk_` and 32 base62 characters (190 bits). */
export function newSecret(): string {
  return `adk_${randomBase62(32)}`;
}

/** Length of the public prefix of a secret, stored in clear for lookup and display. */
export const PREFIX_LENGTH = 10;

export function secretPrefix(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}

export function lastFour(secret: string): string {
  return secret.slice(-4);
}

/**
 * SHA-256 of a secret. Secrets are long random strings, so a fast unsalted hash is enough (no
 * dictionary to attack); what matters is that the database never holds the secret itself.
 */
export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** Constant-time comparison of two SHA-256 digests. */
export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
