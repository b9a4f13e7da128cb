import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ApiKey, ApiKeyWithSecret } from "../client/schemas";
import { ApiKeyInputsSchema, type ApiKeyInputs, type ApiKeyState } from "../resource";
import { crossFieldFailures, normalizeApiKeyInputs } from "./apiKeyCheck";
import { changedInPlace, desiredExpiry, diffApiKey, scheduleStart } from "./apiKeyDiff";
import { checkInputs, userInputs } from "./check";
import { containsUnknown, knownOnly } from "./unknowns";
import { adminClient } from "./config";
import { NotFoundError } from "../client/errors";
import { outcomeUnknown } from "../client/retry";
import { describeFailure } from "./errors";
import { nextRotation, rotationPlan } from "./inPlaceRotation";
import { normalizeRestrictions, normalizeSet } from "./normalize";
import { pendingCreateError, removePendingCreate } from "./pendingCreate";
import { expiryFor, rotationPoint } from "./rotation";

/** The ApiKey provider's operations. The engine reaches them through sdk/providers.ts. */

export async function check(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  // `rotation` is this provider's own input (inPlaceRotation.ts): whatever arrives is recomputed.
  const { rotation: _given, ...given } = news;
  const result = checkInputs(ApiKeyInputsSchema, given, normalizeApiKeyInputs);
  const inputs = userInputs(given);
  const unknown = new Set(Object.keys(inputs).filter((name) => containsUnknown(inputs[name])));
  const failures = [...(result.failures ?? []), ...crossFieldFailures(knownOnly(inputs), unknown)];
  const expiresAt = inputs.expiresAt;
  // A fixed expiry must lie ahead, unless it is the one the key already has (changing it is the user's call).
  if (typeof expiresAt === "string" && Date.parse(expiresAt) <= Date.now() && olds.expiresAt !== expiresAt) {
    failures.push({
      property: "expiresAt",
      reason: `${expiresAt} is in the past: set a future time, or use expiresIn for a lifetime such as "90d"`,
    });
  }
  if (failures.length) return { inputs: result.inputs, failures };
  const checked = (result.inputs ?? {}) as ApiKeyInputs;
  const rotation = nextRotation(userInputs(olds), checked, new Date());
  return rotation === undefined ? result : { inputs: { ...checked, rotation } };
}

export async function diff(
  _id: string,
  olds: ApiKeyState,
  news: ApiKeyInputs,
): Promise<pulumi.dynamic.DiffResult> {
  return diffApiKey(olds, news, new Date());
}

/** State after a call: the inputs, what the server said, the secret, and when we last rotated. */
function outputsFor(inputs: ApiKeyInputs, key: ApiKey, secret: string, rotatedAt?: string): ApiKeyState {
  const outputs: ApiKeyState = {
    ...inputs,
    keyId: key.id,
    key: secret,
    prefix: key.prefix,
    lastFour: key.lastFour,
    status: key.status,
    createdAt: key.createdAt,
  };
  if (key.expiresAt) outputs.expiresAt = key.expiresAt;
  if (rotatedAt) outputs.rotatedAt = rotatedAt;
  if (key.previousKeyExpiresAt) outputs.previousKeyExpiresAt = key.previousKeyExpiresAt;
  const start = scheduleStart({ createdAt: key.createdAt, rotatedAt }, inputs);
  const rotateAt = rotationPoint(inputs, start, key.expiresAt);
  if (rotateAt) outputs.rotateAt = rotateAt;
  return outputs;
}

export async function create(inputs: ApiKeyInputs): Promise<pulumi.dynamic.CreateResult<ApiKeyState>> {
  const request = {
    name: inputs.name,
    description: inputs.description,
    organization: inputs.organization,
    scopes: inputs.scopes,
    projects: inputs.projects,
    restrictions: inputs.restrictions,
    // A key rotated in place counts its lifetime from the `rotation` marker check wrote.
    expiresAt: expiryFor(inputs, scheduleStart({ createdAt: new Date().toISOString() }, inputs)),
  };
  // Our own Idempotency-Key, so that a create whose outcome is unknown can be replayed later.
  const idempotencyKey = randomUUID();
  let created: ApiKeyWithSecret;
  try {
    created = await adminClient().apiKeys.create(request, { idempotencyKey });
  } catch (error) {
    const failure = describeFailure(`creating API key "${inputs.name}"`, error);
    if (!outcomeUnknown(error)) throw failure;
    const pending = { idempotencyKey, request: JSON.parse(JSON.stringify(request)) };
    throw pendingCreateError(failure, inputs, pending);
  }
  return { id: created.id, outs: outputsFor(inputs, created, created.key) };
}

/**
 * Changes settings in place, then rotates the secret when a rotation is due (rotationPlan). The
 * rotation comes last: its new secret exists only in its response, so nothing may fail after it.
 */
export async function update(
  id: string,
  olds: ApiKeyState,
  news: ApiKeyInputs,
): Promise<pulumi.dynamic.UpdateResult<ApiKeyState>> {
  const changed = new Set(changedInPlace(olds, news));
  const expiresAt = desiredExpiry(olds, news);
  const rotation = rotationPlan(olds, news);
  // A renewing rotation sets the new expiry itself.
  const expiryChanged = (changed.has("expiresAt") || changed.has("expiresIn")) && !rotation?.renew;
  const params = {
    ...(changed.has("name") && { name: news.name }),
    ...(changed.has("description") && { description: news.description ?? null }),
    ...(changed.has("scopes") && { scopes: news.scopes }),
    ...(changed.has("projects") && { projects: news.projects ?? [] }),
    ...(changed.has("restrictions") && { restrictions: news.restrictions }),
    ...(expiryChanged && { expiresAt: expiresAt ?? null }),
  };
  const client = adminClient();
  let key: ApiKey | undefined;
  if (!rotation || Object.keys(params).length > 0) {
    try {
      key = await client.apiKeys.update(id, params);
    } catch (error) {
      throw describeFailure(`updating API key "${news.name}" (${id})`, error);
    }
  }
  if (!rotation) return { outs: outputsFor(news, key!, olds.key, olds.rotatedAt) };
  let rotated: ApiKeyWithSecret;
  try {
    rotated = await client.apiKeys.rotate(id, {
      ...(rotation.gracePeriod !== undefined && { gracePeriod: rotation.gracePeriod }),
      ...(rotation.renew && expiresAt !== undefined && { expiresAt }),
    });
  } catch (error) {
    throw describeFailure(`rotating API key "${news.name}" (${id}, ${rotation.reason})`, error);
  }
  return { outs: outputsFor(news, rotated, rotated.key, rotated.updatedAt) };
}

/**
 * Refresh: a key deleted out of band leaves state (no id returned); a revoked or expired one
 * keeps its status, so the next `pulumi up` replaces it. The secret cannot be read back: it is
 * kept from the old state. A key rotated out of band gets its new prefix and last four here while
 * state keeps the secret it knew, which no longer matches them: `diff` sees that (secretIsStale)
 * and the next `pulumi up` rotates the key again, so that state holds a working secret.
 */
export async function read(
  id: string,
  props?: Partial<ApiKeyState>,
): Promise<pulumi.dynamic.ReadResult<Partial<ApiKeyState>>> {
  // A placeholder of an unconfirmed create stays as it is: dropping it would orphan its key.
  if (props?.pendingCreate) return { id, props };
  let key: ApiKey;
  try {
    key = await adminClient().apiKeys.get(id);
  } catch (error) {
    if (error instanceof NotFoundError) return {};
    throw describeFailure(`reading API key ${id}`, error);
  }
  const outputs: Partial<ApiKeyState> = {
    ...props,
    keyId: key.id,
    name: key.name,
    organization: key.organization,
    scopes: normalizeSet(key.scopes) as ApiKeyState["scopes"],
    projects: normalizeSet(key.projects),
    prefix: key.prefix,
    lastFour: key.lastFour,
    status: key.status,
    createdAt: key.createdAt,
  };
  if (key.description !== null) outputs.description = key.description;
  else delete outputs.description;
  if (key.expiresAt) outputs.expiresAt = key.expiresAt;
  else delete outputs.expiresAt;
  if (key.previousKeyExpiresAt) outputs.previousKeyExpiresAt = key.previousKeyExpiresAt;
  else delete outputs.previousKeyExpiresAt;
  // Restrictions are tracked only when this resource manages them (or when adopting a key with `get`).
  if (props?.restrictions !== undefined || props?.keyId === undefined) {
    outputs.restrictions = normalizeRestrictions(key.restrictions);
  }
  return { id: key.id, props: outputs };
}

export async function remove(id: string, props: ApiKeyState): Promise<void> {
  if (props.pendingCreate) return removePendingCreate(props.name, props.pendingCreate);
  try {
    await adminClient().apiKeys.delete(id);
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw describeFailure(`deleting API key "${props.name}" (${id})`, error);
  }
}
