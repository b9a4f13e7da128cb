import path from "node:path";
import { createAdminClient } from "../../client";
import type { TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { stepsOfType } from "./programs";
import { useEmulator } from "./session";

/**
 * In-place rotation with an overlap window (rotationOverlap) through the real CLI:
 * test/e2e/fixtures/rotation-overlap holds a partner key whose referrer restriction is owned by an
 * ApiKeyRestrictions, and a probe resource that uses the key in the same update that rotates it.
 * The overlap is ended with the emulator's clock, so nothing here waits for it.
 */

const PROGRAM = path.join(__dirname, "fixtures/rotation-overlap");
const REFERRER = "https://partner.example.com/";

const emulator = useEmulator();
const { scan } = emulator;
let functionId: string;

beforeAll(async () => {
  // Functions belong to an organization: the test function is acme's, like the partner key.
  const author = await emulator.client.apiKeys.create({
    name: "author",
    organization: "acme",
    scopes: ["functions:write"],
  });
  const asAuthor = createAdminClient({ baseUrl: emulator.url, apiKey: author.key });
  functionId = (
    await asAuthor.functions.create({
      name: "greet",
      code: "return { greeting: `Hello, ${input.name}!` }",
    })
  ).id;
  await asAuthor.close();
  await emulator.client.apiKeys.delete(author.id);
}, 60_000);

function partnerStack(config: Record<string, string>): Promise<TestStack> {
  return emulator.stack(PROGRAM, { config });
}

/** Stack outputs with the secrets, which the leak scan then looks for everywhere else. */
async function outputs(stack: TestStack): Promise<Record<string, string>> {
  const values = (await stack.outputs({ showSecrets: true })) as Record<string, string>;
  scan.secret(values.secret);
  return values;
}

/** Executes the test function with `secret` from the partner's site: the HTTP status and error code. */
async function execute(secret: string): Promise<string> {
  const response = await fetch(`${emulator.url}/functions/${functionId}/execute`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, referer: REFERRER, "content-type": "application/json" },
    body: JSON.stringify({ name: "Partner" }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return `${response.status}${body.error ? ` ${body.error.code}` : ""}`;
}

async function advanceEmulatorClock(advance: string): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator/clock`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.rootKey}`, "content-type": "application/json" },
    body: JSON.stringify({ advance }),
  });
  expect(response.status).toBe(200);
  await response.arrayBuffer();
}

/** Requests that set a key's restrictions, as the emulator logged them so far. */
const restrictionWrites = () =>
  (emulator.output().match(/"method":"PUT","url":"\/api-keys\/[^"]+\/restrictions"/g) ?? []).length;

test("a triggered rotation with an overlap is an in-place update: same keyId, new secret, dependents updated, restrictions in force, both secrets work until the overlap ends", async () => {
  const stack = await partnerStack({ overlap: "1h", generation: "1" });
  await stack.up();
  const first = await outputs(stack);
  expect(first.rotatedAt).toBeUndefined();
  expect(await execute(first.secret)).toBe("200");

  await stack.setConfig("generation", "2");
  const preview = await stack.preview({ json: true });
  const keyStep = stepsOfType(preview.json, "ApiKey")[0] as unknown as {
    op: string;
    diffReasons?: string[];
    newState?: { inputs?: Record<string, unknown> };
  };
  expect(keyStep.op).toBe("update");
  expect(keyStep.diffReasons).toEqual(expect.arrayContaining(["rotation", "rotationTriggers"]));
  expect(keyStep.newState?.inputs?.rotation).toMatchObject({ reason: "rotationTriggers" });
  // The restrictions stay with the key: never replaced (their keyId is merely unknown in preview).
  expect(stepsOfType(preview.json, "ApiKeyRestrictions").map((step) => step.op)).not.toContain("replace");
  const text = await stack.preview({ diff: true });
  expect(text.stdout).toMatch(/~ rotation\s*: \{/);
  expect(text.stdout).toMatch(/reason\s*: "created" => "rotationTriggers"/);

  const writesBefore = restrictionWrites();
  await stack.up();
  const second = await outputs(stack);
  expect(second.keyId).toBe(first.keyId);
  expect(second.prefix).not.toBe(first.prefix);
  expect(second.secret).not.toBe(first.secret);
  expect(second.probeKeyPrefix).toBe(second.prefix);
  // Restrictions were in force from the rotated secret's first use, and nobody had to re-apply them.
  expect(second.probeWithoutReferrer).toBe("403 referrer_not_allowed");
  expect(second.probeAllowed).toBe("200");
  expect(restrictionWrites()).toBe(writesBefore);
  expect((await emulator.client.apiKeys.get(second.keyId)).restrictions).toMatchObject({
    referrers: ["partner.example.com"],
  });
  expect(Date.parse(second.previousKeyExpiresAt) - Date.parse(second.rotatedAt)).toBe(3_600_000);

  // During the overlap both secrets work; after it only the new one.
  expect(await execute(first.secret)).toBe("200");
  expect(await execute(second.secret)).toBe("200");
  await advanceEmulatorClock("61m");
  expect(await execute(first.secret)).toBe("401 unauthenticated");
  expect(await execute(second.secret)).toBe("200");

  // Nothing left to do.
  const after = await stack.preview({ json: true });
  expect(stepsOfType(after.json, "ApiKey")[0]?.op ?? "same").toBe("same");
}, 400_000);

test("preview rejects an overlap that would stack, naming the field and the rule, with every problem of the key at once", async () => {
  const stack = await partnerStack({});
  // (The engine stops at the first resource whose check fails, so "every problem" is per resource.)
  stack.writeFile(
    "index.ts",
    `import { ApiKey } from "pulumi-admindo";
new ApiKey("lead", { organization: "acme", scopes: ["functions:*"], expiresIn: "30d", rotateBeforeExpiry: "20d",
  rotationPeriod: "7d", rotationOverlap: "12d" });
`,
  );
  const preview = await stack.preview({ check: false });
  const text = (preview.stdout + preview.stderr).replace(/\s+/g, " ");
  expect(preview.code).not.toBe(0);
  for (const expected of [
    /property scopes\[0\] .* has a problem: unknown scope "functions:\*"/,
    /property rotationOverlap value \{12d\} has a problem: must be shorter than rotationPeriod \(7d\): the next rotation would come while the previous secret still works, and two overlaps would stack/,
    /property rotationOverlap value \{12d\} has a problem: must be shorter than the time between rotations, expiresIn - rotateBeforeExpiry \(30d - 20d = 10d\): two overlaps would stack/,
  ]) {
    expect(text).toMatch(expected);
  }
  const names = (await emulator.client.apiKeys.list({ organization: "acme", limit: 100 })).data.map(
    (key) => key.name,
  );
  expect(names).not.toContain("lead");
}, 240_000);

test("a key rotated outside Pulumi is seen at refresh, and the next up rotates it again so that state holds a working secret", async () => {
  const stack = await partnerStack({ overlap: "1h" });
  await stack.up();
  const first = await outputs(stack);
  // Someone rotates the key in the console, without a grace period: the secret in state dies.
  const outside = await emulator.client.apiKeys.rotate(first.keyId, {});
  scan.secret(outside.key);
  expect(await execute(first.secret)).toBe("401 unauthenticated");

  // Without a refresh nothing is known about it (diff makes no API calls).
  expect(stepsOfType((await stack.preview({ json: true })).json, "ApiKey")[0]?.op ?? "same").toBe("same");
  const refresh = await stack.refresh();
  expect(refresh.stdout).toMatch(/~ .*partner .*update/);
  const refreshed = (await stack.exportState()).deployment.resources!.find((resource) =>
    resource.type.endsWith("admindo:ApiKey"),
  )!;
  expect(refreshed.outputs?.prefix).toBe(outside.prefix);

  const preview = await stack.preview({ json: true });
  expect(stepsOfType(preview.json, "ApiKey")[0]?.op).toBe("update");
  await stack.up();
  const repaired = await outputs(stack);
  expect(repaired.keyId).toBe(first.keyId);
  expect(repaired.secret).not.toBe(first.secret);
  expect(repaired.secret).not.toBe(outside.key);
  expect(repaired.probeKeyPrefix).toBe(repaired.prefix);
  expect(await execute(repaired.secret)).toBe("200");
  // The console's secret gets the overlap like any previous secret; the one state lost stays dead.
  expect(await execute(outside.key)).toBe("200");
  expect(await execute(first.secret)).toBe("401 unauthenticated");
  expect(stepsOfType((await stack.preview({ json: true })).json, "ApiKey")[0]?.op ?? "same").toBe("same");
}, 400_000);

leakScanTest(scan, { minSecrets: 5 });
