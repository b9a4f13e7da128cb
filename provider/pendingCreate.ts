import { outcomeUnknown } from "../client/retry";
import type { CreateApiKeyParams } from "../client/schemas";
import { adminClient } from "./config";
import { NotFoundError } from "../client/errors";
import { describeFailure } from "./errors";

/**
 * A create whose outcome is unknown. When `POST /api-keys` fails without a definite answer (no
 * response, a 5xx or a 429 after the client's retries), the key may exist on the server although
 * the provider never learnt its id. Failing plainly would orphan it, and the next `pulumi up`
 * would create a second key under a fresh Idempotency-Key. Instead the create fails as a
 * "resource initialization" error that leaves a placeholder in state holding the request and its
 * Idempotency-Key. The next `pulumi up` replaces the placeholder (`diff` names `pendingCreate`):
 * it creates a new key, then deletes the placeholder by replaying the original request with the
 * same Idempotency-Key (the server answers with the key it created, or creates it now) and
 * deleting that key. `refresh` keeps the placeholder; `destroy` resolves it the same way.
 *
 * The replay is exact only while the server keeps idempotency records (24 hours on the emulator)
 * and under the same provider credential (records are per caller).
 */
export interface PendingCreate {
  idempotencyKey: string;
  request: CreateApiKeyParams;
}

/** Placeholder ids: never a real key id (those start with "key_"). */
export const PENDING_ID_PREFIX = "pending-create-";

/**
 * Whether a failed request may still have been applied: the client decides, next to its retry
 * policy (client/retry.ts). Exported here too, where callers of this module have found it.
 */

/**
 * The error `create` throws for an unknown outcome: the dynamic provider host turns an error with
 * `id` and `properties` into an initialization failure, so the engine records the placeholder
 * (`properties` must carry `__provider` for later calls to find the provider).
 */
export function pendingCreateError(
  failure: Error,
  inputs: Record<string, unknown>,
  pending: PendingCreate,
): Error & { id: string; properties: Record<string, unknown>; reasons: string[] } {
  const message =
    `${failure.message}; the request may have reached Admin.do, so the key is kept in state as a placeholder: ` +
    "the next `pulumi up` replaces it and deletes any key the request created";
  return Object.assign(new Error(message), {
    id: `${PENDING_ID_PREFIX}${pending.idempotencyKey}`,
    properties: { ...inputs, pendingCreate: pending },
    // The engine shows the reasons, not the message, for an initialization failure.
    reasons: [message],
  });
}

/**
 * Deletes whatever the pending create produced: replays it with the same Idempotency-Key to learn
 * the key's id, then deletes that key. A definite refusal of the replay (4xx) means the request
 * never created anything.
 */
export async function removePendingCreate(name: string, pending: PendingCreate): Promise<void> {
  const client = adminClient();
  let id: string;
  try {
    id = (await client.apiKeys.create(pending.request, { idempotencyKey: pending.idempotencyKey })).id;
  } catch (error) {
    if (!outcomeUnknown(error)) return;
    throw describeFailure(`resolving the unconfirmed create of API key "${name}"`, error);
  }
  try {
    await client.apiKeys.delete(id);
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw describeFailure(`deleting API key "${name}" (${id}) left by an unconfirmed create`, error);
  }
}
