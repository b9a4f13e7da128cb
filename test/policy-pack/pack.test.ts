import { readFileSync } from "node:fs";
import path from "node:path";
import type { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import * as pack from "../../policy-pack/policies";
import { compliantKey, keyEntry, validateResource, validateStack } from "./helpers";

const PACK_DIR = path.resolve(__dirname, "../../policy-pack");
const policies = pack.policies as (Policy & Partial<ResourceValidationPolicy & StackValidationPolicy>)[];

/** The documented enforcement level, fail-closed default and defaults object of every policy. */
const documented: Record<string, { level: string; onUnknown: string; defaults: object; stack?: boolean }> = {
  "no-wildcard-scopes": { level: "mandatory", onUnknown: "fail", defaults: pack.noWildcardScopesDefaults },
  "admin-scopes-need-approval": {
    level: "mandatory",
    onUnknown: "fail",
    defaults: pack.adminScopesNeedApprovalDefaults,
  },
  "scope-allow-list": { level: "mandatory", onUnknown: "fail", defaults: pack.scopeAllowListDefaults },
  "max-scopes-per-key": { level: "advisory", onUnknown: "skip", defaults: pack.maxScopesPerKeyDefaults },
  "keys-must-expire": { level: "mandatory", onUnknown: "fail", defaults: pack.keysMustExpireDefaults },
  "privileged-keys-rotate": {
    level: "advisory",
    onUnknown: "skip",
    defaults: pack.privilegedKeysRotateDefaults,
  },
  "execute-keys-rotate-in-place": {
    level: "advisory",
    onUnknown: "skip",
    defaults: pack.executeKeysRotateInPlaceDefaults,
  },
  "privileged-keys-need-ip-restrictions": {
    level: "mandatory",
    onUnknown: "fail",
    defaults: pack.privilegedKeysNeedIpRestrictionsDefaults,
    stack: true,
  },
  "no-open-networks": { level: "mandatory", onUnknown: "fail", defaults: pack.noOpenNetworksDefaults },
  "no-catch-all-referrers": {
    level: "mandatory",
    onUnknown: "fail",
    defaults: pack.noCatchAllReferrersDefaults,
  },
  "privileged-keys-rate-limited": {
    level: "advisory",
    onUnknown: "skip",
    defaults: pack.privilegedKeysRateLimitedDefaults,
    stack: true,
  },
  "keys-bound-to-projects": {
    level: "advisory",
    onUnknown: "skip",
    defaults: pack.keysBoundToProjectsDefaults,
  },
  "max-admin-keys-per-stack": {
    level: "mandatory",
    onUnknown: "fail",
    defaults: pack.maxAdminKeysPerStackDefaults,
    stack: true,
  },
};

function matchesType(schema: PolicyConfigJSONSchema, value: unknown): boolean {
  switch (schema.type) {
    case "array":
      return (
        Array.isArray(value) &&
        value.every((item) => matchesType(schema.items as PolicyConfigJSONSchema, item))
      );
    case "object":
      return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.values(value).every((item) =>
          matchesType(schema.additionalProperties as PolicyConfigJSONSchema, item),
        )
      );
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number";
    case "string":
      return typeof value === "string" && (schema.enum === undefined || schema.enum.includes(value));
    case "boolean":
      return typeof value === "boolean";
    default:
      return false;
  }
}

describe("the policy pack", () => {
  test("holds every documented policy once, with kebab-case names", () => {
    expect(policies.map((policy) => policy.name).sort()).toEqual(Object.keys(documented).sort());
    for (const policy of policies) expect(policy.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test("defines each policy in a file named after it in camelCase, under the same name", () => {
    for (const policy of policies) {
      const camelCase = policy.name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
      const module = require(path.join(PACK_DIR, "policies", camelCase)) as Record<string, unknown>;
      expect([policy.name, module[camelCase]]).toEqual([policy.name, policy]);
    }
  });

  test.each(Object.entries(documented))(
    "%s has its documented level, kind, defaults and onUnknown",
    (name, doc) => {
      const policy = policies.find((candidate) => candidate.name === name)!;
      expect(policy.enforcementLevel).toBe(doc.level);
      expect(typeof (doc.stack ? policy.validateStack : policy.validateResource)).toBe("function");
      expect(policy.description).toMatch(/\.$/);
      expect(policy.severity).toBeDefined();
      const properties = policy.configSchema!.properties;
      expect(properties.onUnknown).toMatchObject({ enum: ["fail", "skip"], default: doc.onUnknown });
      // Every default the code applies is the default the schema declares, and vice versa.
      const declared = Object.fromEntries(
        Object.entries(properties)
          .filter(([, schema]) => schema.default !== undefined)
          .map(([key, schema]) => [key, schema.default]),
      );
      const applied = Object.fromEntries(
        Object.entries(doc.defaults).filter(([, value]) => value !== undefined),
      );
      expect(declared).toEqual(applied);
    },
  );

  test("config.example.json configures only real policies and properties, with the declared types", () => {
    const example = JSON.parse(readFileSync(path.join(PACK_DIR, "config.example.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    for (const [name, config] of Object.entries(example)) {
      const policy = policies.find((candidate) => candidate.name === name);
      expect({ name, known: policy !== undefined }).toEqual({ name, known: true });
      for (const [key, value] of Object.entries(config)) {
        if (key === "enforcementLevel") {
          expect(["advisory", "mandatory", "disabled"]).toContain(value);
          continue;
        }
        const schema = policy!.configSchema!.properties[key];
        expect({ name, key, valid: schema !== undefined && matchesType(schema, value) }).toEqual({
          name,
          key,
          valid: true,
        });
      }
    }
  });

  test("the README documents every policy and every config property", () => {
    const readme = readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
    for (const policy of policies) {
      expect(readme).toContain(`\`${policy.name}\``);
      for (const key of Object.keys(policy.configSchema!.properties)) {
        expect({ policy: policy.name, key, documented: readme.includes(`\`${key}\``) }).toEqual({
          policy: policy.name,
          key,
          documented: true,
        });
      }
    }
  });

  test("the example config accepts the compliant key", async () => {
    const example = JSON.parse(readFileSync(path.join(PACK_DIR, "config.example.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    for (const policy of policies) {
      const config = example[policy.name] ?? {};
      const messages = policy.validateResource
        ? await validateResource(policy as ResourceValidationPolicy, compliantKey(), { config })
        : (
            await validateStack(
              policy as StackValidationPolicy,
              [keyEntry("storefront-caller", compliantKey())],
              config,
            )
          ).map((violation) => violation.message);
      expect({ policy: policy.name, messages }).toEqual({ policy: policy.name, messages: [] });
    }
  });

  test("every policy ignores resources that are not Admin.do keys", async () => {
    const bucket = { acl: "public-read", scopes: ["*"], restrictions: { ipAddresses: ["0.0.0.0/0"] } };
    for (const policy of policies) {
      const messages = policy.validateResource
        ? await validateResource(policy as ResourceValidationPolicy, bucket, { type: "aws:s3/bucket:Bucket" })
        : await validateStack(policy as StackValidationPolicy, [
            { type: "aws:s3/bucket:Bucket", name: "b", props: bucket },
          ]);
      expect({ policy: policy.name, messages }).toEqual({ policy: policy.name, messages: [] });
    }
  });
});

test("the pack's package.json runs the compiled pack and carries the package's version", () => {
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { version: string; main: string };
  const packManifest = read(path.join(PACK_DIR, "package.json"));
  // @pulumi/policy reports this version as the pack's; it must move with the package.
  expect(packManifest.version).toBe(read(path.resolve(PACK_DIR, "../package.json")).version);
  expect(packManifest.main).toBe("../dist/policy-pack/index.js");
});
