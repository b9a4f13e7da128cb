/**
 * Generates docs/openapi.json (OpenAPI 3.1) from the REST contract in client/contract.ts and the
 * zod schemas, so the document can never drift from what client and emulator do.
 * Run `npm run openapi` after changing the contract; test/client/openapi.test.ts fails until then.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { HEADERS, OPERATIONS, templateParts, type Operation, type OperationName } from "../client/contract";
import { PATH_PARAM_SCHEMAS } from "../client/params";
import { wireQueryParameters } from "../client/query";
import * as schemas from "../client/schemas";

export const OPENAPI_FILE = path.resolve(__dirname, "..", "docs", "openapi.json");

type Json = Record<string, unknown>;

/** Component names for exported schemas: `ApiKeySchema` is documented as `ApiKey`. */
const SCHEMA_NAMES = new Map<z.ZodType, string>();
for (const [name, value] of Object.entries(schemas)) {
  if (value instanceof z.ZodType && name.endsWith("Schema") && !SCHEMA_NAMES.has(value)) {
    SCHEMA_NAMES.set(value, name.slice(0, -"Schema".length));
  }
}

/**
 * JSON Schema of a zod schema. `io: "input"` everywhere: a request body is documented as what a
 * caller may send, and a response as what the server may send and the client accepts (plain
 * objects stay open to fields a newer server adds). Refinements (CIDR, referrer, time zone) have no
 * JSON Schema form; they are checked at run time, and `unrepresentable: "any"` keeps the rest.
 */
function jsonSchema(schema: z.ZodType): Json {
  const result = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
    override: ({ jsonSchema: node }) => {
      // The date-time regex zod emits restates `format: date-time` in 400 characters.
      if (node.format === "date-time") delete node.pattern;
      if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
      if (node.minimum === Number.MIN_SAFE_INTEGER) delete node.minimum;
    },
  }) as Json;
  delete result.$schema;
  return result;
}

function titleCase(header: string): string {
  return header.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

const ERROR_RESPONSES = {
  InvalidRequest: "The parameters or body are malformed (code invalid_request).",
  Unauthenticated: "The key is missing, unknown, revoked or expired.",
  Forbidden: "The key may not do this: scope, project, organization, IP, referrer or time window.",
  NotFound: "No such id.",
  RateLimited: "Too many requests; retry after the Retry-After header.",
  ServiceUnavailable: "Temporarily unavailable; retry after the Retry-After header.",
  Error: "Any other error, with the same error body.",
} as const;

function components(schemaComponents: Json): Json {
  const requestId = { $ref: `#/components/headers/${titleCase(HEADERS.requestId)}` };
  const retryAfter = { $ref: `#/components/headers/${titleCase(HEADERS.retryAfter)}` };
  const errorBody = jsonSchema(schemas.ErrorBodySchema) as { properties: { error: Json } };
  const errorProperties = errorBody.properties.error.properties as Record<string, Json>;
  errorProperties.code.description = `Stable error code to match on: ${schemas.ERROR_CODES.join(", ")}.`;
  return {
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        description: "An Admin.do API key. Each operation lists the scope the key must hold.",
      },
    },
    headers: {
      [titleCase(HEADERS.requestId)]: {
        description: "Identifies the request in server logs; quote it when reporting a problem.",
        schema: { type: "string" },
      },
      [titleCase(HEADERS.retryAfter)]: {
        description: "Seconds (or an HTTP date) to wait before retrying.",
        schema: { type: "string" },
      },
    },
    parameters: {
      IdempotencyKey: {
        name: titleCase(HEADERS.idempotencyKey),
        in: "header",
        required: false,
        description:
          "Unique per logical request (e.g. a UUID); a retry with the same key returns the first result instead of acting twice.",
        schema: { type: "string", maxLength: 255 },
      },
      Project: {
        name: titleCase(HEADERS.project),
        in: "header",
        required: false,
        description: "The project the request acts in; must be one of the key's projects when it has any.",
        schema: jsonSchema(schemas.ProjectSchema),
      },
    },
    responses: Object.fromEntries(
      Object.entries(ERROR_RESPONSES).map(([name, description]) => [
        name,
        {
          description,
          headers: {
            [titleCase(HEADERS.requestId)]: requestId,
            ...(name === "RateLimited" || name === "ServiceUnavailable"
              ? { [titleCase(HEADERS.retryAfter)]: retryAfter }
              : {}),
          },
          content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
        },
      ]),
    ),
    schemas: { ErrorBody: errorBody, ...schemaComponents },
  };
}

/** Builds the OpenAPI document; deterministic, so the committed file can be compared to it. */
export function buildOpenApi(): Json {
  const schemaComponents: Json = {};
  const ref = (schema: z.ZodType, fallback: string) => {
    const name = SCHEMA_NAMES.get(schema) ?? fallback;
    schemaComponents[name] ??= jsonSchema(schema);
    return { $ref: `#/components/schemas/${name}` };
  };
  const requestIdHeader = { $ref: `#/components/headers/${titleCase(HEADERS.requestId)}` };
  const paths: Record<string, Json> = {};

  for (const [name, op] of Object.entries(OPERATIONS) as [OperationName, Operation][]) {
    const parts = templateParts(op.path);
    const pathParams = parts.filter((_, index) => index % 2 === 1);
    const queryParams = wireQueryParameters(name);
    const pascal = name.replace(/(^|\.)([a-z])/g, (_, _dot: string, letter: string) => letter.toUpperCase());
    const parameters: Json[] = [
      ...pathParams.map((param) => ({
        name: param,
        in: "path",
        required: true,
        schema: PATH_PARAM_SCHEMAS[param] ? jsonSchema(PATH_PARAM_SCHEMAS[param]) : { type: "string" },
      })),
      ...queryParams.map((param) => ({
        name: param.name,
        in: "query",
        required: false,
        description: param.description,
        schema: jsonSchema(param.schema),
      })),
      { $ref: "#/components/parameters/Project" },
      ...(op.method === "POST" ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
    ];
    const success: Json = {
      description: "Success.",
      headers: { [titleCase(HEADERS.requestId)]: requestIdHeader },
    };
    if (op.response && op.status !== 204) {
      success.content = { "application/json": { schema: ref(op.response, `${pascal}Response`) } };
    }
    const responses: Json = {
      [String(op.status)]: success,
      ...(op.body || queryParams.length > 0
        ? { "400": { $ref: "#/components/responses/InvalidRequest" } }
        : {}),
      "401": { $ref: "#/components/responses/Unauthenticated" },
      "403": { $ref: "#/components/responses/Forbidden" },
      ...(pathParams.length > 0 ? { "404": { $ref: "#/components/responses/NotFound" } } : {}),
      "429": { $ref: "#/components/responses/RateLimited" },
      "503": { $ref: "#/components/responses/ServiceUnavailable" },
      default: { $ref: "#/components/responses/Error" },
    };
    const operation: Json = {
      operationId: name,
      tags: [name.split(".")[0]],
      summary: op.summary,
      description: `Requires scope \`${op.scope}\`.`,
      security: [{ bearerAuth: [op.scope] }],
      parameters,
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: ref(op.body, `${pascal}Body`) } },
            },
          }
        : {}),
      responses,
    };
    const openApiPath = parts.map((part, index) => (index % 2 === 1 ? `{${part}}` : part)).join("");
    paths[openApiPath] = { ...paths[openApiPath], [op.method.toLowerCase()]: operation };
  }

  return {
    openapi: "3.1.0",
    info: {
      title: "Admin.do API",
      version: "1.0.0",
      description:
        "Admin.do API keys and the calls they authorize. Generated from client/contract.ts by scripts/openapi.ts; do not edit.",
    },
    servers: [{ url: "https://api.admin.do" }],
    security: [{ bearerAuth: [] }],
    paths,
    components: components(schemaComponents),
  };
}

/** The document as written to disk. */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApi(), null, 2)}\n`;
}

if (require.main === module) {
  writeFileSync(OPENAPI_FILE, renderOpenApi());
  console.log(`wrote ${path.relative(process.cwd(), OPENAPI_FILE)}`);
}
