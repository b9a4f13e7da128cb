import type * as pulumi from "@pulumi/pulumi";
import {
  unknownCheckingProxy,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { API_KEY as API_KEY_MODEL, API_KEY_RESTRICTIONS as API_KEY_RESTRICTIONS_MODEL } from "../../resource";
import type { ApiKeyArgs, ApiKeyRestrictionsArgs } from "../../sdk";

/**
 * Runs policy objects the way @pulumi/policy's analyzer server does, without the server: props
 * go through the SDK's own unknown-checking proxy, and `getConfig()` returns the config given.
 */

const API_KEY = API_KEY_MODEL.token;
export const API_KEY_RESTRICTIONS = API_KEY_RESTRICTIONS_MODEL.token;
/** What the engine sends for a value not known during preview. */
export { UNKNOWN } from "../../resource";

type Props = Record<string, unknown>;

/**
 * A deep copy made in the test's own realm. (structuredClone returns objects of the host realm,
 * which fail the SDK proxy's `instanceof Object` check under jest, so they would not be proxied.)
 */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A key every policy accepts with its default config: ApiKey arguments as a program passes them
 * (with the name the SDK fills in). Tests change one field each.
 */
export function compliantKey(): pulumi.Unwrap<ApiKeyArgs> & { name: string } {
  return {
    name: "storefront-caller",
    organization: "acme",
    scopes: ["functions:execute", "functions:read"],
    projects: ["storefront"],
    restrictions: {
      ipAddresses: ["203.0.113.0/24", "2001:db8:1::/48"],
      referrers: ["shop.example.com", "*.example.org"],
      rateLimit: { requests: 600, period: "minute" },
    },
    expiresIn: "30d",
    rotateBeforeExpiry: "7d",
    rotationOverlap: "24h",
  };
}

/** An ApiKeyRestrictions every policy accepts: its arguments as a program passes them. */
export function compliantRestrictions(): pulumi.Unwrap<ApiKeyRestrictionsArgs> {
  return {
    keyId: "key_123",
    ipAddresses: ["10.20.0.0/16"],
    referrers: ["app.example.com"],
    rateLimit: { requests: 100, period: "minute" },
  };
}

/** `compliantKey()` with `change` applied to a deep copy. */
export function keyWith(change: (props: Props) => void): Props {
  const props: Props = compliantKey();
  change(props);
  return props;
}

export function restrictionsWith(change: (props: Props) => void): Props {
  const props: Props = compliantRestrictions();
  change(props);
  return props;
}

export interface ResourceRun {
  type?: string;
  name?: string;
  config?: Record<string, unknown>;
}

/** The options of a resource that sets none. */
function resourceOptions(): ResourceValidationArgs["opts"] {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
}

function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::policy-unit::${type}::${name}`;
}

/** The violation messages `policy` reports for one resource. */
export async function validateResource(
  policy: ResourceValidationPolicy,
  props: Props,
  run: ResourceRun = {},
): Promise<string[]> {
  const type = run.type ?? API_KEY;
  const name = run.name ?? "storefront-caller";
  const messages: string[] = [];
  const report: ReportViolation = (message) => {
    messages.push(message);
  };
  const args: ResourceValidationArgs = {
    type,
    name,
    urn: urnOf(type, name),
    props: unknownCheckingProxy(clone(props)),
    opts: resourceOptions(),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (run.config ?? {}) as T,
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  const validations = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource!];
  for (const validation of validations) await validation(args, report);
  return messages;
}

/** A resource of a stack for stack policies. `keyIdFrom` names the ApiKey whose `keyId` feeds this one's. */
export interface StackEntry {
  type: string;
  name: string;
  props: Props;
  keyIdFrom?: string;
}

export function keyEntry(name: string, props: Props): StackEntry {
  return { type: API_KEY, name, props };
}

export function restrictionsEntry(name: string, props: Props, keyIdFrom?: string): StackEntry {
  return { type: API_KEY_RESTRICTIONS, name, props, keyIdFrom };
}

export interface StackViolation {
  message: string;
  urn?: string;
}

/** The violations `policy` reports for a stack of `entries`. */
export async function validateStack(
  policy: StackValidationPolicy,
  entries: StackEntry[],
  config: Record<string, unknown> = {},
): Promise<StackViolation[]> {
  const resources: PolicyResource[] = entries.map((entry) => ({
    type: entry.type,
    name: entry.name,
    urn: urnOf(entry.type, entry.name),
    props: unknownCheckingProxy(clone(entry.props)),
    opts: resourceOptions(),
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  }));
  entries.forEach((entry, index) => {
    if (!entry.keyIdFrom) return;
    const key = resources.find((resource) => resource.type === API_KEY && resource.name === entry.keyIdFrom)!;
    resources[index].dependencies = [key];
    resources[index].propertyDependencies = { keyId: [key] };
  });
  const violations: StackViolation[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string) => {
      throw new Error(`notApplicable: ${reason}`);
    },
  };
  await policy.validateStack(args, (message, urn) => violations.push({ message, urn }));
  return violations;
}

export const keyUrn = (name: string) => urnOf(API_KEY, name);
