import * as pulumi from "@pulumi/pulumi";
import type { KeyStatus, RateLimit, Restrictions, Scope, TimeRestrictions } from "../../client/schemas";
import {
  ApiKey,
  ApiKeyRestrictions,
  type ApiKeyArgs,
  type ApiKeyRestrictionsArgs,
  type RestrictionsArgs,
} from "../../sdk";
import { optionsFor } from "../../sdk/model";
import { API_KEY, API_KEY_RESTRICTIONS } from "../../resource";

/*
 * The resource classes derive their types, props, type tokens and secret outputs from the model.
 * This file pins the public API they had when they were written by hand (0.2.0): the types below
 * are 0.2.0's, and the derived ones must be mutually assignable with them.
 */

interface V020RestrictionsArgs {
  readonly ipAddresses?: pulumi.Input<pulumi.Input<string>[]>;
  readonly referrers?: pulumi.Input<pulumi.Input<string>[]>;
  readonly rateLimit?: pulumi.Input<{
    requests: pulumi.Input<number>;
    period: pulumi.Input<"second" | "minute" | "hour" | "day">;
  }>;
  readonly timeRestrictions?: pulumi.Input<{
    daysOfWeek?: pulumi.Input<pulumi.Input<string>[]>;
    hoursOfDay?: pulumi.Input<pulumi.Input<number>[]>;
    timezone?: pulumi.Input<string>;
  }>;
}
interface V020ApiKeyArgs {
  readonly name?: pulumi.Input<string>;
  readonly description?: pulumi.Input<string>;
  readonly organization: pulumi.Input<string>;
  readonly scopes: pulumi.Input<pulumi.Input<Scope>[]>;
  readonly projects?: pulumi.Input<pulumi.Input<string>[]>;
  readonly restrictions?: pulumi.Input<V020RestrictionsArgs>;
  readonly expiresAt?: pulumi.Input<string>;
  readonly expiresIn?: pulumi.Input<string>;
  readonly rotateBeforeExpiry?: pulumi.Input<string>;
  readonly rotationPeriod?: pulumi.Input<string>;
  readonly rotationTriggers?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
  readonly rotationOverlap?: pulumi.Input<string>;
}
interface V020ApiKeyRestrictionsArgs extends V020RestrictionsArgs {
  readonly keyId: pulumi.Input<string>;
  readonly overwrite?: pulumi.Input<boolean>;
}
interface V020ApiKeyOutputs {
  readonly keyId: pulumi.Output<string>;
  readonly key: pulumi.Output<string>;
  readonly prefix: pulumi.Output<string>;
  readonly lastFour: pulumi.Output<string>;
  readonly status: pulumi.Output<KeyStatus>;
  readonly name: pulumi.Output<string>;
  readonly description: pulumi.Output<string | undefined>;
  readonly organization: pulumi.Output<string>;
  readonly scopes: pulumi.Output<Scope[]>;
  readonly projects: pulumi.Output<string[]>;
  readonly restrictions: pulumi.Output<Restrictions | undefined>;
  readonly expiresAt: pulumi.Output<string | undefined>;
  readonly createdAt: pulumi.Output<string>;
  readonly rotateAt: pulumi.Output<string | undefined>;
  readonly rotationOverlap: pulumi.Output<string | undefined>;
  readonly rotatedAt: pulumi.Output<string | undefined>;
  readonly previousKeyExpiresAt: pulumi.Output<string | undefined>;
}
interface V020ApiKeyRestrictionsOutputs {
  readonly keyId: pulumi.Output<string>;
  readonly ipAddresses: pulumi.Output<string[] | undefined>;
  readonly referrers: pulumi.Output<string[] | undefined>;
  readonly rateLimit: pulumi.Output<RateLimit | undefined>;
  readonly timeRestrictions: pulumi.Output<TimeRestrictions | undefined>;
}

/** `true` only when A and B are mutually assignable; checked by the compiler (`npm run typecheck`). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The properties of a resource class beyond those of every custom resource. */
type Own<T> = Omit<T, keyof pulumi.CustomResource>;

const sameAsV020: true[] = [
  true satisfies Same<RestrictionsArgs, V020RestrictionsArgs>,
  true satisfies Same<ApiKeyArgs, V020ApiKeyArgs>,
  true satisfies Same<ApiKeyRestrictionsArgs, V020ApiKeyRestrictionsArgs>,
  true satisfies Same<Own<ApiKey>, V020ApiKeyOutputs>,
  true satisfies Same<Own<ApiKeyRestrictions>, V020ApiKeyRestrictionsOutputs>,
];

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const registered: Registered[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    true,
  );
});

/** The names a resource registered (minus the serialized provider), after the engine answered. */
async function propsOf(resource: pulumi.CustomResource): Promise<Registered> {
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  const entry = registered.find((item) => item.name === (resource as unknown as { __name: string }).__name)!;
  const { __provider: _provider, ...inputs } = entry.inputs;
  return { ...entry, inputs };
}

test("the derived argument and output types are 0.2.0's", () => {
  expect(sameAsV020).toHaveLength(5);
});

const API_KEY_OUTPUTS = [
  "keyId",
  "key",
  "prefix",
  "lastFour",
  "status",
  "name",
  "description",
  "organization",
  "scopes",
  "projects",
  "restrictions",
  "expiresAt",
  "createdAt",
  "rotateAt",
  "rotationOverlap",
  "rotatedAt",
  "previousKeyExpiresAt",
];

test("an ApiKey registers its type token, its args and its name by default", async () => {
  const key = new ApiKey("storefront", { organization: "acme", scopes: ["data:read"], expiresIn: "30d" });
  const { type, inputs } = await propsOf(key);
  expect(type).toBe("pulumi-nodejs:dynamic/admindo:ApiKey");
  expect(inputs).toEqual({
    name: "storefront",
    organization: "acme",
    scopes: ["data:read"],
    expiresIn: "30d",
  });
});

test("an ApiKey, also one read with ApiKey.get, has an Output property for every output and no other", () => {
  const keys = [
    new ApiKey("outputs", { organization: "acme", scopes: ["data:read"] }),
    ApiKey.get("read", "key_1"),
  ];
  for (const key of keys) {
    const properties = key as unknown as Record<string, unknown>;
    expect(API_KEY_OUTPUTS.filter((name) => !pulumi.Output.isInstance(properties[name]))).toEqual([]);
    expect(pulumi.Output.isInstance(properties.expiresIn)).toBe(false);
  }
});

test("an ApiKeyRestrictions registers its type token and its args", async () => {
  const restrictions = new ApiKeyRestrictions("storefront-network", {
    keyId: "key_1",
    ipAddresses: ["10.0.0.0/8"],
  });
  const { type, inputs } = await propsOf(restrictions);
  expect(type).toBe("pulumi-nodejs:dynamic/admindo:ApiKeyRestrictions");
  expect(inputs).toEqual({ keyId: "key_1", ipAddresses: ["10.0.0.0/8"] });
});

test("ApiKey asks the engine to encrypt its secret, keeping the user's other secret outputs", () => {
  expect(optionsFor(API_KEY, undefined)).toEqual({ additionalSecretOutputs: ["key"] });
  expect(optionsFor(API_KEY, { additionalSecretOutputs: ["prefix", "key"], protect: true })).toEqual({
    additionalSecretOutputs: ["prefix", "key"],
    protect: true,
  });
  const opts = { protect: true };
  expect(optionsFor(API_KEY_RESTRICTIONS, opts)).toBe(opts);
});
