import * as pulumi from "@pulumi/pulumi";
import { API_KEY_RESTRICTIONS } from "../resource";
import { type ArgsOf, type OutputsOf } from "./model";
import { ModelResource } from "./modelResource";
import { apiKeyRestrictionsProvider } from "./providers";

/** The arguments of an ApiKeyRestrictions: the inputs of the model (resource/apiKeyRestrictions.ts). */
export interface ApiKeyRestrictionsArgs extends ArgsOf<typeof API_KEY_RESTRICTIONS.inputs> {}

// The outputs of the model, as Output properties: the engine sets them (a class field would reset them).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ApiKeyRestrictions extends OutputsOf<typeof API_KEY_RESTRICTIONS.outputs> {}

/**
 * The restrictions of an API key managed elsewhere (another stack, another team, or an ApiKey
 * that leaves `restrictions` unset). Deleting this resource clears the key's restrictions.
 *
 * Manage a key's restrictions in one place only. Creating this resource fails when the key
 * already carries different restrictions (for example from `ApiKey.restrictions`) unless
 * `overwrite` is true; after that, an ApiKey that also sets `restrictions` would undo this
 * resource on its next update, and `pulumi refresh` shows the drift on both.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ApiKeyRestrictions extends ModelResource {
  constructor(name: string, args: ApiKeyRestrictionsArgs, opts?: pulumi.CustomResourceOptions) {
    super(API_KEY_RESTRICTIONS, apiKeyRestrictionsProvider, name, args, opts);
  }
}
