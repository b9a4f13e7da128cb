import * as pulumi from "@pulumi/pulumi";
import type { RateLimit, TimeRestrictions } from "../client/schemas";
import type { RestrictionsArgs } from "./apiKey";
import { apiKeyRestrictionsProvider } from "./providers";

export interface ApiKeyRestrictionsArgs extends RestrictionsArgs {
  /** The id of the key whose restrictions this resource owns (e.g. `apiKey.keyId`); changing it replaces the resource. */
  readonly keyId: pulumi.Input<string>;
  /** Take over a key that already has restrictions instead of failing. Default: false. */
  readonly overwrite?: pulumi.Input<boolean>;
}

/**
 * The restrictions of an API key managed elsewhere (another stack, another team, or an ApiKey
 * that leaves `restrictions` unset). Deleting this resource clears the key's restrictions.
 *
 * Manage a key's restrictions in one place only. Creating this resource fails when the key
 * already carries different restrictions (for example from `ApiKey.restrictions`) unless
 * `overwrite` is true; after that, an ApiKey that also sets `restrictions` would undo this
 * resource on its next update, and `pulumi refresh` shows the drift on both.
 */
export class ApiKeyRestrictions extends pulumi.dynamic.Resource {
  declare readonly keyId: pulumi.Output<string>;
  declare readonly ipAddresses: pulumi.Output<string[] | undefined>;
  declare readonly referrers: pulumi.Output<string[] | undefined>;
  declare readonly rateLimit: pulumi.Output<RateLimit | undefined>;
  declare readonly timeRestrictions: pulumi.Output<TimeRestrictions | undefined>;

  constructor(name: string, args: ApiKeyRestrictionsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      apiKeyRestrictionsProvider,
      name,
      {
        ipAddresses: undefined,
        referrers: undefined,
        rateLimit: undefined,
        timeRestrictions: undefined,
        ...args,
      },
      opts,
      "admindo",
      "ApiKeyRestrictions",
    );
  }
}
