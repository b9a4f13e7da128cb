import { readFileSync } from "node:fs";
import path from "node:path";
import type { StateResource, TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { changedSteps } from "./programs";
import { importFixtureState, useEmulator } from "./session";

/**
 * Stacks written by earlier releases upgrade to this version. Each fixture (fixtures/upgrade-<v>:
 * the program, its `pulumi stack export` and the emulator database it ran against) holds
 * serialized providers that `require()` the module paths that release wrote; those paths must keep
 * resolving to working code for every operation (preview, update, refresh, delete), forever.
 */

const RELEASES = [
  // Provider objects whose seven methods each required an implementation module.
  { version: "0.1.0", modulePaths: ["provider/config", "provider/apiKey", "provider/apiKeyRestrictions"] },
  // Provider objects that are modules: one require() each (and a key rotated in place).
  { version: "0.2.0", modulePaths: ["provider/dynamic/apiKey", "provider/dynamic/apiKeyRestrictions"] },
];
/** The fixtures' credentials: test-only values, written into the fixtures when they were made. */
const FIXTURE_ROOT_KEY = "adk_fixtureRootKey0123456789abcdefXYZ";
const FIXTURE_PASSPHRASE = "fixture-passphrase";

/** The ids of the ApiKey resources, by resource name. */
const keyIds = (resources: StateResource[]): Record<string, string> =>
  Object.fromEntries(
    resources
      .filter((resource) => resource.type.endsWith("admindo:ApiKey"))
      .map((resource) => [resource.urn.split("::").pop()!, resource.id!]),
  );

describe.each(RELEASES)("a stack written by $version", ({ version, modulePaths }) => {
  const FIXTURE = path.join(__dirname, `fixtures/upgrade-${version}`);
  const emulator = useEmulator({ database: path.join(FIXTURE, "emulator.db"), rootKey: FIXTURE_ROOT_KEY });
  let stack: TestStack;
  let fixtureState: { deployment: { resources: StateResource[] } };

  beforeAll(async () => {
    stack = await emulator.stack(FIXTURE, { env: { PULUMI_CONFIG_PASSPHRASE: FIXTURE_PASSPHRASE } });
    fixtureState = await importFixtureState(emulator, stack, FIXTURE);
  }, 120_000);

  test(`holds serialized providers that require the module paths ${version} wrote`, () => {
    const providers = fixtureState.deployment.resources
      .map((resource) => resource.outputs?.__provider)
      .filter((text): text is string => typeof text === "string");
    expect(providers).toHaveLength(3);
    for (const modulePath of modulePaths) {
      expect(providers.some((text) => text.includes(`require("pulumi-admindo/${modulePath}")`))).toBe(true);
    }
  });

  test("preview of the unchanged program plans nothing: no update, no replacement", async () => {
    const preview = await stack.preview({ json: true });
    expect(changedSteps(preview.json)).toEqual([]);
  }, 300_000);

  test("up keeps every key, and a changed scope is an in-place update through the new provider", async () => {
    await stack.up();
    const before = keyIds((await stack.exportState()).deployment.resources!);
    expect(before).toEqual(keyIds(fixtureState.deployment.resources));

    stack.writeFile(
      "index.js",
      readFileSync(path.join(FIXTURE, "index.js"), "utf8").replace(
        'scopes: ["functions:read", "functions:execute"]',
        'scopes: ["functions:read", "functions:execute", "data:read"]',
      ),
    );
    const preview = await stack.preview({ json: true });
    expect(changedSteps(preview.json).map((step) => step.op)).toEqual(["update"]);
    await stack.up();
    const after = (await stack.exportState()).deployment.resources!;
    expect(keyIds(after)).toEqual(before);
    const caller = await emulator.client.apiKeys.get(before.caller);
    expect(caller.scopes).toContain("data:read");
  }, 300_000);

  test("refresh and destroy run through the providers the old state still holds", async () => {
    await stack.refresh();
    const ids = keyIds((await stack.exportState()).deployment.resources!);
    await stack.destroy();
    for (const id of Object.values(ids)) {
      await expect(emulator.client.apiKeys.get(id)).rejects.toMatchObject({ status: 404 });
    }
  }, 300_000);

  leakScanTest(emulator.scan, { minSecrets: 3 });
});
