import fc from "fast-check";
import type { z } from "zod";
import { OPERATIONS, RESOURCE_KINDS, USAGE_GROUPINGS, type OperationName } from "pulumi-admindo/client";
import { decodeQuery, encodeQuery, type RawQuery } from "../../client/query";

/** The query codec: what the client encodes, the server decodes back to the same parameters. */

const iso = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true })
  .map((date) => date.toISOString());

/** Valid values of every query field of the contract, in the caller's form. */
const QUERY_FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  limit: fc.integer({ min: 1, max: 100 }),
  offset: fc.nat(),
  organization: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  timeRange: fc.oneof(
    fc
      .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom("s", "m", "h", "d", "w"))
      .map(([count, unit]) => `${count}${unit}`),
    fc.record({ start: iso, end: iso }, { requiredKeys: ["start"] }),
  ),
  resources: fc.subarray([...RESOURCE_KINDS]),
  groupBy: fc.constantFrom(...USAGE_GROUPINGS),
  status: fc.oneof(fc.constantFrom("success", "error"), fc.integer({ min: 100, max: 599 })),
};

/** A query string as a server reads it: a repeated parameter becomes an array. */
function serverRead(query: string): RawQuery {
  const raw: RawQuery = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = raw[name];
    raw[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return raw;
}

const withQuery = (Object.keys(OPERATIONS) as OperationName[]).filter((name) => "query" in OPERATIONS[name]);

test("the operations that take a query are the lists, usage and logs", () => {
  expect(withQuery).toHaveLength(15);
  for (const name of withQuery) expect(OPERATIONS[name].method).toBe("GET");
});

test.each(withQuery)("%s: decoding what the client encodes gives back its parameters", (name) => {
  const schema = (OPERATIONS[name] as { query: z.ZodObject }).query;
  const fields = Object.fromEntries(
    Object.keys(schema.shape).map((field) => {
      const arbitrary = QUERY_FIELDS[field];
      if (!arbitrary) throw new Error(`no arbitrary for query field ${field} of ${name}`);
      return [field, arbitrary];
    }),
  );
  fc.assert(
    fc.property(fc.record(fields, { requiredKeys: [] }), (params) => {
      const sent = schema.parse(params);
      const { params: decoded, conflict } = decodeQuery(serverRead(encodeQuery(sent)));
      expect(conflict).toBeUndefined();
      expect(schema.parse(decoded)).toEqual(sent);
    }),
    { numRuns: 200 },
  );
});

describe("decoding", () => {
  test("a repeated parameter counts once, the last; repeated resources add up", () => {
    expect(decodeQuery({ limit: ["5", "7"], resources: ["functions,data", " agents "] }).params).toEqual({
      limit: "7",
      resources: ["functions", "data", "agents"],
    });
  });

  test("status is a number when it is one, else the word", () => {
    expect(decodeQuery({ status: "404" }).params).toEqual({ status: 404 });
    expect(decodeQuery({ status: "error" }).params).toEqual({ status: "error" });
  });

  test("range and start/end exclude each other", () => {
    expect(decodeQuery({ range: "7d", end: "2026-01-01T00:00:00Z" }).conflict).toEqual({
      field: "range",
      path: ["range"],
      message: "cannot be combined with start/end",
    });
    expect(decodeQuery({ end: "2026-01-01T00:00:00Z" }).params).toEqual({
      timeRange: { end: "2026-01-01T00:00:00Z" },
    });
  });

  test("unknown parameters pass through, for the operation's schema to refuse", () => {
    const { params } = decodeQuery({ limt: "5" });
    expect(params).toEqual({ limt: "5" });
    expect(OPERATIONS["apiKeys.list"].query.safeParse(params).success).toBe(false);
  });
});
