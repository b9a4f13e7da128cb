import { z } from "zod";
import { DEFAULT_BASE_URL } from "../../provider/config";
import { API_KEY, API_KEY_RESTRICTIONS, type Properties, type ResourceModel } from "../../resource";
import type { ModelDocs } from "./docs";

/**
 * The Pulumi package schema of the provider plugin, derived from the resource model: the same
 * properties, doc lines, secrets and required inputs the TypeScript SDK has. Value rules beyond
 * the type (scope names, CIDRs, durations) stay with the provider's `check`, which names the field
 * and the rule at preview time in every language.
 */

type Spec = Record<string, unknown>;
type JsonSchema = {
  type?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  description?: string;
};

const PACKAGE = "admindo";
const ANY = { $ref: "pulumi.json#/Any" };

/** Object types named after the property that holds them (`rateLimit` → `RateLimit`). */
const typeName = (property: string) => property[0].toUpperCase() + property.slice(1);

class SchemaBuilder {
  readonly types: Record<string, Spec> = {};

  /** Doc lines for fields of object types whose schema has none, by field name. */
  constructor(private readonly fieldDocs: Record<string, string>) {}

  /** A property's schema type; objects with properties become named types in `types`. */
  typeOf(name: string, json: JsonSchema): Spec {
    switch (json.type) {
      case "string":
      case "integer":
      case "boolean":
      case "number":
        return { type: json.type };
      case "array":
        return { type: "array", items: this.typeOf(name, json.items ?? {}) };
      case "object":
        if (!json.properties) return { type: "object", additionalProperties: ANY };
        return { $ref: `#/types/${this.objectType(typeName(name), json)}` };
      default:
        return ANY;
    }
  }

  private objectType(name: string, json: JsonSchema): string {
    const token = `${PACKAGE}:index:${name}`;
    const properties = Object.fromEntries(
      Object.entries(json.properties ?? {}).map(([key, value]) => [
        key,
        { ...this.typeOf(key, value), ...described(value.description ?? this.fieldDocs[key]) },
      ]),
    );
    const spec = {
      type: "object",
      properties,
      ...(json.required?.length ? { required: json.required } : {}),
    };
    const seen = this.types[token];
    if (seen && JSON.stringify(seen) !== JSON.stringify(spec))
      throw new Error(`two different object types would be named ${token}`);
    this.types[token] = spec;
    return token;
  }

  /** `inputProperties` or `properties`: every property but the internal ones, with its doc line. */
  properties(properties: Properties, docs: Record<string, string>): Record<string, Spec> {
    return Object.fromEntries(
      Object.entries(properties)
        .filter(([, property]) => !property.internal)
        .map(([name, property]) => {
          const json = z.toJSONSchema(property.schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
          return [
            name,
            {
              ...this.typeOf(name, json),
              ...described(docs[name]),
              ...(property.secret ? { secret: true } : {}),
              ...(property.replaceOnChange ? { replaceOnChange: true } : {}),
            },
          ];
        }),
    );
  }
}

/** A description entry, its JSDoc line breaks joined, or nothing. */
function described(doc: string | undefined): { description?: string } {
  return doc ? { description: doc.replace(/\s*\n\s*/g, " ") } : {};
}

/** Names of the properties a value must be given for: not optional, and not defaulted by the provider. */
function requiredNames(properties: Properties): string[] {
  return Object.entries(properties)
    .filter(
      ([, property]) =>
        !property.internal &&
        !property.defaultsToResourceName &&
        !property.schema.safeParse(undefined).success,
    )
    .map(([name]) => name);
}

export interface DocumentedModel {
  model: ResourceModel;
  docs: ModelDocs;
}

const CONFIG = {
  apiKey: {
    type: "string",
    secret: true,
    description: "The Admin.do admin key the provider calls the API with. Default: ADMINDO_API_KEY.",
  },
  baseUrl: {
    type: "string",
    description: `The Admin.do API's base URL. Default: ADMINDO_BASE_URL, else ${DEFAULT_BASE_URL}.`,
  },
};

export function packageSchema(version: string, resources: DocumentedModel[]): Spec {
  // Restriction fields are documented once, on ApiKeyRestrictions' inputs; ApiKey's `restrictions` type reuses them.
  const builder = new SchemaBuilder(Object.assign({}, ...resources.map(({ docs }) => docs.inputs)));
  const resourceSpecs = Object.fromEntries(
    resources.map(({ model, docs }) => [
      model.pluginToken,
      {
        ...described(docs.description),
        inputProperties: builder.properties(model.inputs, docs.inputs),
        requiredInputs: requiredNames(model.inputs),
        properties: builder.properties(model.outputs, docs.outputs),
        required: requiredNames(model.outputs),
      },
    ]),
  );
  return {
    name: PACKAGE,
    displayName: "Admin.do",
    version,
    description: "Admin.do API keys: scopes, restrictions, expiry and rotation.",
    keywords: ["pulumi", "admindo", "api-keys"],
    license: "Apache-2.0",
    config: { variables: CONFIG },
    provider: { description: "The admindo provider.", inputProperties: CONFIG },
    types: builder.types,
    resources: resourceSpecs,
    // supportPack: the Go generator writes the SDK's go.mod (module github.com/pulumi-admindo/pulumi-admindo/sdk/go,
    // one level above importBasePath) and pins the plugin version to the schema's, instead of the v1
    // it would otherwise guess from the import path.
    meta: { supportPack: true },
    language: { go: { importBasePath: "github.com/pulumi-admindo/pulumi-admindo/sdk/go/admindo" } },
  };
}

/** The models the plugin serves. */
export const PLUGIN_MODELS = [
  { exportName: "API_KEY", model: API_KEY },
  { exportName: "API_KEY_RESTRICTIONS", model: API_KEY_RESTRICTIONS },
] as const;
