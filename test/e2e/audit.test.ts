import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { createAdminClient, type AdminClient, type Restrictions } from "pulumi-admindo/client";
import { startEmulator, type RunningEmulator } from "pulumi-admindo/emulator";
import { AuditReportSchema, type AuditReport, type KeyAudit } from "../../audit/model";
import {
  CREDENTIAL_REFERER,
  KEYS,
  freezableClock,
  mondayAfter,
  scenario,
  send,
  type CallResult,
} from "../audit/traffic";
import { createStack, runProcess, type TestStack } from "./harness";
import { LeakScan, leakScanTest } from "./leakScan";
import { readWorkflow, runJob } from "./workflow";

/*
 * fastify's inject() (the traffic below comes from chosen client addresses) loads cookie@2, an ES
 * module jest can require only from Node 24.9; it is used only for the `cookies` option, which
 * this file never passes (see test/emulator/helpers.ts).
 */
jest.mock("cookie", () => ({
  stringifySetCookie: () => {
    throw new Error("inject({ cookies }) is not used here");
  },
}));

/**
 * admindo-audit through the real Pulumi CLI: a stack's keys are deployed, used by generated
 * traffic (IPv4, IPv6 and IPv4-mapped clients, several projects, a Referer with credentials,
 * denials of every kind), audited from `pulumi stack export` with the built CLI (the package's
 * `admindo-audit` bin) and --verify, the suggestions are applied in the program, `pulumi up`
 * succeeds, and the same traffic replayed against the narrowed keys still passes.
 */

const REPO = path.resolve(__dirname, "../..");
const AUDIT_CLI = path.join(REPO, "dist/audit/cli.js");
const REVIEW_CLI = path.join(REPO, "dist/review/cli.js");
const PROGRAM = path.join(__dirname, "fixtures/audit-keys");
const TIMEOUT = 300_000;

let emulator: RunningEmulator;
let root: AdminClient;
let stack: TestStack;
let auditor: string;
let traffic: CallResult[];
let ids: Record<string, string>;
const week = mondayAfter(new Date());
const time = freezableClock();
const scan = new LeakScan();

beforeAll(async () => {
  if (!existsSync(AUDIT_CLI)) throw new Error(`${AUDIT_CLI} is missing: run \`npm run build\` first`);
  emulator = await startEmulator({ port: 0, clock: time.clock });
  root = createAdminClient({ baseUrl: emulator.url, apiKey: emulator.rootKey });
  auditor = (await root.apiKeys.create({ name: "auditor", organization: "acme", scopes: ["admin:read"] }))
    .key;
  scan.secret(emulator.rootKey, auditor, "hunter2-referer-pass", "session=topsecret");
  stack = scan.stack(
    await createStack(PROGRAM, {
      config: { "admindo:baseUrl": emulator.url },
      secrets: { "admindo:apiKey": emulator.rootKey },
    }),
  );
  stack.writeFile("keys.json", JSON.stringify(KEYS, null, 2));
  await stack.up();
  const outputs = await stack.outputs({ showSecrets: true });
  ids = outputs.keyIds as Record<string, string>;
  time.freeze();
  traffic = await send(emulator, outputs.secrets as Record<string, string>, scenario(week));
  time.thaw();
  // The audit runs on the Saturday afternoon of that week.
  emulator.clock.set(new Date(Date.parse(`${week}T15:00:00Z`) + 5 * 86_400_000));
}, TIMEOUT);

afterAll(async () => {
  await stack?.cleanup();
  await root?.close();
  await emulator?.close();
});

let audits = 0;
/** `pulumi stack export | node dist/audit/cli.js <args>` in the stack's directory, with the read-only key. */
async function auditStack(args: string[]) {
  const command = `set -o pipefail; pulumi stack export | node ${JSON.stringify(AUDIT_CLI)} ${args.join(" ")}`;
  const result = await runProcess("bash", ["-c", command], {
    cwd: stack.workDir,
    env: { ...stack.env, ADMINDO_API_KEY: auditor, ADMINDO_BASE_URL: emulator.url },
    timeoutMs: TIMEOUT,
  });
  scan.text(`${command} (#${++audits})`, `${result.stdout}\n${result.stderr}`);
  return result;
}

/** Restrictions as sets, with the default time zone spelt out (the provider drops "UTC"). */
function comparable(restrictions: Restrictions) {
  const window = restrictions.timeRestrictions;
  return {
    ...restrictions,
    ipAddresses: [...(restrictions.ipAddresses ?? [])].sort(),
    referrers: [...(restrictions.referrers ?? [])].sort(),
    ...(window && { timeRestrictions: { ...window, timezone: window.timezone ?? "UTC" } }),
  };
}

const keyOf = (report: AuditReport, name: string) =>
  report.keys.find((key) => key.resource?.name === name) as KeyAudit;

let report: AuditReport;

test(
  "a stack's keys audited from `pulumi stack export`, with --verify: usage, unused and refused scopes, suggestions that pass their replay",
  async () => {
    const result = await auditStack([
      "--format",
      "json",
      "--verify",
      "--ipv4-prefix",
      "32",
      "-o",
      "audit.json",
    ]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: "" });
    report = AuditReportSchema.parse(
      JSON.parse(readFileSync(path.join(stack.workDir, "audit.json"), "utf8")),
    );
    expect(report.source).toEqual({ kind: "stack-export", stack: "test", project: "e2e-audit-keys" });
    expect(report.keys.map((key) => key.resource?.name).sort()).toEqual(["ingest", "reports", "storefront"]);
    expect(report.summary).toMatchObject({
      keys: 3,
      unused: 1,
      withMissingScopes: 1,
      verified: 2,
      verificationFailed: 0,
    });

    const storefront = keyOf(report, "storefront");
    expect(storefront.keyId).toBe(ids.storefront);
    expect([...storefront.declared!.scopes!].sort()).toEqual([...KEYS.storefront.scopes].sort());
    expect(storefront.scopes.unused).toEqual(["data:read", "workflows:write"]);
    expect(storefront.scopes.missing.map((item) => [item.scope, item.requests])).toEqual([
      ["workflows:execute", 3],
    ]);
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
    expect(storefront.verification).toMatchObject({ replayed: 13, admitted: 13, passed: true });
    expect(storefront.verification!.denied.nowAdmitted).toEqual([]);
    expect(keyOf(report, "ingest").verification).toMatchObject({ replayed: 5, admitted: 5, passed: true });
    expect(keyOf(report, "reports").findings.map((finding) => finding.kind)).toEqual(["unused-key"]);

    const markdown = await auditStack(["--format", "markdown", "--fail-on-unused"]);
    expect(markdown.code).toBe(2);
    expect(markdown.stderr).toBe(
      "admindo-audit: 3 keys are unused or hold unused scopes (--fail-on-unused)\n",
    );
    expect(markdown.stdout).toContain("| `storefront` | 22 | 9 |");
    expect(markdown.stdout).toContain("`workflows:execute` was refused 3 times");
    expect(markdown.stdout).not.toContain(CREDENTIAL_REFERER.split("@")[0]);
  },
  TIMEOUT,
);

test(
  "the example workflow's audit step (examples/ci/admindo-audit.yml) reports to the job summary and keeps the JSON",
  async () => {
    const workflow = readWorkflow(path.join(REPO, "examples/ci/admindo-audit.yml"));
    const job = workflow.jobs.audit;
    // Its `npm ci` would install the program's dependencies; here they are the checkout's.
    const steps = job.steps.filter((step) => step.run !== undefined && step.run !== "npm ci");
    const run = await runJob({ ...workflow, jobs: { audit: { ...job, steps } } }, "audit", {
      workspace: path.dirname(stack.workDir),
      env: stack.env,
      overrides: { PROGRAM_DIR: path.basename(stack.workDir), PULUMI_STACK: stack.name },
      secrets: { ADMINDO_AUDIT_API_KEY: auditor },
      vars: { PULUMI_BACKEND_URL: stack.env.PULUMI_BACKEND_URL!, ADMINDO_BASE_URL: emulator.url },
      context: { "inputs.window || '30d'": "30d" },
    });
    scan.text(
      "admindo-audit.yml job",
      [run.summary, ...run.steps.map((step) => `${step.stdout}\n${step.stderr}`)].join("\n"),
    );
    expect(run.steps.map((step) => [step.name, step.skipped, step.code])).toEqual([
      ["Log in to the state backend", false, 0],
      ["Audit the stack's keys", false, 0],
    ]);
    expect(readFileSync(path.join(run.temp, "audit.md"), "utf8")).toBe(run.summary);
    expect(run.summary).toContain("### Admin.do API key usage audit");
    const fromCi = AuditReportSchema.parse(
      JSON.parse(readFileSync(path.join(run.temp, "audit.json"), "utf8")),
    );
    expect(fromCi.summary.withUnusedScopes).toBe(3);
  },
  TIMEOUT,
);

test(
  "admindo-review --usage: the preview of the suggestions, annotated with what the keys did",
  async () => {
    const command = `set -o pipefail; pulumi preview --json --non-interactive | node ${JSON.stringify(REVIEW_CLI)} --usage audit.json --format markdown`;
    const result = await runProcess("bash", ["-c", command], {
      cwd: stack.workDir,
      env: stack.env,
      timeoutMs: TIMEOUT,
    });
    scan.text(command, `${result.stdout}\n${result.stderr}`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "> Usage in the last 30 days (admindo-audit): `data:read`, removed here, was unused for 30 days.",
    );
    expect(result.stdout).toContain(
      "> Usage in the last 30 days (admindo-audit): `events:trigger`, removed here, was unused for 30 days.",
    );
  },
  TIMEOUT,
);

test(
  "the suggestions applied in the program: `pulumi up` narrows the keys in place, and the same traffic still passes",
  async () => {
    await stack.up();
    for (const name of ["storefront", "ingest"]) {
      const suggestion = keyOf(report, name).suggestion!;
      const key = await root.apiKeys.get(ids[name]);
      expect({ name, scopes: [...key.scopes].sort(), projects: [...key.projects].sort() }).toEqual({
        name,
        scopes: [...suggestion.scopes].sort(),
        projects: suggestion.projects,
      });
      expect(comparable(key.restrictions)).toEqual(comparable(suggestion.restrictions));
    }
    const outputs = await stack.outputs({ showSecrets: true });
    // In place: same ids, same secrets.
    expect(outputs.keyIds).toEqual(ids);
    time.freeze();
    const again = await send(emulator, outputs.secrets as Record<string, string>, scenario(week), {
      check: false,
    });
    time.thaw();
    const outcome = (result: CallResult) => (result.outcome === "admitted" ? "admitted" : "denied");
    expect(again.map(outcome)).toEqual(traffic.map(outcome));
    expect(again.filter((result) => result.outcome === "admitted")).toHaveLength(18);
  },
  TIMEOUT,
);

test("the packed package ships the admindo-audit command", () => {
  const manifest = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
    bin: Record<string, string>;
  };
  expect(manifest.bin["admindo-audit"]).toBe("dist/audit/cli.js");
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8" }),
  ) as { files: { path: string }[] }[];
  const files = packed[0].files.map((file) => file.path);
  expect(files).toEqual(
    expect.arrayContaining(["dist/audit/cli.js", "dist/audit/index.d.ts", "examples/ci/admindo-audit.yml"]),
  );
});

leakScanTest(scan, { minSecrets: 5 });
