import type { FastifyRequest } from "fastify";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { HEADERS } from "../client/contract";
import { IdempotencyKeySchema } from "../client/params";
import { conflict, invalidInput } from "./errors";
import type { Store } from "./store";

/*
 * Idempotency, in one place. A POST may carry an Idempotency-Key. The first request under a key
 * runs and its successful response is stored; a repeat by the same caller gets that response again
 * and changes nothing. A repeat with a different method, path or body is a 409. Failures are not
 * stored: the request did not happen, so retrying it runs it again. Finding and recording run
 * inside the transaction of the request's writes, so the writes and the record of their response
 * commit together (http/operation.ts). The records themselves live in store/sqlite/idempotency.ts.
 *
 * A replayable response of `create` or `rotate` contains a secret, and the emulator never stores
 * secrets in clear: the response is sealed with AES-256-GCM under a key derived (HKDF-SHA256) from
 * the Idempotency-Key value and the caller's key id. Only a caller presenting the same
 * Idempotency-Key can derive it again; the database holds neither the value nor the key, only a
 * separately derived lookup id.
 */

/** The Idempotency-Key of a request, validated; undefined when it has none. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const value = request.headers[HEADERS.idempotencyKey];
  if (value === undefined) return undefined;
  const parsed = IdempotencyKeySchema.safeParse(Array.isArray(value) ? value[0] : value);
  if (!parsed.success)
    throw invalidInput(parsed.error, "Idempotency-Key header", ["headers", "idempotency-key"]);
  return parsed.data;
}

export interface IdempotentRequest {
  idempotencyKey: string;
  callerKeyId: string;
  method: string;
  path: string;
  body: unknown;
  now: number;
}

export interface Outcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

function binding(request: IdempotentRequest) {
  const lookup = lookupId(request.idempotencyKey, request.callerKeyId);
  const fingerprint = requestHash(request.method, request.path, request.body);
  return { lookup, fingerprint, aad: Buffer.concat([lookup, fingerprint]) };
}

/** The stored response of an earlier request under the same key, or undefined if there is none. */
export function findReplay(store: Store, request: IdempotentRequest): Outcome | undefined {
  const { lookup, fingerprint, aad } = binding(request);
  const existing = store.idempotency.find(request.callerKeyId, lookup, request.now);
  if (!existing) return undefined;
  if (!existing.requestHash.equals(fingerprint)) {
    throw conflict(
      "This Idempotency-Key was already used for a different request; use a new key for a new request.",
    );
  }
  const text = open(request.idempotencyKey, request.callerKeyId, aad, existing);
  return { status: existing.status, body: text === "" ? undefined : JSON.parse(text), replayed: true };
}

/** Stores a successful response for replay. */
export function recordOutcome(store: Store, request: IdempotentRequest, outcome: Outcome): void {
  const { lookup, fingerprint, aad } = binding(request);
  const sealed = seal(
    request.idempotencyKey,
    request.callerKeyId,
    aad,
    outcome.body === undefined ? "" : JSON.stringify(outcome.body),
  );
  store.idempotency.purgeExpired(request.now);
  store.idempotency.insert({
    callerKeyId: request.callerKeyId,
    lookup,
    requestHash: fingerprint,
    status: outcome.status,
    ...sealed,
    createdAt: request.now,
    expiresAt: request.now + IDEMPOTENCY_TTL_MS,
  });
}

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

interface Sealed {
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
