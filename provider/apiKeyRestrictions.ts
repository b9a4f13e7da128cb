import type * as pulumi from "@pulumi/pulumi";
import type { ApiKey, Restrictions } from "../client/schemas";
import { ApiKeyRestrictionsInputsSchema, type ApiKeyRestrictionsInputs } from "../resource";
import { checkInputs } from "./check";
import { adminClient } from "./config";
import { NotFoundError } from "../client/errors";
import { describeFailure } from "./errors";
import { normalizeRestrictions, sameValue } from "./normalize";
import { containsUnknown } from "./unknowns";

/** The ApiKeyRestrictions provider's operations; its state holds its checked inputs. */
type ApiKeyRestrictionsOutputs = ApiKeyRestrictionsInputs;

function restrictionsOf(inputs: ApiKeyRestrictionsInputs): Restrictions {
  const { keyId: _keyId, overwrite: _overwrite, ...restrictions } = inputs;
  return normalizeRestrictions(restrictions);
}

function normalize(inputs: ApiKeyRestrictionsInputs): ApiKeyRestrictionsInputs {
  return {
    keyId: inputs.keyId,
    ...(inputs.overwrite !== undefined && { overwrite: inputs.overwrite }),
    ...restrictionsOf(inputs),
  };
}

export async function check(
  _olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<pulumi.dynamic.CheckResult> {
  return checkInputs(ApiKeyRestrictionsInputsSchema, news, normalize);
}

export async function diff(
  _id: string,
  olds: ApiKeyRestrictionsOutputs,
  news: ApiKeyRestrictionsInputs,
): Promise<pulumi.dynamic.DiffResult> {
  // An unknown keyId during preview usually means the ApiKey is being updated (every output of an
  // updated resource is unknown in preview), not replaced; the real diff runs again with the value.
  const replaces = !containsUnknown(news.keyId) && olds.keyId !== news.keyId ? ["keyId"] : [];
  const { keyId, overwrite: _overwrite, ...wanted } = news;
  const changes =
    replaces.length > 0 ||
    containsUnknown(keyId) ||
    containsUnknown(wanted) ||
    !sameValue(restrictionsOf(olds), restrictionsOf(news)) ||
    (olds.overwrite ?? false) !== (news.overwrite ?? false);
  return { changes, replaces, deleteBeforeReplace: true };
}

async function put(keyId: string, restrictions: Restrictions, action: string): Promise<ApiKey> {
  try {
    return await adminClient().apiKeys.updateRestrictions(keyId, restrictions);
  } catch (error) {
    throw describeFailure(action, error);
  }
}

/**
 * Taking ownership refuses a key that already carries restrictions unless `overwrite` is set:
 * that is how two owners (this resource and ApiKey.restrictions, or a hand edit) are detected
 * before one silently erases the other's rules.
 */
export async function create(
  inputs: ApiKeyRestrictionsInputs,
): Promise<pulumi.dynamic.CreateResult<ApiKeyRestrictionsOutputs>> {
  let key: ApiKey;
  try {
    key = await adminClient().apiKeys.get(inputs.keyId);
  } catch (error) {
    throw describeFailure(`reading API key ${inputs.keyId} to take over its restrictions`, error);
  }
  const existing = normalizeRestrictions(key.restrictions);
  if (Object.keys(existing).length > 0 && !inputs.overwrite && !sameValue(existing, restrictionsOf(inputs))) {
    throw new Error(
      `API key ${inputs.keyId} already has restrictions (${Object.keys(existing).join(", ")}), probably set by ApiKey.restrictions or by hand: ` +
        "manage them in one place only, or set overwrite: true to take them over",
    );
  }
  await put(inputs.keyId, restrictionsOf(inputs), `setting restrictions of API key ${inputs.keyId}`);
  return { id: inputs.keyId, outs: inputs };
}

export async function update(
  id: string,
  _olds: ApiKeyRestrictionsOutputs,
  news: ApiKeyRestrictionsInputs,
): Promise<pulumi.dynamic.UpdateResult<ApiKeyRestrictionsOutputs>> {
  await put(id, restrictionsOf(news), `updating restrictions of API key ${id}`);
  return { outs: news };
}

export async function read(
  id: string,
  props?: ApiKeyRestrictionsOutputs,
): Promise<pulumi.dynamic.ReadResult<ApiKeyRestrictionsOutputs>> {
  let key: ApiKey;
  try {
    key = await adminClient().apiKeys.get(id);
  } catch (error) {
    if (error instanceof NotFoundError) return {};
    throw describeFailure(`reading restrictions of API key ${id}`, error);
  }
  const outputs: ApiKeyRestrictionsOutputs = {
    keyId: key.id,
    ...(props?.overwrite !== undefined && { overwrite: props.overwrite }),
    ...normalizeRestrictions(key.restrictions),
  };
  return { id, props: outputs };
}

/** Deleting the resource clears the key's restrictions; a key already gone is fine. */
export async function remove(id: string): Promise<void> {
  try {
    await adminClient().apiKeys.updateRestrictions(id, {});
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw describeFailure(`clearing restrictions of API key ${id}`, error);
  }
}
