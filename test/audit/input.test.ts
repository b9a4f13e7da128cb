import { AuditInputError, parseTargets, targetsFromIds } from "../../audit/input";

const SECRET = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext: "v1:abc",
};
const urn = (type: string, name: string) =>
  `urn:pulumi:prod::shop::pulumi-nodejs:dynamic/admindo:${type}::${name}`;

const exported = {
  version: 3,
  deployment: {
    resources: [
      { urn: "urn:pulumi:prod::shop::pulumi:pulumi:Stack::shop-prod", type: "pulumi:pulumi:Stack" },
      {
        urn: urn("ApiKey", "storefront"),
        type: "pulumi-nodejs:dynamic/admindo:ApiKey",
        id: "key_storefront0000000001",
        inputs: { organization: "acme", scopes: ["functions:read"], projects: ["shop"] },
        outputs: { keyId: "key_storefront0000000001", key: SECRET, scopes: ["functions:read"] },
      },
      {
        urn: urn("ApiKeyRestrictions", "storefront-network"),
        type: "pulumi-nodejs:dynamic/admindo:ApiKeyRestrictions",
        id: "key_storefront0000000001",
        inputs: { keyId: "key_storefront0000000001", ipAddresses: ["203.0.113.0/24"], overwrite: true },
      },
      {
        urn: urn("ApiKey", "half-made"),
        type: "pulumi-nodejs:dynamic/admindo:ApiKey",
        id: "pending-create-1234",
        outputs: { keyId: "pending-create-1234" },
      },
      {
        urn: urn("ApiKey", "old"),
        type: "pulumi-nodejs:dynamic/admindo:ApiKey",
        id: "key_replacedOld00000001",
        delete: true,
        outputs: { keyId: "key_replacedOld00000001" },
      },
    ],
  },
};

test("a stack export: every ApiKey with what the program declares, restrictions from ApiKeyRestrictions included", () => {
  const targets = parseTargets(JSON.stringify(exported));
  expect(targets).toEqual({
    kind: "stack-export",
    stack: "prod",
    project: "shop",
    keys: [
      {
        keyId: "key_storefront0000000001",
        resource: { urn: urn("ApiKey", "storefront"), name: "storefront" },
        declared: {
          scopes: ["functions:read"],
          projects: ["shop"],
          restrictions: { ipAddresses: ["203.0.113.0/24"] },
        },
      },
    ],
  });
  // The encrypted secret is never read.
  expect(JSON.stringify(targets)).not.toContain("ciphertext");
});

test("a stack export of the plugin's resources (Pulumi YAML, imported keys) is read the same way", () => {
  const pluginUrn = (type: string, name: string) =>
    `urn:pulumi:prod::inventory::admindo:index:${type}::${name}`;
  const targets = parseTargets(
    JSON.stringify({
      deployment: {
        resources: [
          {
            urn: pluginUrn("ApiKey", "analytics"),
            type: "admindo:index:ApiKey",
            id: "key_analytics00000000001",
            inputs: { organization: "acme", scopes: ["data:read"] },
            outputs: { keyId: "key_analytics00000000001", key: SECRET },
          },
          {
            urn: pluginUrn("ApiKeyRestrictions", "analytics-restrictions"),
            type: "admindo:index:ApiKeyRestrictions",
            id: "key_analytics00000000001",
            inputs: { keyId: "key_analytics00000000001", referrers: ["dashboard.acme.example"] },
          },
        ],
      },
    }),
  );
  expect(targets.keys).toEqual([
    {
      keyId: "key_analytics00000000001",
      resource: { urn: pluginUrn("ApiKey", "analytics"), name: "analytics" },
      declared: { scopes: ["data:read"], restrictions: { referrers: ["dashboard.acme.example"] } },
    },
  ]);
});

test("stack outputs: key ids among outputs named like keyId, at any depth; other values are not read", () => {
  const targets = parseTargets(
    JSON.stringify({
      keyId: "key_a000000000000000001",
      storefrontKeyId: "key_b000000000000000002",
      keys: { reports: { keyId: "key_c000000000000000003" }, list: [{ key_id: "key_d000000000000000004" }] },
      apiKey: "adk_thisIsASecretThatMustNotBeTakenForAnId",
      secretKeyId: "[secret]",
    }),
  );
  expect(targets.kind).toBe("stack-output");
  expect(targets.keys.map((key) => key.keyId)).toEqual([
    "key_a000000000000000001",
    "key_b000000000000000002",
    "key_c000000000000000003",
    "key_d000000000000000004",
  ]);
});

test("ids given by hand, deduplicated", () => {
  expect(targetsFromIds(["key_1", " key_1 ", "key_2", ""]).keys.map((key) => key.keyId)).toEqual([
    "key_1",
    "key_2",
  ]);
});

test("input that is not a stack export or outputs, or holds no key, is refused in one sentence", () => {
  expect(() => parseTargets("not json")).toThrow(AuditInputError);
  expect(() => parseTargets("[]")).toThrow(/not a JSON object/);
  expect(() => parseTargets(JSON.stringify({ deployment: { resources: [] } }))).toThrow(
    "the stack export holds no Admin.do ApiKey resources",
  );
  expect(() => parseTargets(JSON.stringify({ url: "https://x" }))).toThrow(/hold no key id/);
});
