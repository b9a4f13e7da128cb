import path from "node:path";
import { SECRET_SIGNATURE } from "../../resource";
import { createStack, type TestStack } from "./harness";
import { LeakScan, leakScanTest } from "./leakScan";

/** Proof that the real Pulumi CLI, the Node.js language host and dynamic providers work here. */

const FIXTURES = path.join(__dirname, "fixtures");
const stacks: TestStack[] = [];
const scan = new LeakScan();
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.cleanup()));
});

async function stackFor(fixture: string, config: Record<string, string> = {}): Promise<TestStack> {
  const stack = await createStack(path.join(FIXTURES, fixture), { config });
  stacks.push(scan.stack(stack));
  return stack;
}

test("up creates a dynamic resource, a second preview shows no changes, destroy removes it", async () => {
  const stack = await stackFor("trivial");
  await stack.up();
  expect(await stack.outputs()).toEqual({ length: 5 });

  const preview = await stack.preview({ json: true });
  const summary = (preview.json as { changeSummary: Record<string, number> }).changeSummary;
  expect(summary).toEqual({ same: 2 });

  await stack.destroy();
  const { deployment } = await stack.exportState();
  expect(deployment.resources ?? []).toHaveLength(0);
}, 180_000);

test("an output listed in additionalSecretOutputs is encrypted in state and never printed", async () => {
  const stack = await stackFor("secret-output");
  await stack.up();
  const token = (await stack.outputs({ showSecrets: true })).token as string;
  expect(token).toMatch(/^tok_[0-9a-f]{32}$/);

  const { deployment } = await stack.exportState();
  const holder = deployment.resources!.find(
    (resource) => resource.type === "pulumi-nodejs:dynamic/e2e:TokenHolder",
  )!;
  expect(holder.outputs!.token).toEqual(
    expect.objectContaining({ [SECRET_SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270" }),
  );
  expect(holder.outputs!.tokenLength).toBe(36);

  await stack.preview({ diff: true });
  await stack.preview({ json: true });
  // Every command's output except `stack output --show-secrets`, which prints it on request.
  const printed = stack.transcript.filter((entry) => !entry.includes("--show-secrets"));
  expect(printed.join("\n")).not.toContain(token);
  expect((await stack.exportState()).text).not.toContain(token);
}, 180_000);

test("a mandatory policy violation fails preview with the violation listed; a compliant program passes", async () => {
  const pack = path.join(FIXTURES, "tiny-policy");
  const compliant = await stackFor("policy-compliant");
  const passed = await compliant.preview({ policyPack: pack });
  expect(passed.code).toBe(0);

  const violating = await stackFor("policy-compliant", { "e2e-policy:label": "rogue" });
  const failed = await violating.preview({ policyPack: pack, check: false });
  expect(failed.code).not.toBe(0);
  expect(failed.stdout + failed.stderr).toContain("label-must-be-approved");
  expect(failed.stdout + failed.stderr).toContain("Label must be 'approved', found 'rogue'.");
}, 180_000);

leakScanTest(scan);
