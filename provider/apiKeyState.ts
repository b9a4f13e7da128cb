import type { KeyStatus } from "../client/schemas";
import type { ApiKeyInputs } from "./apiKeyInputs";
import type { PendingCreate } from "./pendingCreate";

/**
 * What an ApiKey resource holds in state: its normalized inputs plus what the server said.
 * `key` is the one-time secret; the resource options mark it secret (additionalSecretOutputs),
 * and `read` keeps it from state because the API never returns it again.
 */
export interface ApiKeyOutputs extends ApiKeyInputs {
  keyId: string;
  key: string;
  prefix: string;
  lastFour: string;
  status: KeyStatus;
  createdAt: string;
  /** Absolute expiry: `expiresAt` as given, or creation time plus `expiresIn`. */
  expiresAt?: string;
  /** When `pulumi up` rotates the key (from rotateBeforeExpiry / rotationPeriod): replaced, or in place with rotationOverlap. */
  rotateAt?: string;
  /** When this provider last rotated the key in place (server time); absent for a key never rotated. */
  rotatedAt?: string;
  /** Until when the secret replaced by the last in-place rotation still works (as Admin.do reports it). */
  previousKeyExpiresAt?: string;
  /** Set only on the placeholder of a create whose outcome is unknown (see pendingCreate.ts). */
  pendingCreate?: PendingCreate;
}
