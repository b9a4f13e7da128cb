import * as policyProxy from "@pulumi/policy/proxy";
import { runtime } from "@pulumi/pulumi";
import {
  API_KEY,
  API_KEY_REPLACE_REASONS,
  API_KEY_RESTRICTIONS,
  API_KEY_RESTRICTIONS_REPLACE_REASONS,
  ApiKeyInputsSchema,
  ApiKeyRestrictionsInputsSchema,
  UNKNOWN,
  UNKNOWN_SENTINELS,
  namesWhere,
  type ResourceModel,
} from "../../resource";
import { modelDocs } from "../../scripts/schema/docs";

const MODELS: [string, ResourceModel][] = [
  ["API_KEY", API_KEY],
  ["API_KEY_RESTRICTIONS", API_KEY_RESTRICTIONS],
];

describe.each(MODELS)("%s", (exportName, model) => {
  test("every input and output has a doc comment; every optional input's says its default", () => {
    const docs = modelDocs(exportName);
    expect(Object.keys(docs.inputs).sort()).toEqual(Object.keys(model.inputs).sort());
    expect(Object.keys(docs.outputs).sort()).toEqual(Object.keys(model.outputs).sort());
    for (const [name, doc] of [...Object.entries(docs.inputs), ...Object.entries(docs.outputs)]) {
      expect([name, doc.trim().length > 10]).toEqual([name, true]);
    }
    for (const [name, property] of Object.entries(model.inputs)) {
      const optional = property.schema.safeParse(undefined).success || property.defaultsToResourceName;
      if (optional && !property.internal)
        expect([name, docs.inputs[name]]).toEqual([name, expect.stringMatching(/Default: [^\n]+\.$/)]);
    }
  });

  test("its type tokens: the engine's for a dynamic resource of module admindo, and the plugin's", () => {
    expect(model.token).toBe(`pulumi-nodejs:dynamic/admindo:${model.name}`);
    expect(model.pluginToken).toBe(`admindo:index:${model.name}`);
    expect(model.tokens).toEqual([model.token, model.pluginToken]);
  });
});

test("the type tokens, secret outputs and replace-on-change inputs of both resources", () => {
  expect(API_KEY.token).toBe("pulumi-nodejs:dynamic/admindo:ApiKey");
  expect(API_KEY_RESTRICTIONS.token).toBe("pulumi-nodejs:dynamic/admindo:ApiKeyRestrictions");
  expect(namesWhere(API_KEY.outputs, "secret")).toEqual(["key"]);
  expect(namesWhere(API_KEY_RESTRICTIONS.outputs, "secret")).toEqual([]);
  expect(namesWhere(API_KEY.inputs, "replaceOnChange")).toEqual(["organization"]);
  expect(namesWhere(API_KEY_RESTRICTIONS.inputs, "replaceOnChange")).toEqual(["keyId"]);
});

test("every replace-on-change input is a replace reason, and every replace reason names a property", () => {
  for (const [model, reasons] of [
    [API_KEY, API_KEY_REPLACE_REASONS],
    [API_KEY_RESTRICTIONS, API_KEY_RESTRICTIONS_REPLACE_REASONS],
  ] as const) {
    expect(reasons).toEqual(expect.arrayContaining(namesWhere(model.inputs, "replaceOnChange")));
    for (const reason of reasons) {
      expect([reason, reason in model.inputs || reason in model.outputs]).toEqual([reason, true]);
    }
  }
});

test("check validates exactly the inputs programs set, in the model's order", () => {
  expect(Object.keys(ApiKeyInputsSchema.shape)).toEqual(
    Object.keys(API_KEY.inputs).filter((name) => name !== "rotation"),
  );
  expect(Object.keys(ApiKeyRestrictionsInputsSchema.shape)).toEqual([
    "ipAddresses",
    "referrers",
    "rateLimit",
    "timeRestrictions",
    "keyId",
    "overwrite",
  ]);
  expect(
    ApiKeyInputsSchema.safeParse({ name: "a", organization: "acme", scopes: ["data:read"], rotation: {} })
      .success,
  ).toBe(false);
});

test("the unknown marker is the one @pulumi/pulumi and @pulumi/policy use", () => {
  expect(UNKNOWN).toBe(runtime.unknownValue);
  const internal = policyProxy as unknown as Record<string, string>;
  const sentinels = Object.keys(internal)
    .filter((name) => /^unknown\w+Value$/.test(name))
    .map((name) => internal[name]);
  expect([...UNKNOWN_SENTINELS].sort()).toEqual(sentinels.sort());
});
