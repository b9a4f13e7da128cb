import type { z } from "zod";
import { ApiError, invalidRequest } from "../errors";

/**
 * Query strings as the contract describes them (`range` or `start`/`end`, comma-separated
 * `resources`, `status` as a word or a number, …) turned into the params objects the zod schemas
 * describe, then validated by those schemas. The schemas are strict, so an unknown or misspelt
 * parameter is a 400 rather than silently ignored.
 */

export type RawQuery = Record<string, string | string[] | undefined>;

const last = (value: string | string[]) => (Array.isArray(value) ? value[value.length - 1] : value);

function toParams(raw: RawQuery): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || name === "range" || name === "start" || name === "end") continue;
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
    throw new ApiError("invalid_request", "Give either range or start/end, not both.", [
      { path: "query.range", message: "cannot be combined with start/end" },
    ]);
  }
  if (range !== undefined) params.timeRange = last(range);
  else if (start !== undefined || end !== undefined) {
    params.timeRange = {
      ...(start !== undefined ? { start: last(start) } : {}),
      ...(end !== undefined ? { end: last(end) } : {}),
    };
  }
  return params;
}

export function parseQuery<S extends z.ZodType>(schema: S, raw: RawQuery): z.infer<S> {
  const parsed = schema.safeParse(toParams(raw));
  if (!parsed.success) throw invalidRequest(parsed.error, "query string", "query");
  const range = (parsed.data as { timeRange?: unknown }).timeRange;
  if (range && typeof range === "object") {
    const { start, end } = range as { start: string; end?: string };
    if (end !== undefined && Date.parse(end) < Date.parse(start)) {
      throw new ApiError("invalid_request", "The time range ends before it starts.", [
        { path: "query.end", message: "must not be before start" },
      ]);
    }
  }
  return parsed.data;
}

export const DEFAULT_PAGE_SIZE = 20;

/** Page bounds with defaults, and the page envelope of list responses. */
export function pageOf<T>(
  items: T[],
  total: number,
  query: { limit?: number; offset?: number },
): { data: T[]; total: number; limit: number; offset: number; hasMore: boolean } {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const offset = query.offset ?? 0;
  return { data: items, total, limit, offset, hasMore: offset + items.length < total };
}

export function pageBounds(query: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 };
}
