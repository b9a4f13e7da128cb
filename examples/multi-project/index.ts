import * as pulumi from "@pulumi/pulumi";
import { ApiKey, type Scope } from "pulumi-admindo";

const config = new pulumi.Config();
const organization = config.get("organization") ?? "acme";

// Each project gets its own key, bound to that project only.
const projects: Record<string, { scopes: Scope[]; ipAddresses: string[] }> = {
  storefront: { scopes: ["functions:read", "functions:execute"], ipAddresses: ["203.0.113.0/24"] },
  analytics: { scopes: ["data:read", "events:read"], ipAddresses: ["198.51.100.0/24"] },
  billing: { scopes: ["workflows:read", "workflows:execute"], ipAddresses: ["192.0.2.0/24"] },
};

const keys = Object.entries(projects).map(
  ([project, needs]) =>
    new ApiKey(`${project}-key`, {
      organization,
      projects: [project],
      scopes: needs.scopes,
      restrictions: { ipAddresses: needs.ipAddresses, rateLimit: { requests: 100, period: "second" } },
      expiresIn: "60d",
      rotateBeforeExpiry: "10d",
    }),
);

export const keyIds = Object.fromEntries(
  Object.keys(projects).map((project, index) => [project, keys[index].keyId]),
);
