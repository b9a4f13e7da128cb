import { existsSync } from "node:fs";
import path from "node:path";
import { ReviewReportSchema, type ReviewReport } from "../../review/output/model";
import {
  assertNoPlaintextSecrets,
  captureScenario,
  deployedStack,
  ensurePulumiOnPath,
  futureExpiry,
  openSession,
  REPO,
  type CaptureSession,
} from "../review/capture/capture";
import { baseSpec, SCENARIOS, type ProgramSpec } from "../review/capture/scenarios";
import { runProcess, type TestStack } from "./harness";
import { LeakScan, leakScanTest } from "./leakScan";

/**
 * admindo-review on live output: the real Pulumi CLI previews changes to keys deployed in the
 * emulator, and the built CLI (dist/review/cli.js, the package's `admindo-review` bin) reviews
 * the fresh `pulumi preview --json`, piped exactly as CI pipes it.
 */

const CLI = path.join(REPO, "dist/review/cli.js");
const TIMEOUT = 300_000;

let session: CaptureSession;
let stack: TestStack;
let base: ProgramSpec;
const scan = new LeakScan();

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  ensurePulumiOnPath();
  session = await openSession();
  base = baseSpec(futureExpiry());
  stack = scan.stack(await deployedStack(session, base));
  scan.secret(session.emulator.rootKey, ...session.secrets);
}, TIMEOUT);

afterAll(async () => {
  await session?.close();
});

const scenario = (name: string) => SCENARIOS.find((item) => item.name === name)!;

let reviews = 0;
/** `pulumi preview --json | node dist/review/cli.js <args>` in the stack's directory. */
async function previewPipedToReview(args: string[]) {
  const command = `set -o pipefail; pulumi preview --json --non-interactive | node ${JSON.stringify(CLI)} ${args.join(" ")}`;
  const result = await runProcess("bash", ["-c", command], {
    cwd: stack.workDir,
    env: stack.env,
    timeoutMs: TIMEOUT,
  });
  scan.text(`${command} (#${++reviews})`, `${result.stdout}\n${result.stderr}`);
  return result;
}

test(
  "a fresh preview with escalations: Markdown for the pull request, exit 2 with --fail-on-escalation, no secret printed",
  async () => {
    stack.writeFile("spec.json", JSON.stringify(scenario("mixed").change(base)));
    const result = await previewPipedToReview(["--format", "markdown", "--fail-on-escalation"]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining("3 escalations found (--fail-on-escalation)"),
    });
    const markdown = result.stdout;
    expect(markdown).toContain("**⚠️ 3 escalations need an extra approval.**");
    expect(markdown).toContain(
      "| privileged-scope-granted | `ingest` (ApiKey, update) | grants privileged scopes `events:trigger` |",
    );
    expect(markdown).toContain(
      "| new-privileged-key | `auditor` (ApiKey, create) | new key with privileged scopes `admin:read` |",
    );
    expect(markdown).toContain("#### `reports` · ApiKey · delete");
    expect(markdown).toContain("| scopes | `- functions:execute` | stricter |");
    assertNoPlaintextSecrets([{ name: "markdown", json: markdown }], session.secrets);
  },
  TIMEOUT,
);

test(
  "JSON from a fresh capture validates against the documented schema and agrees with the text report",
  async () => {
    const capture = await captureScenario(stack, base, scenario("restrictions-resource-changed"));
    assertNoPlaintextSecrets([capture], session.secrets);
    const fromStdin = await runProcess("node", [CLI, "--format", "json"], {
      cwd: REPO,
      env: process.env,
      timeoutMs: 60_000,
      input: capture.json,
    });
    expect(fromStdin.code).toBe(0);
    const report: ReviewReport = ReviewReportSchema.parse(JSON.parse(fromStdin.stdout));
    expect(report.escalations.map((escalation) => [escalation.name, escalation.rule])).toEqual([
      ["ingest-network", "network-widened"],
      ["ingest-network", "rate-limit-raised"],
    ]);

    stack.writeFile("preview.json", capture.json);
    const text = await runProcess("node", [CLI, "preview.json", "--format", "text"], {
      cwd: stack.workDir,
      env: { ...process.env, NO_COLOR: "1" },
      timeoutMs: 60_000,
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("~  ingest-network  ApiKeyRestrictions of ingest  update");
    expect(text.stdout).toContain("IP ranges    + 10.0.0.0/8, - 10.20.0.0/16  [escalation]");
  },
  TIMEOUT,
);

test(
  "a change that only narrows access passes --fail-on-escalation",
  async () => {
    stack.writeFile("spec.json", JSON.stringify(scenario("ip-narrowed").change(base)));
    const result = await previewPipedToReview(["--format", "text", "--fail-on-escalation"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No escalations. 1 resource changes: 1 update.");
    expect(result.stdout).toContain("[stricter]");
  },
  TIMEOUT,
);

test(
  "adding rotationOverlap: the review reports an in-place rotation with its overlap, and it passes --fail-on-escalation",
  async () => {
    stack.writeFile("spec.json", JSON.stringify(scenario("overlap-adopted").change(base)));
    const result = await previewPipedToReview(["--format", "text", "--fail-on-escalation"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("No escalations. 1 resource changes: 1 update.");
    expect(result.stdout).toContain(
      "~  reports  ApiKey  update: rotates the secret in place: rotationOverlap was added",
    );
    expect(result.stdout).toContain("the previous secret keeps working for 24h.");
  },
  TIMEOUT,
);

leakScanTest(scan, { minSecrets: 2 });
