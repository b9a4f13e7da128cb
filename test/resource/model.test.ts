import path from "node:path";
import ts from "typescript";
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

const MODELS: [string, ResourceModel][] = [
  ["API_KEY", API_KEY],
  ["API_KEY_RESTRICTIONS", API_KEY_RESTRICTIONS],
];

let program: ts.Program | undefined;

/**
 * The doc line of every property of an exported model, read with the TypeScript compiler from the
 * JSDoc of its entry: what users see in their editor through the SDK's types, and what a generated
 * Pulumi package schema would take as each property's description.
 */
function propertyDocs(exportName: string): Record<"inputs" | "outputs", Record<string, string>> {
  const entry = path.resolve(__dirname, "../../resource/index.ts");
  program ??= ts.createProgram([entry], { strict: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const model = checker.getExportsOfModule(module).find((symbol) => symbol.name === exportName)!;
  const type = checker.getTypeOfSymbol(model);
  const docsOf = (member: "inputs" | "outputs") =>
    Object.fromEntries(
      checker
        .getTypeOfSymbol(type.getProperty(member)!)
        .getProperties()
        .map((symbol) => [symbol.name, ts.displayPartsToString(symbol.getDocumentationComment(checker))]),
    );
  return { inputs: docsOf("inputs"), outputs: docsOf("outputs") };
}

describe.each(MODELS)("%s", (exportName, model) => {
  test("every input and output has a doc comment; every optional input's says its default", () => {
    const docs = propertyDocs(exportName);
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

  test("its type token is the one the engine gives a dynamic resource of module admindo", () => {
    expect(model.token).toBe(`pulumi-nodejs:dynamic/admindo:${model.name}`);
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
