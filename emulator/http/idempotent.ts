import { ApiError } from "../errors";
import { IDEMPOTENCY_TTL_MS, lookupId, open, requestHash, seal } from "../idempotency";
import type { KeyRecord } from "../store";
import type { Services } from "./state";

export interface IdempotentRequest {
  idempotencyKey: string;
  caller: KeyRecord;
  method: string;
  path: string;
  body: unknown;
  status: number;
  /** The handler: its writes and the record of its response commit in one transaction. */
  run: () => unknown;
  now: number;
}

export interface Outcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

/**
 * The first request under an Idempotency-Key runs and its successful response is stored
 * (encrypted); a repeat by the same caller gets that response again and changes nothing. A repeat
 * with a different method, path or body is a 409. Failures are not stored: the request did not
 * happen, so retrying it runs it again.
 */
export function replayOrRun(services: Services, request: IdempotentRequest): Outcome {
  const { store } = services;
  const callerId = request.caller.id;
  const lookup = lookupId(request.idempotencyKey, callerId);
  const fingerprint = requestHash(request.method, request.path, request.body);
  const aad = Buffer.concat([lookup, fingerprint]);
  return store.transaction(() => {
    const existing = store.idempotency.find(callerId, lookup, request.now);
    if (existing) {
      if (!existing.requestHash.equals(fingerprint)) {
        throw new ApiError(
          "conflict",
          "This Idempotency-Key was already used for a different request; use a new key for a new request.",
        );
      }
      const text = open(request.idempotencyKey, callerId, aad, existing);
      return { status: existing.status, body: text === "" ? undefined : JSON.parse(text), replayed: true };
    }
    const body = request.run();
    const sealed = seal(
      request.idempotencyKey,
      callerId,
      aad,
      body === undefined ? "" : JSON.stringify(body),
    );
    store.idempotency.purgeExpired(request.now);
    store.idempotency.insert({
      callerKeyId: callerId,
      lookup,
      requestHash: fingerprint,
      status: request.status,
      ...sealed,
      createdAt: request.now,
      expiresAt: request.now + IDEMPOTENCY_TTL_MS,
    });
    return { status: request.status, body, replayed: false };
  });
}
