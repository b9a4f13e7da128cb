import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { ApiKey, ApiKeyWithSecret } from "../client/schemas";
import {
  ApiKeyInputsSchema,
  crossFieldFailures,
  normalizeApiKeyInputs,
  type ApiKeyInputs,
} from "./apiKeyInputs";
import { changedInPlace, desiredExpiry, diffApiKey } from "./apiKeyDiff";
import type { ApiKeyOutputs } from "./apiKeyState";
import { checkInputs, userInputs } from "./check";
import { knownOnly } from "./unknowns";
import { adminClient } from "./config";
import { describeFailure, isNotFound } from "./errors";
import { normalizeRestrictions, normalizeSet } from "./normalize";
import { outcomeUnknown, pendingCreateError, removePendingCreate } from "./pendingCreate";
import { expiryFor, rotationPoint } from "./rotation";

/** The ApiKey provider's operations. The engine reaches them through sdk/providers.ts. */

export async function check(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  const result = checkInputs(ApiKeyInputsSchema, news, normalizeApiKeyInputs);
  const inputs = userInputs(news);
  const failures = [...(result.failures ?? []), ...crossFieldFailures(knownOnly(inputs))];
  const expiresAt = inputs.expiresAt;
  // A fixed expiry must lie ahead, unless it is the one the key already has (changing it is the user's call).
  if (typeof expiresAt === "string" && Date.parse(expiresAt) <= Date.now() && olds.expiresAt !== expiresAt) {
    failures.push({
      property: "expiresAt",
      reason: `${expiresAt} is in the past: set a future time, or use expiresIn for a lifetime such as "90d"`,
    });
  }
  return failures.length ? { inputs: result.inputs, failures } : result;
}

export async function diff(
  _id: string,
  olds: ApiKeyOutputs,
  news: ApiKeyInputs,
): Promise<pulumi.dynamic.DiffResult> {
  return diffApiKey(olds, news, new Date());
}

function outputsFor(inputs: ApiKeyInputs, key: ApiKey, secret: string): ApiKeyOutputs {
  const outputs: ApiKeyOutputs = {
    ...inputs,
    keyId: key.id,
    key: secret,
    prefix: key.prefix,
    lastFour: key.lastFour,
    status: key.status,
    createdAt: key.createdAt,
  };
  if (key.expiresAt) outputs.expiresAt = key.expiresAt;
  const rotateAt = rotationPoint(inputs, key.createdAt, key.expiresAt);
  if (rotateAt) outputs.rotateAt = rotateAt;
  return outputs;
}

export async function create(inputs: ApiKeyInputs): Promise<pulumi.dynamic.CreateResult<ApiKeyOutputs>> {
  const request = {
    name: inputs.name,
    description: inputs.description,
    organization: inputs.organization,
    scopes: inputs.scopes,
    projects: inputs.projects,
    restrictions: inputs.restrictions,
    expiresAt: expiryFor(inputs, new Date().toISOString()),
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

export async function update(
  id: string,
  olds: ApiKeyOutputs,
  news: ApiKeyInputs,
): Promise<pulumi.dynamic.UpdateResult<ApiKeyOutputs>> {
  const changed = new Set(changedInPlace(olds, news));
  const expiresAt = desiredExpiry(olds, news);
  let key: ApiKey;
  try {
    key = await adminClient().apiKeys.update(id, {
      ...(changed.has("name") && { name: news.name }),
      ...(changed.has("description") && { description: news.description ?? null }),
      ...(changed.has("scopes") && { scopes: news.scopes }),
      ...(changed.has("projects") && { projects: news.projects ?? [] }),
      ...(changed.has("restrictions") && { restrictions: news.restrictions }),
      ...((changed.has("expiresAt") || changed.has("expiresIn")) && { expiresAt: expiresAt ?? null }),
    });
  } catch (error) {
    throw describeFailure(`updating API key "${news.name}" (${id})`, error);
  }
  return { outs: outputsFor(news, key, olds.key) };
}

/**
 * Refresh: a key deleted out of band leaves state (no id returned); a revoked or expired one
 * keeps its status, so the next `pulumi up` replaces it. The secret cannot be read back: it is
 * kept from the old state.
 */
export async function read(
  id: string,
  props?: Partial<ApiKeyOutputs>,
): Promise<pulumi.dynamic.ReadResult<Partial<ApiKeyOutputs>>> {
  // A placeholder of an unconfirmed create stays as it is: dropping it would orphan its key.
  if (props?.pendingCreate) return { id, props };
  let key: ApiKey;
  try {
    key = await adminClient().apiKeys.get(id);
  } catch (error) {
    if (isNotFound(error)) return {};
    throw describeFailure(`reading API key ${id}`, error);
  }
  const outputs: Partial<ApiKeyOutputs> = {
    ...props,
    keyId: key.id,
    name: key.name,
    organization: key.organization,
    scopes: normalizeSet(key.scopes) as ApiKeyOutputs["scopes"],
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
  // Restrictions are tracked only when this resource manages them (or when adopting a key with `get`).
  if (props?.restrictions !== undefined || props?.keyId === undefined) {
    outputs.restrictions = normalizeRestrictions(key.restrictions);
  }
  return { id: key.id, props: outputs };
}

export async function remove(id: string, props: ApiKeyOutputs): Promise<void> {
  if (props.pendingCreate) return removePendingCreate(props.name, props.pendingCreate);
  try {
    await adminClient().apiKeys.delete(id);
  } catch (error) {
    if (isNotFound(error)) return;
    throw describeFailure(`deleting API key "${props.name}" (${id})`, error);
  }
}
