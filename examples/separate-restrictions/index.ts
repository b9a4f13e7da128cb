import * as pulumi from "@pulumi/pulumi";
import { ApiKey, ApiKeyRestrictions } from "pulumi-admindo";

const config = new pulumi.Config();

// The key leaves `restrictions` unset, so the network team's resource below owns them.
const key = new ApiKey("ingest", {
  organization: config.get("organization") ?? "acme",
  scopes: ["events:write", "events:trigger"],
  projects: ["ingest"],
  expiresIn: "30d",
});

const restrictions = new ApiKeyRestrictions("ingest-network", {
  keyId: key.keyId,
  ipAddresses: config.getObject<string[]>("ipAddresses") ?? ["10.20.0.0/16", "2001:db8:20::/48"],
  rateLimit: { requests: config.getNumber("requestsPerMinute") ?? 600, period: "minute" },
});

export const keyId = key.keyId;
export const ipAddresses = restrictions.ipAddresses;
export const rateLimit = restrictions.rateLimit;
