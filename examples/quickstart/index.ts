import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "pulumi-admindo";

const config = new pulumi.Config();

// A key for a service that calls functions. The secret is created by the API and kept in state
// only as an encrypted Pulumi secret.
const key = new ApiKey("functions-caller", {
  description: "Calls the greeting function from the storefront",
  organization: config.get("organization") ?? "acme",
  scopes: ["functions:read", "functions:execute"],
  expiresIn: "90d",
});

export const keyId = key.keyId;
export const keyPrefix = key.prefix;
export const expiresAt = key.expiresAt;
/** The secret: `pulumi stack output apiKey --show-secrets` prints it. */
export const apiKey = key.key;
