import { rmSync } from "node:fs";
import path from "node:path";
import type { TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { inventoryYaml, pluginSteps, programDir, REPO, stepOf, yamlProgram } from "./pluginPrograms";
import { useEmulator, type StackOptions } from "./session";

/**
 * The provider plugin (bin/pulumi-resource-admindo) through the real Pulumi CLI, running Pulumi
 * YAML programs against an emulator process: the repository's key inventory (Pulumi.yaml) from
 * create to destroy, bad input at preview, and the policy pack on YAML-declared keys.
 */

const emulator = useEmulator();
const { scan } = emulator;
const PACK = path.join(REPO, "policy-pack");
const DAY = 86_400_000;

async function yamlStack(yaml: string, options?: StackOptions): Promise<TestStack> {
  const dir = programDir(yaml);
  try {
    return await emulator.stack(dir, options);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A key's lifetime in days (its expiry is counted from when the provider decided it, just before creation). */
const lifetimeDays = (key: { createdAt: string; expiresAt: string | null }) =>
  (Date.parse(key.expiresAt!) - Date.parse(key.createdAt)) / DAY;

const keyNames = async () =>
  (await emulator.client.apiKeys.list({ limit: 100 })).data.map((key) => key.name).sort();

describe("the key inventory (Pulumi.yaml) through the plugin", () => {
  let stack: TestStack;
  let ids: Record<string, string>;

  test("up creates every key with its scopes, projects, restrictions and expiry", async () => {
    stack = await yamlStack(inventoryYaml());
    const up = await stack.up();
    for (const name of ["storefront", "ci-deployer", "analytics"])
      expect(up.stdout).toContain(`admindo:index:ApiKey ${name} created`);
    expect(up.stdout).toContain("admindo:index:ApiKeyRestrictions analytics-restrictions created");
    const outputs = (await stack.outputs({ showSecrets: true })) as Record<string, string>;
    scan.secret(outputs.storefrontKey);
    expect(outputs.storefrontKey).toMatch(/^adk_/);
    ids = {
      storefront: outputs.storefrontKeyId,
      "ci-deployer": outputs.ciDeployerKeyId,
      analytics: outputs.analyticsKeyId,
    };

    const storefront = await emulator.client.apiKeys.get(ids.storefront);
    expect(storefront).toMatchObject({
      name: "storefront",
      description: "Calls the greeting function from the storefront servers",
      organization: "acme",
      projects: ["storefront"],
      restrictions: { ipAddresses: ["10.20.0.0/16"], rateLimit: { requests: 600, period: "minute" } },
      status: "active",
    });
    expect([...storefront.scopes].sort()).toEqual(["functions:execute", "functions:read"]);
    expect(lifetimeDays(storefront)).toBeCloseTo(90, 3);
    // The secret the stack holds is the key's own.
    expect(outputs.storefrontKey.startsWith(storefront.prefix)).toBe(true);
    expect(outputs.storefrontKey.endsWith(storefront.lastFour)).toBe(true);

    const ci = await emulator.client.apiKeys.get(ids["ci-deployer"]);
    expect([...ci.scopes].sort()).toEqual(["workflows:read", "workflows:write"]);
    expect(ci.restrictions).toMatchObject({
      ipAddresses: ["203.0.113.0/24"],
      rateLimit: { requests: 60, period: "minute" },
      timeRestrictions: {
        daysOfWeek: expect.arrayContaining(["monday", "tuesday", "wednesday", "thursday", "friday"]),
        timezone: "Europe/Berlin",
      },
    });
    expect(lifetimeDays(ci)).toBeCloseTo(45, 3);

    // The analytics key's restrictions come from the ApiKeyRestrictions resource.
    const analytics = await emulator.client.apiKeys.get(ids.analytics);
    expect([...analytics.scopes].sort()).toEqual(["data:read", "events:read"]);
    expect(analytics.projects).toEqual(["analytics"]);
    expect(analytics.restrictions).toEqual({ referrers: ["dashboard.acme.example"] });
    expect(lifetimeDays(analytics)).toBeCloseTo(60, 3);
  }, 300_000);

  test("the secret is encrypted in state and masked in output", async () => {
    const { text, deployment } = await stack.exportState();
    const storefront = deployment.resources!.find((resource) => resource.urn.endsWith("::storefront"))!;
    expect(storefront.type).toBe("admindo:index:ApiKey");
    expect(storefront.outputs?.key).toMatchObject({ "4dabf18193072939515e22adb298388d": expect.any(String) });
    expect(text).not.toMatch(/adk_[0-9A-Za-z]{32}/);
    const shown = await stack.run(["stack", "output", "storefrontKey"]);
    expect(shown.stdout).toContain("[secret]");
    // (The leak scan at the end searches every transcript, state export, log and the emulator's log.)
  }, 120_000);

  test("a second preview shows no changes", async () => {
    const preview = await stack.run(["preview", "--expect-no-changes"]);
    expect(preview.code).toBe(0);
  }, 120_000);

  test("changed scopes and rate limit update the key in place: same keyId, same secret", async () => {
    const before = (await stack.outputs({ showSecrets: true })).storefrontKey;
    stack.writeFile(
      "Pulumi.yaml",
      inventoryYaml()
        .replace("scopes: [functions:read, functions:execute]", "scopes: [functions:read]")
        .replace("requests: 600", "requests: 1200"),
    );
    const preview = await stack.preview({ json: true });
    expect(stepOf(preview.json, "storefront").op).toBe("update");
    expect(pluginSteps(preview.json, "ApiKey").filter((step) => step.op !== "same")).toHaveLength(1);
    const diff = await stack.preview({ diff: true });
    expect(diff.stdout).toMatch(/~ scopes\s*: \[/);
    expect(diff.stdout).toMatch(/requests: 600 => 1200/);
    const up = await stack.up();
    expect(up.stdout).toMatch(/1 updated/);
    const after = (await stack.outputs({ showSecrets: true })) as Record<string, string>;
    expect(after.storefrontKeyId).toBe(ids.storefront);
    expect(after.storefrontKey).toBe(before);
    const key = await emulator.client.apiKeys.get(ids.storefront);
    expect(key.scopes).toEqual(["functions:read"]);
    expect(key.restrictions.rateLimit).toEqual({ requests: 1200, period: "minute" });
    await stack.run(["preview", "--expect-no-changes"]);
  }, 300_000);

  test("a change of organization replaces the keys: new keyIds, the old keys deleted", async () => {
    await stack.setConfig("organization", "globex");
    const preview = await stack.preview({ json: true });
    for (const name of ["storefront", "ci-deployer", "analytics"]) {
      expect(stepOf(preview.json, name)).toMatchObject({ op: "replace", replaceReasons: ["organization"] });
    }
    await stack.up();
    const after = (await stack.outputs({ showSecrets: true })) as Record<string, string>;
    scan.secret(after.storefrontKey);
    expect(after.storefrontKeyId).not.toBe(ids.storefront);
    for (const id of Object.values(ids)) {
      await expect(emulator.client.apiKeys.get(id)).rejects.toMatchObject({ code: "not_found" });
    }
    const analytics = await emulator.client.apiKeys.get(after.analyticsKeyId);
    expect(analytics.organization).toBe("globex");
    // The restrictions resource followed its key.
    expect(analytics.restrictions).toEqual({ referrers: ["dashboard.acme.example"] });
    ids = {
      storefront: after.storefrontKeyId,
      "ci-deployer": after.ciDeployerKeyId,
      analytics: after.analyticsKeyId,
    };
  }, 300_000);

  test("destroy deletes every key", async () => {
    const destroy = await stack.destroy();
    expect(destroy.stdout).toMatch(/- 5 deleted/);
    for (const id of Object.values(ids)) {
      await expect(emulator.client.apiKeys.get(id)).rejects.toMatchObject({ code: "not_found" });
    }
    expect(await keyNames()).toEqual([]);
  }, 300_000);
});

test("bad input fails at preview, naming the field and the rule, and creates nothing", async () => {
  const stack = await yamlStack(
    yamlProgram(
      "admindo-bad-input",
      `resources:
  broken:
    type: admindo:index:ApiKey
    properties:
      organization: acme
      scopes: [functions:read, functions:everything]
      expiresIn: banana
`,
    ),
  );
  const preview = await stack.preview({ check: false });
  const text = (preview.stdout + preview.stderr).replace(/\s+/g, " ");
  expect(preview.code).not.toBe(0);
  expect(text).toMatch(/scopes\[1\].*unknown scope "functions:everything"/);
  expect(text).toMatch(/expiresIn.* has a problem: .*duration/);
  const up = await stack.up({ check: false });
  expect(up.code).not.toBe(0);
  expect(await keyNames()).toEqual([]);
}, 240_000);

test("the policy pack rejects an admin key declared in YAML, naming the mandatory policies", async () => {
  const stack = await yamlStack(
    yamlProgram(
      "admindo-policy",
      `resources:
  ops-admin:
    type: admindo:index:ApiKey
    properties:
      organization: acme
      scopes: [admin:write]
`,
    ),
  );
  const preview = await stack.preview({ policyPack: PACK, check: false });
  const text = (preview.stdout + preview.stderr).replace(/\s+/g, " ");
  expect(preview.code).not.toBe(0);
  for (const policy of [
    "keys-must-expire",
    "admin-scopes-need-approval",
    "privileged-keys-need-ip-restrictions",
  ]) {
    expect(text).toMatch(new RegExp(`\\[mandatory\\] ${policy}|${policy}.*mandatory|mandatory.*${policy}`));
  }
  expect(text).toContain('API key "ops-admin" must expire within 90 days');
  expect(await keyNames()).toEqual([]);
}, 240_000);

leakScanTest(scan, { minSecrets: 3 });
