import { AuditReportSchema, type AuditReport, type KeyAudit } from "../../audit/model";
import { EXIT_ERROR, EXIT_OK, main, type CliIo } from "../../review/cli";
import { reviewText } from "../../review";
import { usageAnnotation } from "../../review/input/usageFile";
import { fixtureText, resource } from "./helpers";

/**
 * admindo-review --usage: captured previews (test/review/fixtures) annotated with an audit of the
 * same keys (their ids are the fixtures' ids), so each change states what it would have done to
 * the traffic the audit saw.
 */

const STOREFRONT = "key_dhM1NgDf6iTTvCIUIkKW";
const REPORTS = "key_SRav27ZUEWUKDeUO1OvL";
const INGEST = "key_XVCFTPEKIwDbmsfBtEDx";

const sources = (addresses: [string, number][] = []) => ({
  addresses: addresses.map(([value, requests]) => ({ value, requests })),
  projects: [],
  referrerHosts: [],
  more: 0,
});

function key(keyId: string, name: string, fields: Partial<KeyAudit>): KeyAudit {
  return {
    keyId,
    name,
    resource: null,
    organization: "acme",
    status: "active",
    lastUsedAt: null,
    granted: { scopes: [], projects: [], restrictions: {} },
    declared: null,
    activity: { requests: 0, admitted: 0, denied: 0, errors: 0, firstAt: null, lastAt: null, complete: true },
    usage: { byResource: [], byProject: [] },
    scopes: { used: [], unused: [], missing: [] },
    denials: [],
    admitted: { ...sources(), withoutReferrer: 0, truncated: false },
    rate: { peaks: { second: 0, minute: 0, hour: 0, day: 0 } },
    time: { timezone: "UTC", slots: [] },
    unknownOperations: 0,
    suggestion: null,
    findings: [],
    verification: null,
    ...fields,
  };
}

const tallies = (items: [string, number][]) => items.map(([value, requests]) => ({ value, requests }));

const audit: AuditReport = AuditReportSchema.parse({
  schemaVersion: 1,
  generatedAt: "2026-11-26T20:00:00.000Z",
  window: { start: "2026-11-19T20:00:00.000Z", end: "2026-11-26T20:00:00.000Z", label: "7 days" },
  options: { ipv4Prefix: 32, ipv6Prefix: 64, ratePeriod: "minute", timezone: "UTC" },
  source: { kind: "ids", stack: null, project: null },
  summary: {
    keys: 3,
    unused: 1,
    withUnusedScopes: 1,
    withMissingScopes: 1,
    requests: 1300,
    denied: 12,
    verified: 0,
    verificationFailed: 0,
  },
  keys: [
    key(STOREFRONT, "storefront", {
      activity: {
        requests: 1254,
        admitted: 1254,
        denied: 0,
        errors: 0,
        firstAt: null,
        lastAt: "2026-11-26T19:00:00.000Z",
        complete: true,
      },
      scopes: {
        used: [
          { scope: "functions:execute", requests: 1204, lastAt: "2026-11-26T19:00:00.000Z", operations: [] },
          { scope: "functions:read", requests: 50, lastAt: "2026-11-26T18:00:00.000Z", operations: [] },
        ],
        unused: [],
        missing: [],
      },
      admitted: {
        addresses: tallies([
          ["203.0.113.10/32", 1000],
          ["203.0.113.70/32", 100],
          ["203.0.113.200/32", 50],
          ["2001:db8:1:2::/64", 100],
          ["2001:db8:1:5::/64", 4],
        ]),
        projects: tallies([["storefront", 1254]]),
        referrerHosts: tallies([
          ["shop.example.com", 1250],
          ["admin.example.net", 4],
        ]),
        more: 0,
        withoutReferrer: 0,
        truncated: false,
      },
    }),
    key(REPORTS, "reports", {
      lastUsedAt: "2026-09-01T00:00:00.000Z",
      activity: {
        requests: 12,
        admitted: 0,
        denied: 12,
        errors: 12,
        firstAt: null,
        lastAt: null,
        complete: true,
      },
      scopes: {
        used: [],
        unused: ["data:read"],
        missing: [
          { scope: "functions:read", requests: 12, operations: [], sources: sources([["192.0.2.7/32", 12]]) },
        ],
      },
    }),
    key(INGEST, "ingest", {
      activity: {
        requests: 40,
        admitted: 40,
        denied: 0,
        errors: 0,
        firstAt: null,
        lastAt: null,
        complete: true,
      },
      admitted: { ...sources([["10.20.1.1/32", 40]]), withoutReferrer: 40, truncated: false },
      rate: { peaks: { second: 3, minute: 30, hour: 40, day: 40 } },
      time: {
        timezone: "UTC",
        slots: [
          { day: "friday", hour: 9, requests: 30 },
          { day: "saturday", hour: 10, requests: 10 },
        ],
      },
    }),
  ],
  unavailable: [],
});

function annotated(fixture: string) {
  return reviewText(fixtureText(fixture), {
    format: "markdown",
    now: new Date("2026-11-26T21:00:00Z"),
    annotate: usageAnnotation(JSON.stringify(audit)),
  });
}

test("a removed scope: how often it was used, or that it was unused", () => {
  const { report, output } = annotated("scope-removed");
  expect(resource(report, "storefront").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): `functions:execute`, removed here, was used 1,204 times (last at 2026-11-26T19:00:00.000Z); those calls will be refused.",
  ]);
  expect(output).toContain(
    "> Usage in the last 7 days (admindo-audit): `functions:execute`, removed here, was used 1,204 times",
  );
});

test("an added scope that requests were refused for lack of; a deleted key that was unused", () => {
  expect(resource(annotated("scope-added").report, "reports").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): `functions:read`, added here, was refused 12 times for lack of it (from `192.0.2.7/32`).",
  ]);
  expect(resource(annotated("key-deleted").report, "reports").notes).toContain(
    "Usage in the last 7 days (admindo-audit): unused (last used at 2026-09-01T00:00:00.000Z).",
  );
});

test("narrowed networks: how many of the addresses seen they would have refused", () => {
  expect(resource(annotated("ip-narrowed").report, "storefront").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): the new IP ranges would have refused 3 of 5 addresses seen (1,150 requests of 1,254): `203.0.113.10/32`, `203.0.113.200/32`, `2001:db8:1:2::/64`.",
  ]);
});

test("changed projects and referrers: the requests they would have refused", () => {
  expect(resource(annotated("projects-changed").report, "storefront").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): the new projects would have refused 1,254 requests of 1,254 (`storefront`).",
  ]);
  expect(resource(annotated("referrers-changed").report, "storefront").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): the new referrers would have refused 4 requests of 1,254 (`admin.example.net`).",
  ]);
});

test("restrictions of an ApiKeyRestrictions: a new time window that admitted traffic falls outside", () => {
  expect(resource(annotated("restrictions-resource-changed").report, "ingest-network").notes).toEqual([
    "Usage in the last 7 days (admindo-audit): the new time window would have refused 10 requests of 40, made outside it (UTC).",
  ]);
});

test("loosening changes and keys the audit does not cover get no usage note", () => {
  expect(resource(annotated("rate-limit-raised").report, "storefront").notes).toEqual([]);
  expect(resource(annotated("mixed").report, "auditor").notes.join("\n")).not.toContain("Usage");
});

test("the CLI: --usage <audit.json> annotates every format; a file that is not an audit is refused", async () => {
  const run = async (args: string[], file: string) => {
    const out = { stdout: "", stderr: "" };
    const io: CliIo = {
      stdin: async () => "",
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: {},
      writeFile: () => undefined,
      readFile: (path) => (path === "audit.json" ? file : fixtureText("scope-removed")),
    };
    return { code: await main(args, io), ...out };
  };
  const json = await run(
    ["preview.json", "--usage", "audit.json", "--format", "json"],
    JSON.stringify(audit),
  );
  expect(json.code).toBe(EXIT_OK);
  expect(JSON.parse(json.stdout).resources[0].notes[0]).toMatch(/was used 1,204 times/);
  const text = await run(
    ["preview.json", "--usage", "audit.json", "--format", "text"],
    JSON.stringify(audit),
  );
  expect(text.stdout).toContain("functions:execute, removed here, was used 1,204 times");

  const bad = await run(["preview.json", "--usage", "audit.json"], JSON.stringify({ schemaVersion: 2 }));
  expect(bad).toMatchObject({ code: EXIT_ERROR, stdout: "" });
  expect(bad.stderr).toMatch(
    /^admindo-review: --usage audit.json: not an admindo-audit report \(schemaVersion 1\)/,
  );
});
