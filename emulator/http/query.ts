import type { z } from "zod";
import { decodeQuery, type RawQuery } from "../../client/query";
import { fieldIssue } from "../../client/validate";
import { invalidField, invalidInput, invalidRequest } from "../errors";
import type { Page } from "../store";

/*
 * Query strings decoded by the contract's codec (client/query.ts) into the params objects the
 * operation's query schema describes, then validated by that schema. The schemas are strict, so
 * an unknown or misspelt parameter is a 400 rather than silently ignored.
 */

export function parseQuery<S extends z.ZodType>(schema: S, raw: RawQuery): z.infer<S> {
  const { params, conflict } = decodeQuery(raw);
  if (conflict) {
    throw invalidRequest("Give either range or start/end, not both.", [
      fieldIssue(["query", ...conflict.path], conflict.message),
    ]);
  }
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw invalidInput(parsed.error, "query string", ["query"]);
  const range = (parsed.data as { timeRange?: unknown }).timeRange;
  if (range && typeof range === "object") {
    const { start, end } = range as { start: string; end?: string };
    if (end !== undefined && Date.parse(end) < Date.parse(start)) {
      throw invalidField(
        ["query", "end"],
        "must not be before start",
        "The time range ends before it starts.",
      );
    }
  }
  return parsed.data;
}

const DEFAULT_PAGE_SIZE = 20;

/**
 * One page of a list response: `read` fetches the items within the query's bounds (`limit`,
 * default 20, from `offset`, default 0) and their total, `toWire` shapes each item.
 */
export function listPage<R, T>(
  query: { limit?: number; offset?: number },
  read: (bounds: { limit: number; offset: number }) => Page<R>,
  toWire: (item: R) => T,
): { data: T[]; total: number; limit: number; offset: number; hasMore: boolean } {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const offset = query.offset ?? 0;
  const { items, total } = read({ limit, offset });
  return { data: items.map(toWire), total, limit, offset, hasMore: offset + items.length < total };
}
