import { createAdminClient, type AdminClient } from "../../client";
import { streamLogs } from "../../client/logStream";
import { paginate } from "../../client/pagination";
import type { LogEntry } from "../../client/schemas";
import { runAudit, type AuditOptions } from "../../audit/audit";
import { targetsFromIds, targetsFromStackExport } from "../../audit/input";
import { AuditReportSchema, type AuditReport, type KeyAudit } from "../../audit/model";
import { renderAudit } from "../../audit/report";
import { Spool } from "../../audit/spool";
import { verifySuggestion } from "../../audit/verify";
import { setup, type Emulator } from "../emulator/helpers";
import { CREDENTIAL_REFERER, KEYS, REFERER_SECRETS, WEEK, freezableClock, scenario, send } from "./traffic";

/**
 * The audit against a real emulator (SQLite, enforcement, request log) that served generated
 * traffic: successes, 403 insufficient_scope, IP, Referer, rate and time denials, IPv6 and
 * IPv4-mapped clients, several projects. The audit reads it over HTTP with a read-only key.
 */

let emu: Emulator;
let url: string;
let client: AdminClient;
let auditorKey: string;
const ids: Record<string, string> = {};
const secrets: Record<string, string> = {};

beforeAll(async () => {
  const time = freezableClock();
  emu = setup({ clock: time.clock });
  emu.clock.set(new Date(`${WEEK}T08:00:00Z`));
  for (const [name, params] of Object.entries(KEYS)) {
    const key = await emu.createKey(params);
    ids[name] = key.id;
    secrets[name] = key.key;
  }
  const auditor = await emu.createKey({ name: "auditor", scopes: ["admin:read"] });
  auditorKey = auditor.key;
  time.freeze();
  await send(emu, secrets, scenario());
  time.thaw();
  // The audit runs on the Saturday after: the window (30 days) holds the whole week.
  emu.clock.set(new Date(`2026-03-07T15:00:00Z`));
  await emu.app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(emu.app.server.address() as { port: number }).port}`;
  client = createAdminClient({ baseUrl: url, apiKey: auditor.key });
});
afterAll(async () => {
  await client?.close();
  await emu?.close();
});

const audit = (options: Partial<AuditOptions> = {}) =>
  runAudit({ apiKeys: client.apiKeys, targets: targetsFromIds(Object.values(ids)), ...options });
const keyOf = (report: AuditReport, name: string) => report.keys.find((key) => key.name === name) as KeyAudit;

let report: AuditReport;
beforeAll(async () => {
  report = await audit({ verify: true });
});

test("the report validates against its schema, covers the server's last 30 days and sums up every key", () => {
  expect(AuditReportSchema.parse(report)).toEqual(report);
  expect(report.window.label).toBe("30 days");
  expect(Date.parse(report.window.end) - Date.parse("2026-03-07T15:00:00Z")).toBeLessThan(60_000);
  expect(report.summary).toEqual({
    keys: 3,
    unused: 1,
    withUnusedScopes: 3,
    withMissingScopes: 1,
    requests: 30,
    denied: 12,
    verified: 2,
    verificationFailed: 0,
  });
});

test("per key: last use, requests and errors per resource and project, denials by reason with their sources", () => {
  const storefront = keyOf(report, "storefront");
  expect(storefront.activity).toMatchObject({ requests: 22, admitted: 13, denied: 9, complete: true });
  expect(storefront.activity.lastAt).toBe("2026-03-07T12:00:00.000Z");
  expect(storefront.lastUsedAt).toBe("2026-03-05T09:00:00.000Z");
  expect(storefront.usage.byResource.map((item) => [item.key, item.requests, item.errors])).toEqual([
    ["functions", 12, 8],
    ["workflows", 10, 5],
  ]);
  expect(storefront.usage.byProject.map((item) => [item.key, item.requests])).toEqual([
    ["blog", 3],
    ["shop", 19],
  ]);
  expect(storefront.denials.map((denial) => [denial.reason, denial.requests])).toEqual([
    ["insufficient_scope", 3],
    ["ip_not_allowed", 2],
    ["rate_limited", 2],
    ["outside_allowed_time", 1],
    ["referrer_not_allowed", 1],
  ]);
  const ip = storefront.denials.find((denial) => denial.reason === "ip_not_allowed")!;
  expect(ip.sources.addresses).toEqual([{ value: "198.51.100.23/32", requests: 2 }]);
  const referrer = storefront.denials.find((denial) => denial.reason === "referrer_not_allowed")!;
  expect(referrer.sources.referrerHosts).toEqual([{ value: "evil.example.net", requests: 1 }]);
});

test("scopes: used ones mapped from the contract's operations, unused ones, and refused ones with counts and sources", () => {
  const storefront = keyOf(report, "storefront");
  expect(
    storefront.scopes.used.map((use) => [use.scope, use.requests, use.operations.map((op) => op.value)]),
  ).toEqual([
    ["functions:read", 5, ["functions.list", "functions.get"]],
    ["workflows:read", 5, ["workflows.list"]],
    ["functions:execute", 3, ["functions.execute"]],
  ]);
  expect(storefront.scopes.unused).toEqual(["data:read", "workflows:write"]);
  expect(storefront.scopes.missing).toEqual([
    {
      scope: "workflows:execute",
      requests: 3,
      operations: [{ value: "workflows.execute", requests: 3 }],
      sources: {
        addresses: [{ value: "203.0.113.7/32", requests: 3 }],
        projects: [{ value: "shop", requests: 3 }],
        referrerHosts: [{ value: "shop.example.com", requests: 3 }],
        more: 0,
      },
    },
  ]);
  expect(storefront.findings.map((finding) => finding.kind)).toEqual([
    "unused-scopes",
    "missing-scopes",
    "unused-networks",
    "denied-requests",
    "rate-limit-headroom",
    "time-window-use",
  ]);
  expect(storefront.findings.find((finding) => finding.kind === "time-window-use")!.text).toBe(
    "Used monday, tuesday, thursday; hours 9–10, 14 (UTC), within a window of monday, tuesday, wednesday, thursday, friday, hours 8–18 (UTC).",
  );
  expect(storefront.findings.find((finding) => finding.kind === "unused-networks")!.text).toBe(
    "No admitted request came from `192.0.2.0/24`.",
  );
});

test("the tightest restrictions: networks covering every address (IPv4, IPv6 /64, IPv4-mapped), Referer hosts, peak rate, days and hours", () => {
  const storefront = keyOf(report, "storefront");
  expect(storefront.suggestion).toEqual({
    scopes: ["functions:read", "functions:execute", "workflows:read"],
    projects: ["blog", "shop"],
    restrictions: {
      ipAddresses: ["10.1.2.3/32", "10.1.2.4/32", "203.0.113.7/32", "203.0.113.9/32", "2001:db8:1:2::/64"],
      referrers: ["app.example.org", "shop.example.com"],
      rateLimit: { requests: 5, period: "second" },
      timeRestrictions: {
        daysOfWeek: ["monday", "tuesday", "thursday"],
        hoursOfDay: [9, 10, 14],
        timezone: "UTC",
      },
    },
  });
  expect(storefront.rate.peaks).toEqual({ second: 5, minute: 5, hour: 7, day: 7 });
});

test("a minimum prefix widens each address to its network, and halves of a network merge", async () => {
  const wide = await audit({ prefixes: { ipv4Prefix: 24, ipv6Prefix: 48 } });
  expect(keyOf(wide, "storefront").suggestion!.restrictions.ipAddresses).toEqual([
    "10.1.2.0/24",
    "203.0.113.0/24",
    "2001:db8:1::/48",
  ]);
  const merged = await audit({ prefixes: { ipv4Prefix: 31, ipv6Prefix: 64 } });
  // 10.1.2.3 and 10.1.2.4 lie in different /31s (.2/31, .4/31), which are not halves of one /30.
  expect(keyOf(merged, "storefront").suggestion!.restrictions.ipAddresses).toEqual([
    "10.1.2.2/31",
    "10.1.2.4/31",
    "203.0.113.6/31",
    "203.0.113.8/31",
    "2001:db8:1:2::/64",
  ]);
});

test("--verify: every successful request replayed against exactly the suggestion passes, and denied ones stay denied", () => {
  const storefront = keyOf(report, "storefront");
  expect(storefront.verification).toEqual({
    replayed: 13,
    admitted: 13,
    refused: [],
    denied: {
      replayed: 9,
      stillDenied: [
        { value: "insufficient_scope", requests: 3 },
        { value: "ip_not_allowed", requests: 2 },
        { value: "rate_limited", requests: 2 },
        // The Saturday request: the suggested window has no Saturday either.
        { value: "outside_allowed_time", requests: 1 },
        { value: "referrer_not_allowed", requests: 1 },
      ],
      nowAdmitted: [],
      notReplayed: [],
    },
    passed: true,
  });
});

/** The window's requests of one key, in a spool, as --verify reads them. */
async function spoolOf(keyId: string): Promise<Spool> {
  const spool = new Spool(4);
  for await (const entry of streamLogs(client.apiKeys, keyId, {
    start: 0,
    end: Date.now() + 365 * 86_400_000,
  })) {
    spool.add(entry);
  }
  return spool;
}

test("the replay catches a suggestion that is too tight, and reports denied requests a looser one would admit", async () => {
  const storefront = keyOf(report, "storefront");
  const key = await client.apiKeys.get(ids.storefront);
  const spool = await spoolOf(ids.storefront);
  try {
    const suggestion = storefront.suggestion!;
    const tight = {
      ...suggestion,
      restrictions: {
        ...suggestion.restrictions,
        ipAddresses: suggestion.restrictions.ipAddresses!.filter((network) => network !== "10.1.2.4/32"),
        rateLimit: { requests: 4, period: "second" as const },
      },
    };
    const failed = await verifySuggestion(key, tight, spool);
    expect(failed).toMatchObject({
      replayed: 13,
      admitted: 11,
      refused: [
        { value: "ip_not_allowed", requests: 1 },
        { value: "rate_limited", requests: 1 },
      ],
      passed: false,
    });

    const loose = {
      ...suggestion,
      restrictions: {
        ...suggestion.restrictions,
        ipAddresses: [...suggestion.restrictions.ipAddresses!, "198.51.100.0/24"],
      },
    };
    const widened = await verifySuggestion(key, loose, spool);
    expect(widened.passed).toBe(true);
    expect(widened.denied.nowAdmitted).toEqual([{ value: "ip_not_allowed", requests: 2 }]);
  } finally {
    spool.close();
  }
});

test("a bound key: the projects it used, and requests refused outside them; an unused key gets no suggestion", () => {
  const ingest = keyOf(report, "ingest");
  expect(ingest.admitted.projects).toEqual([
    { value: "shop", requests: 4 },
    { value: "blog", requests: 1 },
  ]);
  expect(ingest.suggestion).toMatchObject({ scopes: ["events:read"], projects: ["blog", "shop"] });
  expect(ingest.findings.find((finding) => finding.kind === "outside-projects")!.text).toBe(
    "Requests outside the declared projects `shop`, `blog`: 2 refused with `project_not_allowed` (`admin` 2); 1 refused with `project_required` (no project 1).",
  );
  expect(ingest.verification).toMatchObject({ replayed: 5, admitted: 5, passed: true });
  expect(ingest.verification!.denied.stillDenied).toEqual([
    { value: "project_not_allowed", requests: 2 },
    { value: "project_required", requests: 1 },
  ]);

  const reports = keyOf(report, "reports");
  expect(reports.activity.requests).toBe(0);
  expect(reports.suggestion).toBeNull();
  expect(reports.verification).toBeNull();
  expect(reports.findings).toEqual([
    {
      kind: "unused-key",
      text: "No request in the last 30 days (never used): delete the key, or keep it only for a job that runs less often.",
    },
  ]);
});

test("keys from a stack export: what the program declares is compared with what the key admitted", async () => {
  const stack = targetsFromStackExport({
    deployment: {
      resources: [
        {
          urn: "urn:pulumi:prod::shop::pulumi-nodejs:dynamic/admindo:ApiKey::storefront",
          type: "pulumi-nodejs:dynamic/admindo:ApiKey",
          id: ids.storefront,
          inputs: { scopes: KEYS.storefront.scopes, restrictions: { ipAddresses: ["203.0.113.0/24"] } },
          outputs: {
            keyId: ids.storefront,
            key: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" },
          },
        },
        {
          urn: "urn:pulumi:prod::shop::pulumi-nodejs:dynamic/admindo:ApiKey::gone",
          type: "pulumi-nodejs:dynamic/admindo:ApiKey",
          id: "key_doesNotExist000000",
          outputs: { keyId: "key_doesNotExist000000" },
        },
      ],
    },
  });
  const fromStack = await runAudit({ apiKeys: client.apiKeys, targets: stack });
  expect(fromStack.source).toEqual({ kind: "stack-export", stack: "prod", project: "shop" });
  expect(fromStack.unavailable).toEqual([
    {
      keyId: "key_doesNotExist000000",
      resource: { urn: expect.stringContaining("::gone"), name: "gone" },
      reason: "not found (deleted, or never created)",
    },
  ]);
  const storefront = fromStack.keys[0];
  expect(storefront.resource?.name).toBe("storefront");
  expect(storefront.findings.find((finding) => finding.kind === "refused-by-declared")!.text).toBe(
    "The program declares ipAddresses that differ from the key's: they would have refused 3 of 5 addresses seen (9 requests of 13): `10.1.2.3/32`, `2001:db8:1:2::/64`, `10.1.2.4/32`.",
  );
});

test("no output format holds a secret, the Referer's credentials, path or query", () => {
  for (const format of ["json", "markdown", "text"] as const) {
    const output = renderAudit(report, { format, color: format === "text", secrets: [auditorKey] });
    for (const secret of [...Object.values(secrets), auditorKey, CREDENTIAL_REFERER, ...REFERER_SECRETS]) {
      expect({ format, leaked: output.includes(secret) ? secret.slice(0, 6) : null }).toEqual({
        format,
        leaked: null,
      });
    }
    expect(output).not.toMatch(/adk_[0-9A-Za-z]{6,}/);
    expect(output).toContain("shop.example.com");
  }
});

test("the log is read in time slices: the same entries, in the same order, as plain pagination", async () => {
  const window = { start: Date.parse("2026-02-01T00:00:00Z"), end: Date.parse("2026-03-08T00:00:00Z") };
  const timeRange = { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() };
  const plain: LogEntry[] = [];
  for await (const entry of paginate(
    (page: { offset?: number }) => client.apiKeys.getLogs(ids.storefront, { timeRange, limit: 7, ...page }),
    {},
  ))
    plain.push(entry);
  const totals: number[] = [];
  const sliced: LogEntry[] = [];
  for await (const entry of streamLogs(client.apiKeys, ids.storefront, window, {
    pageSize: 3,
    sliceLimit: 4,
    onTotal: (total) => totals.push(total),
  }))
    sliced.push(entry);
  expect(plain).toHaveLength(22);
  expect(sliced.map((entry) => entry.id)).toEqual(plain.map((entry) => entry.id));
  expect(totals).toEqual([22]);
});

test("a rate-limited credential reads every page: the client waits as Retry-After says", async () => {
  const limited = await emu.createKey({
    name: "limited auditor",
    scopes: ["admin:read"],
    restrictions: { rateLimit: { requests: 3, period: "second" } },
  });
  const slow = createAdminClient({ baseUrl: url, apiKey: limited.key, maxRetries: 6 });
  try {
    const window = { start: Date.parse("2026-02-01T00:00:00Z"), end: Date.parse("2026-03-08T00:00:00Z") };
    let count = 0;
    for await (const _ of streamLogs(slow.apiKeys, ids.storefront, window, { pageSize: 4 })) count++;
    expect(count).toBe(22);
    const refused = await client.apiKeys.getLogs(limited.id, { status: 429, limit: 1 });
    expect(refused.total).toBeGreaterThan(0);
  } finally {
    await slow.close();
  }
}, 60_000);
