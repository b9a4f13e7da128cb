import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "pulumi-admindo";
import { KeyConsumer } from "./keyConsumer";

const config = new pulumi.Config();

// Lives `lifetime`; once fewer than `rotateBefore` remain, the next `pulumi up` creates a new key,
// updates every dependent, and only then deletes the old key.
const key = new ApiKey("worker", {
  organization: config.get("organization") ?? "acme",
  scopes: ["functions:read", "functions:execute"],
  expiresIn: config.get("lifetime") ?? "90d",
  rotateBeforeExpiry: config.get("rotateBefore") ?? "7d",
});

// Stands for whatever holds the key in production (a secret store, a deployment's env).
const consumer = new KeyConsumer("worker-deployment", {
  baseUrl: new pulumi.Config("admindo").get("baseUrl") ?? "https://api.admin.do",
  apiKey: key.key,
});

export const keyId = key.keyId;
export const keyPrefix = key.prefix;
export const rotateAt = key.rotateAt;
export const consumerKeyPrefix = consumer.keyPrefix;
export const consumerVerifiedAt = consumer.verifiedAt;
