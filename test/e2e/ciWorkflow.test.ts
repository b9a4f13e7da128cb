import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PASSPHRASE, type TestStack } from "./harness";
import { createInstalledStack, packTarball } from "./installed";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";
import { readWorkflow, runJob, type JobOptions, type JobRun } from "./workflow";

/**
 * The GitHub Actions workflow users copy (examples/ci/pulumi-admindo.yml), its `run:` steps
 * executed here in a repository like theirs: a program folder that installs pulumi-admindo from
 * the tarball (nothing of this checkout), the emulator as the Admin.do API, a file backend as
 * state, the secrets and variables the workflow's README asks for.
 */

const REPO = path.resolve(__dirname, "../..");
const WORKFLOW = readWorkflow(path.join(REPO, "examples/ci/pulumi-admindo.yml"));

/** Two keys that pass the pack's mandatory rules; "rotating" reaches its rotation point 10 s after creation. */
function program(options: { callerScopes?: string; callerIps?: string; description?: string } = {}): string {
  return `import { ApiKey } from "pulumi-admindo";

const restricted = (ip: string) => ({ ipAddresses: [ip], rateLimit: { requests: 100, period: "minute" as const } });

const caller = new ApiKey("caller", {
  organization: "acme",
  description: ${JSON.stringify(options.description ?? "calls functions")},
  scopes: ${options.callerScopes ?? '["functions:read", "functions:execute"]'},
  projects: ["storefront"],
  restrictions: restricted(${JSON.stringify(options.callerIps ?? "10.20.0.0/16")}),
  expiresIn: "30d",
  rotateBeforeExpiry: "7d",
});

const rotating = new ApiKey("rotating", {
  organization: "acme",
  scopes: ["functions:read"],
  projects: ["storefront"],
  expiresIn: "3600s",
  rotateBeforeExpiry: "3590s",
});

export const callerId = caller.keyId;
export const rotatingId = rotating.keyId;
`;
}

const emulator = useEmulator();
const { scan } = emulator;
let workspace: string;
let stack: TestStack;
let base: JobOptions;

beforeAll(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), "admindo-repo-"));
  const tarball = packTarball(workspace);
  const template = mkdtempSync(path.join(workspace, "infra-"));
  writeFileSync(
    path.join(template, "package.json"),
    JSON.stringify({ name: "infra", private: true, main: "index.ts" }),
  );
  writeFileSync(path.join(template, "Pulumi.yaml"), "name: infra\nruntime: nodejs\n");
  writeFileSync(path.join(template, "index.ts"), program());
  // No admindo:* stack config: the workflow's ADMINDO_API_KEY / ADMINDO_BASE_URL are the fallbacks.
  stack = emulator.adopt(await createInstalledStack(template, { tarball, root: workspace }));
  base = {
    workspace,
    env: stack.env,
    overrides: { PROGRAM_DIR: path.relative(workspace, stack.workDir), PULUMI_STACK: stack.name },
    secrets: { ADMINDO_API_KEY: emulator.rootKey, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
    vars: { PULUMI_BACKEND_URL: stack.env.PULUMI_BACKEND_URL!, ADMINDO_BASE_URL: emulator.url },
  };
}, 300_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function record(run: JobRun): JobRun {
  for (const step of run.steps)
    stack.transcript.push(`# workflow step ${step.name}\n${step.stdout}\n${step.stderr}`);
  stack.transcript.push(`# step summary\n${run.summary}`);
  return run;
}

const deploy = async (event: string, secrets: Record<string, string> = {}) =>
  record(
    await runJob(WORKFLOW, "deploy", {
      ...base,
      secrets: { ...base.secrets, ...secrets },
      context: { "github.event_name": event },
    }),
  );

const review = async (approved: boolean) =>
  record(
    await runJob(WORKFLOW, "review", {
      ...base,
      context: {
        "github.event_name": "pull_request",
        "contains(github.event.pull_request.labels.*.name, env.APPROVAL_LABEL)": String(approved),
      },
    }),
  );

const step = (run: JobRun, name: RegExp) => run.steps.find((s) => name.test(s.name))!;
const outputsOf = async () => (await stack.outputs()) as { callerId: string; rotatingId: string };

test("deploy on push: npm ci, then pulumi up with the installed policy pack creates the keys", async () => {
  const run = await deploy("push");
  expect(run.failed).toBe(false);
  const up = step(run, /^pulumi up/);
  expect(up.skipped).toBe(false);
  expect(up.stdout).toMatch(/Policies:[\s\S]*admindo-api-keys/);
  const { callerId } = await outputsOf();
  await expect(emulator.client.apiKeys.get(callerId)).resolves.toMatchObject({ status: "active" });
}, 600_000);

test("review of an escalating pull request: the comment names the escalations and the check fails unless approved", async () => {
  stack.writeFile(
    "index.ts",
    program({
      callerScopes: '["functions:read", "functions:execute", "admin:write"]',
      callerIps: "0.0.0.0/0",
    }),
  );
  const run = await review(false);
  const comment = readFileSync(path.join(run.temp, "review.md"), "utf8");
  expect(comment).toContain("<!-- admindo-review -->");
  expect(comment).toMatch(/privileged-scope-granted/);
  expect(comment).toMatch(/\*\*Policy pack:\*\* failed/);
  expect(comment).toMatch(/admin-scopes-need-approval/);
  expect(run.summary).toContain("<!-- admindo-review -->");
  const enforce = step(run, /^Enforce/);
  expect(enforce.code).toBe(1);
  expect(enforce.stdout).toMatch(/::error::pulumi preview failed/);
  expect(enforce.stdout).toMatch(/::error::This change escalates API key access/);
}, 600_000);

test("review of a harmless pull request passes", async () => {
  stack.writeFile("index.ts", program({ description: "calls the greeting function" }));
  const run = await review(false);
  expect(run.failed).toBe(false);
  expect(readFileSync(path.join(run.temp, "review.md"), "utf8")).toMatch(/\*\*Policy pack:\*\* passed/);
}, 600_000);

test("the scheduled run rotates a key past its rotation point and leaves the others", async () => {
  const before = await outputsOf();
  // "rotating" was created in the first test, more than 10 s ago.
  const run = await deploy("schedule");
  expect(run.failed).toBe(false);
  const after = await outputsOf();
  expect(after.callerId).toBe(before.callerId);
  expect(after.rotatingId).not.toBe(before.rotatingId);
  await expect(emulator.client.apiKeys.get(before.rotatingId)).rejects.toMatchObject({ status: 404 });
  expect(step(run, /^Alert/).skipped).toBe(true);
}, 600_000);

test("a failed scheduled run reaches the alert step; a failed push does not", async () => {
  const scheduled = await deploy("schedule", { ADMINDO_API_KEY: "adk_notAValidKey0123456789" });
  expect(step(scheduled, /^pulumi up/).code).not.toBe(0);
  expect(step(scheduled, /^Alert/).conditionMet).toBe(true);
  const pushed = await deploy("push", { ADMINDO_API_KEY: "adk_notAValidKey0123456789" });
  expect(step(pushed, /^Alert/).conditionMet).toBe(false);
}, 600_000);

leakScanTest(scan, { minSecrets: 3 });
