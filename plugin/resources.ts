import type * as pulumi from "@pulumi/pulumi";
import * as apiKey from "../provider/dynamic/apiKey";
import * as apiKeyRestrictions from "../provider/dynamic/apiKeyRestrictions";
import { API_KEY, API_KEY_RESTRICTIONS } from "../resource";

/**
 * The plugin's resources: each token served by the very provider module the dynamic provider
 * uses, so check, diff, create, read, update and delete have one implementation.
 */
export interface Implementation {
  provider: Required<
    Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">
  >;
  /** The inputs that reproduce a resource read for `pulumi import`, from what `read` returned. */
  importInputs(props: Record<string, unknown>): Record<string, unknown>;
  /** Inputs with the defaults the TypeScript SDK fills in (an ApiKey's name: the resource name). */
  withDefaults(resourceName: string, news: Record<string, unknown>): Record<string, unknown>;
}

const pick = (names: string[]) => (props: Record<string, unknown>) =>
  Object.fromEntries(
    names
      .filter((name) => props[name] !== undefined && props[name] !== null)
      .map((name) => [name, props[name]]),
  );

const IMPLEMENTATIONS: Record<string, Implementation> = {
  [API_KEY.pluginToken]: {
    provider: apiKey,
    // The key's settings as the API reports them; the expiry as a fixed time (a lifetime cannot be
    // read back). The secret is not among them: the API shows it only once.
    importInputs: pick([
      "name",
      "description",
      "organization",
      "scopes",
      "projects",
      "restrictions",
      "expiresAt",
    ]),
    withDefaults: (resourceName, news) => (news.name === undefined ? { ...news, name: resourceName } : news),
  },
  [API_KEY_RESTRICTIONS.pluginToken]: {
    provider: apiKeyRestrictions,
    importInputs: pick(["keyId", "ipAddresses", "referrers", "rateLimit", "timeRestrictions"]),
    withDefaults: (_resourceName, news) => news,
  },
};

export const RESOURCE_TOKENS = Object.keys(IMPLEMENTATIONS);

/** The name part of a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function resourceNameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The implementation of the resource a URN names. */
export function implementationFor(urn: string): Implementation {
  const type = urn.split("::")[2]?.split("$").pop() ?? "";
  const implementation = IMPLEMENTATIONS[type];
  if (!implementation)
    throw new Error(
      `admindo has no resource type ${JSON.stringify(type)} (it has ${RESOURCE_TOKENS.join(", ")})`,
    );
  return implementation;
}
