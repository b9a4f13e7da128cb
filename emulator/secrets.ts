import { createHash, randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Random bytes from a pool refilled 4 KiB at a time: every request needs two ids, and one
 * `randomBytes` call per id cost more than the ids' other work. Bytes are used once.
 */
let pool = Buffer.alloc(0);
let poolOffset = 0;
function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  return pool[poolOffset++];
}

/** `length` characters of base62 drawn without modulo bias (rejection sampling). */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += BASE62[byte % 62];
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
const PREFIX_LENGTH = 10;

export function secretPrefix(secret: string): string {
  return secret.slice(0, PREFIX_LENGTH);
}

export function lastFour(secret: string): string {
  return secret.slice(-4);
}

/**
 * SHA-256 of a secret, which is how secrets are stored and looked up. Generated secrets are long
 * random strings, so a fast unsalted hash is enough (no dictionary to attack); what matters is
 * that the database never holds the secret itself. A root key chosen by a person is only as
 * strong as its choice: none of its characters are stored beside the hash (keys.ts).
 */
export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}
