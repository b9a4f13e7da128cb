import * as pulumi from "@pulumi/pulumi";
import type { KeyStatus, Restrictions, Scope } from "../client/schemas";
import { apiKeyProvider } from "./providers";
import { withSecretOutputs } from "./options";

/** Restrictions as resource inputs: each field may be an Output of another resource. */
export interface RestrictionsArgs {
  /** IPv4/IPv6 addresses or CIDRs the key may be used from (host bits allowed: 192.168.1.1/24). Default: any address. */
  readonly ipAddresses?: pulumi.Input<pulumi.Input<string>[]>;
  /** Referrer host patterns such as "example.com" or "*.example.org". Default: any referrer. */
  readonly referrers?: pulumi.Input<pulumi.Input<string>[]>;
  /** At most `requests` per `period` (second, minute, hour or day). Default: no limit. */
  readonly rateLimit?: pulumi.Input<{
    requests: pulumi.Input<number>;
    period: pulumi.Input<"second" | "minute" | "hour" | "day">;
  }>;
  /** Days and hours, in an IANA time zone (default UTC), when the key works. Default: always. */
  readonly timeRestrictions?: pulumi.Input<{
    daysOfWeek?: pulumi.Input<pulumi.Input<string>[]>;
    hoursOfDay?: pulumi.Input<pulumi.Input<number>[]>;
    timezone?: pulumi.Input<string>;
  }>;
}

export interface ApiKeyArgs {
  /** The key's display name. Default: the resource name. */
  readonly name?: pulumi.Input<string>;
  /** What the key is for. Default: none. */
  readonly description?: pulumi.Input<string>;
  /** The organization that owns the key; changing it replaces the key. */
  readonly organization: pulumi.Input<string>;
  /** What the key may do, e.g. ["functions:read", "functions:execute"]; order and duplicates do not matter. */
  readonly scopes: pulumi.Input<pulumi.Input<Scope>[]>;
  /** Projects the key is limited to. Default: every project of the organization. */
  readonly projects?: pulumi.Input<pulumi.Input<string>[]>;
  /** Network, referrer, rate and time restrictions. Default: not managed by this resource. */
  readonly restrictions?: pulumi.Input<RestrictionsArgs>;
  /** A fixed expiry (ISO 8601). Set this or expiresIn. Default: never expires. */
  readonly expiresAt?: pulumi.Input<string>;
  /** A lifetime such as "90d", fixed when the key is created (and renewed by each rotation). Default: never expires. */
  readonly expiresIn?: pulumi.Input<string>;
  /** Rotate the key this long before it expires, e.g. "7d" (needs expiresIn). Default: no rotation. */
  readonly rotateBeforeExpiry?: pulumi.Input<string>;
  /** Rotate the key this long after it was created (or last rotated), e.g. "30d". Default: no rotation. */
  readonly rotationPeriod?: pulumi.Input<string>;
  /** Arbitrary values; any change rotates the key (like random's keepers). Default: none. */
  readonly rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  /**
   * Rotate in place with an overlap, e.g. "24h": a due rotation keeps the key (same keyId,
   * restrictions and usage history) and issues a new secret, while the previous secret keeps working
   * for this long. Must be shorter than the time between rotations. Adding it to an existing key
   * rotates that key once. Default: rotation replaces the key (new key first, old key deleted).
   */
  readonly rotationOverlap?: pulumi.Input<string>;
}

/**
 * Every output is named in the resource's props (undefined when not an input): the SDK creates an
 * Output property only for the names it is given, which matters for `ApiKey.get`.
 */
const UNSET_OUTPUTS: Record<string, undefined> = {
  description: undefined,
  organization: undefined,
  scopes: undefined,
  projects: undefined,
  restrictions: undefined,
  expiresAt: undefined,
  rotationOverlap: undefined,
};

/**
 * An Admin.do API key. Scope, project, name, description, restriction and expiry changes are
 * made in place (same key, same secret). A rotation (a rotation trigger, or passing the rotation
 * point) replaces the key, creating the new key before deleting the old one so that dependents
 * switch over without ever holding a dead key; with `rotationOverlap` it is an in-place update
 * instead: same key, new secret, and the previous secret keeps working for the overlap. An
 * organization change always replaces. `key` is the secret, shown once by the API and kept in
 * state only as an encrypted Pulumi secret.
 */
export class ApiKey extends pulumi.dynamic.Resource {
  /** The server's id of the key (not secret). */
  declare readonly keyId: pulumi.Output<string>;
  /** The secret key. A Pulumi secret: encrypted in state, masked in output. */
  declare readonly key: pulumi.Output<string>;
  /** The first characters of the secret, to recognize the key in logs and dashboards. */
  declare readonly prefix: pulumi.Output<string>;
  /** The last four characters of the secret. */
  declare readonly lastFour: pulumi.Output<string>;
  declare readonly status: pulumi.Output<KeyStatus>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly organization: pulumi.Output<string>;
  /** Scopes, sorted and de-duplicated. */
  declare readonly scopes: pulumi.Output<Scope[]>;
  declare readonly projects: pulumi.Output<string[]>;
  /** Restrictions in canonical form (CIDRs as networks, lists sorted). */
  declare readonly restrictions: pulumi.Output<Restrictions | undefined>;
  /** The absolute expiry, if any. */
  declare readonly expiresAt: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string>;
  /** When the next `pulumi up` will rotate the key (replace it, or rotate it in place), if rotation is configured. */
  declare readonly rotateAt: pulumi.Output<string | undefined>;
  declare readonly rotationOverlap: pulumi.Output<string | undefined>;
  /** When the key was last rotated in place; undefined for a key never rotated in place. */
  declare readonly rotatedAt: pulumi.Output<string | undefined>;
  /** Until when the secret replaced by the last in-place rotation still works, if it does. */
  declare readonly previousKeyExpiresAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: ApiKeyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      apiKeyProvider,
      name,
      {
        ...UNSET_OUTPUTS,
        ...args,
        name: args?.name ?? name,
        keyId: undefined,
        key: undefined,
        prefix: undefined,
        lastFour: undefined,
        status: undefined,
        createdAt: undefined,
        rotateAt: undefined,
        rotatedAt: undefined,
        previousKeyExpiresAt: undefined,
      },
      withSecretOutputs(opts, ["key"]),
      "admindo",
      "ApiKey",
    );
  }

  /**
   * Reads an existing key into the program without managing it (no secret: the API shows it
   * only once). This is the adoption path: `pulumi import` cannot work for dynamic resources.
   */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): ApiKey {
    return new ApiKey(name, {} as ApiKeyArgs, { ...opts, id });
  }
}
