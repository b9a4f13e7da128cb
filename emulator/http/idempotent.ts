import { conflict } from "../errors";
import { IDEMPOTENCY_TTL_MS, lookupId, open, requestHash, seal } from "../idempotency";
import type { Services } from "./state";

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

/*
 * The first request under an Idempotency-Key runs and its successful response is stored
 * (encrypted); a repeat by the same caller gets that response again and changes nothing. A repeat
 * with a different method, path or body is a 409. Failures are not stored: the request did not
 * happen, so retrying it runs it again. Both functions run inside the transaction of the request's
 * writes, so the writes and the record of their response commit together.
 */

function binding(request: IdempotentRequest) {
  const lookup = lookupId(request.idempotencyKey, request.callerKeyId);
  const fingerprint = requestHash(request.method, request.path, request.body);
  return { lookup, fingerprint, aad: Buffer.concat([lookup, fingerprint]) };
}

/** The stored response of an earlier request under the same key, or undefined if there is none. */
export function findReplay(services: Services, request: IdempotentRequest): Outcome | undefined {
  const { lookup, fingerprint, aad } = binding(request);
  const existing = services.store.idempotency.find(request.callerKeyId, lookup, request.now);
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
export function recordOutcome(services: Services, request: IdempotentRequest, outcome: Outcome): void {
  const { store } = services;
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
