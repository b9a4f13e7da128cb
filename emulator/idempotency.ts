import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Crypto for idempotency records. A replayable response of `create` or `rotate` contains a secret,
 * and the emulator never stores secrets in clear: the response is sealed with AES-256-GCM under a
 * key derived (HKDF-SHA256) from the Idempotency-Key value and the caller's key id. Only a caller
 * presenting the same Idempotency-Key can derive it again; the database holds neither the value
 * nor the key, only a separately derived lookup id.
 */

const LOOKUP_INFO = "admindo idempotency v1 lookup";
const CIPHER_INFO = "admindo idempotency v1 aes-256-gcm";

/** How long a record can be replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

function derive(idempotencyKey: string, callerKeyId: string, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(idempotencyKey, "utf8"), callerKeyId, info, 32));
}

/** The id a record is stored under: reveals nothing about the Idempotency-Key value. */
export function lookupId(idempotencyKey: string, callerKeyId: string): Buffer {
  return derive(idempotencyKey, callerKeyId, LOOKUP_INFO);
}

/** JSON with object keys sorted, so equal bodies hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Fingerprint of a request: reusing an Idempotency-Key for a different request is a conflict. */
export function requestHash(method: string, path: string, body: unknown): Buffer {
  return createHash("sha256")
    .update(canonicalJson([method, path, body ?? null]))
    .digest();
}

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** Encrypts a response body; `aad` (lookup id and request hash) binds it to its record. */
export function seal(idempotencyKey: string, callerKeyId: string, aad: Buffer, plaintext: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derive(idempotencyKey, callerKeyId, CIPHER_INFO), iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** Decrypts a sealed body; throws when the key or record does not match (tampering). */
export function open(idempotencyKey: string, callerKeyId: string, aad: Buffer, sealed: Sealed): string {
  const decipher = createDecipheriv(
    "aes-256-gcm",
    derive(idempotencyKey, callerKeyId, CIPHER_INFO),
    sealed.iv,
  );
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString("utf8");
}
