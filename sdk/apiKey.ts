import * as pulumi from "@pulumi/pulumi";
import { API_KEY, RESTRICTION_PROPERTIES } from "../resource";
import { type ArgsOf, type OutputsOf } from "./model";
import { ModelResource } from "./modelResource";
import { apiKeyProvider } from "./providers";

/** Restrictions as resource inputs: each field may be an Output of another resource. */
export interface RestrictionsArgs extends ArgsOf<typeof RESTRICTION_PROPERTIES> {}

/** The arguments of an ApiKey: the inputs of the model (resource/apiKey.ts), each a pulumi.Input. */
export interface ApiKeyArgs extends ArgsOf<typeof API_KEY.inputs> {}

// The outputs of the model, as Output properties: the engine sets them (a class field would reset them).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface ApiKey extends OutputsOf<typeof API_KEY.outputs> {}

/**
 * An Admin.do API key. Scope, project, name, description, restriction and expiry changes are
 * made in place (same key, same secret). A rotation (a rotation trigger, or passing the rotation
 * point) replaces the key, creating the new key before deleting the old one so that dependents
 * switch over without ever holding a dead key; with `rotationOverlap` it is an in-place update
 * instead: same key, new secret, and the previous secret keeps working for the overlap. An
 * organization change always replaces. `key` is the secret, shown once by the API and kept in
 * state only as an encrypted Pulumi secret.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class ApiKey extends ModelResource {
  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(API_KEY, apiKeyProvider, name, args, opts);
  }

  /**
   * Reads an existing key into the program without managing it (no secret: the API shows it
   * only once). This is the adoption path: `pulumi import` cannot work for dynamic resources.
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ApiKey {
    return new ApiKey(name, {} as ApiKeyArgs, { ...opts, id });
  }
}
