import type { ApiKey, LogEntry } from "../../client/schemas";
import { KeyUsageAggregator } from "../../audit/aggregate";
import { LocalTime } from "../../audit/localTime";
import { DEFAULT_PREFIXES } from "../../audit/networks";
import { suggest } from "../../audit/suggest";

let sequence = 0;
function entry(fields: Partial<LogEntry>): LogEntry {
  return {
    id: `log_${++sequence}`,
    keyId: "key_1",
    timestamp: "2026-03-02T10:00:00.000Z",
    method: "GET",
    path: "/functions",
    resource: "functions",
    project: null,
    status: 200,
    latencyMs: 1,
    ip: "192.0.2.1",
    referrer: null,
    denialReason: null,
    ...fields,
  };
}

const key = { restrictions: {} } as ApiKey;
function aggregate(entries: LogEntry[], timezone = "UTC") {
  const usage = new KeyUsageAggregator({ prefixes: DEFAULT_PREFIXES, timezone });
  // Newest first, as the log comes.
  for (const item of [...entries].sort((a, b) => b.timestamp.localeCompare(a.timestamp))) usage.add(item);
  return usage;
}

test("a request with a project name the API cannot read never reached its scope check: no scope, no project", () => {
  const usage = aggregate([
    entry({ project: "not a project!", status: 400 }),
    entry({ timestamp: "2026-03-02T10:00:01.000Z", project: "shop" }),
  ]);
  expect([...usage.scopes.keys()]).toEqual(["functions:read"]);
  expect(usage.scopes.get("functions:read")!.requests).toBe(1);
  expect(usage.sources.projects.keys()).toEqual(["shop"]);
});

test("admitted requests without a project keep the key unbound; without a Referer, no referrer restriction", () => {
  const usage = aggregate([
    entry({ project: "shop", referrer: "https://shop.example.com/" }),
    entry({ timestamp: "2026-03-02T11:00:00.000Z" }),
  ]);
  const suggestion = suggest(key, usage, { ratePeriod: "minute" })!;
  expect(suggestion.projects).toEqual([]);
  expect(suggestion.restrictions.referrers).toBeUndefined();
  expect(suggestion.restrictions.rateLimit).toEqual({ requests: 1, period: "minute" });
});

test("requests to routes the contract does not know are counted, not given a scope", () => {
  const usage = aggregate([entry({ method: "GET", path: "/v2/unknown" })]);
  expect(usage.unknownOperations).toBe(1);
  expect(usage.scopes.size).toBe(0);
  // Admitted, but nothing reached a scope check: nothing to suggest.
  expect(suggest(key, usage, { ratePeriod: "minute" })).toBeNull();
});

test("a key used every day at every hour gets no time window; the key's own rate period is kept", () => {
  const entries: LogEntry[] = [];
  for (let hour = 0; hour < 24 * 7; hour++) {
    entries.push(
      entry({ timestamp: new Date(Date.parse("2026-03-02T00:30:00Z") + hour * 3_600_000).toISOString() }),
    );
  }
  const usage = aggregate(entries);
  const limited = { restrictions: { rateLimit: { requests: 100, period: "hour" } } } as ApiKey;
  const suggestion = suggest(limited, usage, { ratePeriod: "minute" })!;
  expect(suggestion.restrictions.timeRestrictions).toBeUndefined();
  expect(suggestion.restrictions.rateLimit).toEqual({ requests: 1, period: "hour" });
});

test("days and hours are counted on the wall clock of the key's time zone, half-hour offsets included", () => {
  // 2026-03-01T23:00Z is Monday 04:30 in Kolkata (UTC+5:30), still Sunday 23:00 in UTC.
  const usage = aggregate([entry({ timestamp: "2026-03-01T23:00:00.000Z" })], "Asia/Kolkata");
  expect(usage.slotList()).toEqual([{ day: "monday", hour: 4, requests: 1 }]);
  expect(new LocalTime("America/New_York").of(Date.parse("2026-03-08T07:30:00Z"))).toEqual({
    day: "sunday",
    hour: 3,
  });
  expect(new LocalTime("America/New_York").of(Date.parse("2026-03-08T06:30:00Z"))).toEqual({
    day: "sunday",
    hour: 1,
  });
});

test("memory is bounded: past the limit, new values are counted together, and no networks are suggested", () => {
  const usage = new KeyUsageAggregator({
    prefixes: DEFAULT_PREFIXES,
    timezone: "UTC",
    limit: 3,
    addressLimit: 2,
  });
  for (let i = 0; i < 5; i++) {
    usage.add(entry({ ip: `198.51.100.${i}`, status: 403, denialReason: "ip_not_allowed" }));
    usage.add(entry({ ip: `192.0.2.${i}` }));
  }
  const denial = usage.denials.get("ip_not_allowed")!;
  expect([denial.addresses.size, denial.addresses.overflow]).toEqual([3, 2]);
  expect([usage.sources.addresses.size, usage.sources.addresses.truncated]).toEqual([2, true]);
  const suggestion = suggest(key, usage, { ratePeriod: "minute" })!;
  expect(suggestion.scopes).toEqual(["functions:read"]);
  expect(suggestion.restrictions.ipAddresses).toBeUndefined();
});
