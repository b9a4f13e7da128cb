import { z } from "zod";
import { OPERATIONS, type Operation, type OperationName } from "./contract";
import {
  DurationSchema,
  LogStatusFilterSchema,
  OrganizationQuerySchema,
  PageQuerySchema,
  RESOURCE_KINDS,
  TimestampSchema,
  UsageParamsSchema,
  type FieldIssue,
} from "./schemas";

/**
 * The query codec: how the query parameters of an operation (its contract `query` schema, in the
 * caller's form: `timeRange`, `resources: []`) travel as a query string (`range` or
 * `start`/`end`, comma-separated `resources`, `status` as a word or a number), and back. The
 * client encodes, the emulator decodes and then validates with the same schema, and
 * docs/openapi.json documents the wire parameters listed here.
 */

/** A parsed query string: the last value counts where a parameter repeats (except `resources`). */
export type RawQuery = Record<string, string | string[] | undefined>;

/** The wire parameters a `timeRange` travels as: a duration, or absolute bounds. */
const TIME_RANGE_WIRE = ["range", "start", "end"];

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

const last = (value: string | string[]) => (Array.isArray(value) ? value[value.length - 1] : value);

export interface DecodedQuery {
  /** The parameters in the caller's form, not yet validated (the operation's schema does that). */
  params: Record<string, unknown>;
  /** Set when the query gives parameters that exclude each other: `range` with `start`/`end`. */
  conflict?: FieldIssue;
}

/** The inverse of {@link encodeQuery}. Unknown parameters pass through, for the schema to refuse. */
export function decodeQuery(raw: RawQuery): DecodedQuery {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || TIME_RANGE_WIRE.includes(name)) continue;
    if (name === "resources") {
      params.resources = (Array.isArray(value) ? value : [value])
        .flatMap((part) => part.split(","))
        .map((part) => part.trim())
        .filter((part) => part !== "");
    } else if (name === "status") {
      const text = last(value);
      params.status = /^\d+$/.test(text) ? Number(text) : text;
    } else {
      params[name] = last(value);
    }
  }
  const { range, start, end } = raw;
  if (range !== undefined && (start !== undefined || end !== undefined)) {
    return {
      params,
      conflict: { field: "range", path: ["range"], message: "cannot be combined with start/end" },
    };
  }
  if (range !== undefined) params.timeRange = last(range);
  else if (start !== undefined || end !== undefined) {
    params.timeRange = {
      ...(start !== undefined ? { start: last(start) } : {}),
      ...(end !== undefined ? { end: last(end) } : {}),
    };
  }
  return { params };
}

export interface WireParameter {
  name: string;
  schema: z.ZodType;
  description: string;
}

/** The wire parameters of each query field, documented (each field not listed travels as itself). */
const WIRE_QUERY: Record<string, WireParameter[]> = {
  limit: [{ name: "limit", schema: PageQuerySchema.shape.limit.unwrap(), description: "Items per page." }],
  offset: [{ name: "offset", schema: PageQuerySchema.shape.offset.unwrap(), description: "Items to skip." }],
  organization: [
    {
      name: "organization",
      schema: OrganizationQuerySchema.shape.organization.unwrap(),
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
  const operation: Operation = OPERATIONS[name];
  const schema = operation.query;
  if (!schema) return [];
  return Object.keys(schema.shape).flatMap((field) => {
    const wire = WIRE_QUERY[field];
    if (!wire) throw new Error(`no wire encoding documented for query parameter "${field}" of ${name}`);
    return wire;
  });
}
