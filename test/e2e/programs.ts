/** Small Pulumi programs (TypeScript source) that end-to-end tests write into a stack's directory. */

/** One ApiKey named "svc" with the given args (an object literal), exporting its id, prefix, status and secret. */
export function singleKeyProgram(args: string, extra = ""): string {
  return `import * as pulumi from "@pulumi/pulumi";
import { ApiKey } from "pulumi-admindo";
${extra}
const key = new ApiKey("svc", ${args});
export const keyId = key.keyId;
export const prefix = key.prefix;
export const secret = key.key;
export const status = key.status;
`;
}

export const BASE_KEY_ARGS = `{ organization: "acme", scopes: ["functions:read", "functions:execute"], projects: ["shop", "blog"],
  restrictions: { ipAddresses: ["192.168.1.1/24", "10.0.0.0/8"], referrers: ["example.com", "*.example.org"] }, expiresIn: "30d" }`;

interface Step {
  op: string;
  urn: string;
  replaceReasons?: string[];
  diffReasons?: string[];
}

function steps(json: unknown): Step[] {
  return (json as { steps: Step[] }).steps;
}

/** Steps that change something (`pulumi preview --json` may omit unchanged resources). */
export function changedSteps(json: unknown): Step[] {
  return steps(json).filter((step) => step.op !== "same");
}

/** Steps of one dynamic resource type: "ApiKey", "ApiKeyRestrictions", or "<module>:<Type>". */
export function stepsOfType(json: unknown, type: string): Step[] {
  const token = `pulumi-nodejs:dynamic/${type.includes(":") ? type : `admindo:${type}`}`;
  return steps(json).filter((step) => step.urn.includes(`::${token}::`));
}
