import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "pulumi-admindo";
import { KeyConsumer } from "./keyConsumer";

const config = new pulumi.Config();
const lifetime = config.get("lifetime") ?? "90d";
const rotateBefore = config.get("rotateBefore") ?? "7d";
const baseUrl = new pulumi.Config("admindo").get("baseUrl") ?? "https://api.admin.do";

// Strategy 1, replace: for a key whose every consumer is in this program. Once fewer than
// `rotateBefore` of its `lifetime` remain, the next `pulumi up` creates a new key, updates every
// dependent with the new secret, and only then deletes the old key (and with it the old secret).
const worker = new ApiKey("worker", {
  organization: config.get("organization") ?? "acme",
  scopes: ["functions:read", "functions:execute"],
  expiresIn: lifetime,
  rotateBeforeExpiry: rotateBefore,
});

// Stands for whatever holds the key in production (a secret store, a deployment's env).
const consumer = new KeyConsumer("worker-deployment", { baseUrl, apiKey: worker.key });

// Strategy 2, rotate in place with an overlap: for a key that is also held outside this program (a
// partner's integration, a pod that reads its secret at start-up). At the same point the next
// `pulumi up` issues a new secret for the same key (same keyId, restrictions and usage history),
// updates the dependents here, and the previous secret keeps working for `overlap`: that long for
// everyone else to pick up the new one.
const partner = new ApiKey("partner", {
  organization: config.get("organization") ?? "acme",
  scopes: ["functions:read", "functions:execute"],
  expiresIn: lifetime,
  rotateBeforeExpiry: rotateBefore,
  rotationOverlap: config.get("overlap") ?? "24h",
});

const partnerSecretStore = new KeyConsumer("partner-secret-store", { baseUrl, apiKey: partner.key });

export const keyId = worker.keyId;
export const keyPrefix = worker.prefix;
export const rotateAt = worker.rotateAt;
export const consumerKeyPrefix = consumer.keyPrefix;
export const consumerVerifiedAt = consumer.verifiedAt;

export const partnerKeyId = partner.keyId;
export const partnerKeyPrefix = partner.prefix;
export const partnerRotateAt = partner.rotateAt;
export const partnerRotatedAt = partner.rotatedAt;
export const partnerPreviousKeyExpiresAt = partner.previousKeyExpiresAt;
export const partnerConsumerKeyPrefix = partnerSecretStore.keyPrefix;
