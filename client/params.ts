import { z } from "zod";
import { OPERATIONS, type Operation, type OperationName } from "./contract";
import {
  DurationSchema,
  ListApiKeysQuerySchema,
  LogStatusFilterSchema,
  LogsParamsSchema,
  PageQuerySchema,
  ProjectSchema,
  ProjectUsageParamsSchema,
  RESOURCE_KINDS,
  ResourceKindSchema,
  ResourceUsageParamsSchema,
  TimestampSchema,
  UsageParamsSchema,
} from "./schemas";

/**
 * How call parameters travel outside the JSON body: path parameters and the query string.
 * The client validates and encodes with these; docs/openapi.json documents them.
 */

/**
 * Query parameters of GET operations, in the caller's form (`timeRange`, `resources: []`), where
 * they are more than the `limit`/`offset` every list takes (see {@link querySchemaFor}). The
 * emulator registers the same schemas per route.
 */
export const QUERY_SCHEMAS: Partial<Record<OperationName, z.ZodObject>> = {
  "apiKeys.list": ListApiKeysQuerySchema,
  "apiKeys.getUsage": UsageParamsSchema,
  "apiKeys.getResourceUsage": ResourceUsageParamsSchema,
  "apiKeys.getProjectUsage": ProjectUsageParamsSchema,
  "apiKeys.getLogs": LogsParamsSchema,
  "admin.listUsers": ListApiKeysQuerySchema,
  "admin.listProjects": ListApiKeysQuerySchema,
  "admin.getBilling": ListApiKeysQuerySchema.pick({ organization: true }),
};

/** A list response: `pageOf(...)` in schemas/common.ts. */
function isPage(schema: z.ZodType | undefined): boolean {
  return schema instanceof z.ZodObject && "data" in schema.shape && "hasMore" in schema.shape;
}

/** The query schema of an operation: its entry above, else `limit`/`offset` for lists, else none. */
export function querySchemaFor(name: OperationName): z.ZodObject | undefined {
  const op: Operation = OPERATIONS[name];
  return QUERY_SCHEMAS[name] ?? (op.method === "GET" && isPage(op.response) ? PageQuerySchema : undefined);
}

/** Path parameters narrower than "a non-empty string"; ids are opaque and stay unchecked. */
export const PATH_PARAM_SCHEMAS: Record<string, z.ZodType<string>> = {
  resource: ResourceKindSchema,
  project: ProjectSchema,
};

/** The X-Admindo-Project header value follows the project-name rule. */
export const ProjectHeaderSchema = ProjectSchema;
/** Printable ASCII without spaces, so the key survives every proxy unchanged. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: "must be 1-255 printable ASCII characters without spaces" });

/**
 * Encodes validated query parameters: a duration `timeRange` as `range`, an absolute one as
 * `start`/`end`; arrays comma-separated; everything else as text. Undefined values are left out.
 */
export function encodeQuery(params: Record<string, unknown>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (name === "timeRange") {
      if (typeof value === "string") query.set("range", value);
      else {
        const { start, end } = value as { start: string; end?: string };
        query.set("start", start);
        if (end !== undefined) query.set("end", end);
      }
    } else if (Array.isArray(value)) query.set(name, value.join(","));
    else query.set(name, String(value));
  }
  return query.toString();
}

export interface WireParameter {
  name: string;
  schema: z.ZodType;
  description: string;
}

const WIRE_QUERY: Record<string, WireParameter[]> = {
  limit: [{ name: "limit", schema: PageQuerySchema.shape.limit.unwrap(), description: "Items per page." }],
  offset: [{ name: "offset", schema: PageQuerySchema.shape.offset.unwrap(), description: "Items to skip." }],
  organization: [
    {
      name: "organization",
      schema: ListApiKeysQuerySchema.shape.organization.unwrap(),
      description: "The organization to list or report on; default: the caller's.",
    },
  ],
  timeRange: [
    { name: "range", schema: DurationSchema, description: 'A window ending now, e.g. "24h" or "7d".' },
    {
      name: "start",
      schema: TimestampSchema,
      description: "Start of an absolute window (instead of range).",
    },
    { name: "end", schema: TimestampSchema, description: "End of an absolute window; default now." },
  ],
  resources: [
    {
      name: "resources",
      schema: z.string(),
      description: `Comma-separated resource kinds to count: ${RESOURCE_KINDS.join(", ")}.`,
    },
  ],
  groupBy: [
    {
      name: "groupBy",
      schema: UsageParamsSchema.shape.groupBy.unwrap(),
      description: "Bucket the counts by.",
    },
  ],
  status: [
    {
      name: "status",
      schema: LogStatusFilterSchema,
      description: '"success" (2xx/3xx), "error" (4xx/5xx) or one HTTP status.',
    },
  ],
};

/** The query parameters an operation accepts on the wire, in order. */
export function wireQueryParameters(name: OperationName): WireParameter[] {
  const schema = querySchemaFor(name);
  if (!schema) return [];
  return Object.keys(schema.shape).flatMap((field) => {
    const wire = WIRE_QUERY[field];
    if (!wire) throw new Error(`no wire encoding documented for query parameter "${field}" of ${name}`);
    return wire;
  });
}
