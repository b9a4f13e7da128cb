import { readFileSync } from "node:fs";
import path from "node:path";
import { RESOURCE_TOKENS } from "../../plugin/resources";
import { API_KEY, API_KEY_RESTRICTIONS, namesWhere } from "../../resource";
import { schemaText } from "../../scripts/schema/write";

const SCHEMA_FILE = path.resolve(__dirname, "../../schema.json");
const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));

test("schema.json is what the resource model gives (run `npm run schema` after changing the model)", () => {
  expect(readFileSync(SCHEMA_FILE, "utf8")).toBe(schemaText());
});

test("its version is the package's, and the plugin serves exactly the resources it declares", () => {
  expect(schema.version).toBe(
    JSON.parse(readFileSync(path.resolve(__dirname, "../../package.json"), "utf8")).version,
  );
  expect(Object.keys(schema.resources).sort()).toEqual([...RESOURCE_TOKENS].sort());
});

test.each([API_KEY, API_KEY_RESTRICTIONS])(
  "$pluginToken has the model's public inputs and outputs",
  (model) => {
    const resource = schema.resources[model.pluginToken];
    const publicNames = (properties: object, internal: string[]) =>
      Object.keys(properties).filter((name) => !internal.includes(name));
    expect(Object.keys(resource.inputProperties)).toEqual(
      publicNames(model.inputs, namesWhere(model.inputs, "internal")),
    );
    expect(Object.keys(resource.properties)).toEqual(
      publicNames(model.outputs, namesWhere(model.outputs, "internal")),
    );
    for (const [name, spec] of Object.entries<Record<string, unknown>>(resource.inputProperties))
      expect([name, typeof spec.description]).toEqual([name, "string"]);
    expect(Object.keys(resource.properties).filter((name) => resource.properties[name].secret)).toEqual(
      namesWhere(model.outputs, "secret"),
    );
    expect(
      Object.keys(resource.inputProperties).filter((name) => resource.inputProperties[name].replaceOnChange),
    ).toEqual(namesWhere(model.inputs, "replaceOnChange"));
  },
);

test("an ApiKey needs organization and scopes (name defaults to the resource name); restrictions need keyId", () => {
  expect(schema.resources[API_KEY.pluginToken].requiredInputs).toEqual(["organization", "scopes"]);
  expect(schema.resources[API_KEY_RESTRICTIONS.pluginToken].requiredInputs).toEqual(["keyId"]);
  expect(schema.resources[API_KEY.pluginToken].properties.key).toMatchObject({
    type: "string",
    secret: true,
  });
});

test("restrictions are typed objects, shared by both resources", () => {
  expect(schema.resources[API_KEY.pluginToken].inputProperties.restrictions.$ref).toBe(
    "#/types/admindo:index:Restrictions",
  );
  expect(schema.resources[API_KEY_RESTRICTIONS.pluginToken].inputProperties.rateLimit.$ref).toBe(
    "#/types/admindo:index:RateLimit",
  );
  expect(schema.types["admindo:index:RateLimit"]).toMatchObject({
    properties: { requests: { type: "integer" }, period: { type: "string" } },
    required: ["requests", "period"],
  });
});

test("provider configuration: apiKey (secret) and baseUrl, as inputs of the provider and stack config", () => {
  for (const variables of [schema.config.variables, schema.provider.inputProperties]) {
    expect(variables.apiKey).toMatchObject({ type: "string", secret: true });
    expect(variables.baseUrl).toMatchObject({ type: "string" });
  }
});
