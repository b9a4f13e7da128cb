import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStack, type StateResource, type TestStack } from "./harness";
import { startEmulatorProcess, type EmulatorProcess } from "./emulatorProcess";
import { LeakScan, leakScanTest } from "./leakScan";
import { changedSteps } from "./programs";

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
  const scan = new LeakScan();
  let dbDir: string;
  let emulator: EmulatorProcess;
  let stack: TestStack;
  let fixtureState: { deployment: { resources: StateResource[] } };

  beforeAll(async () => {
    dbDir = mkdtempSync(path.join(os.tmpdir(), "admindo-upgrade-"));
    copyFileSync(path.join(FIXTURE, "emulator.db"), path.join(dbDir, "emulator.db"));
    emulator = scan.emulator(
      await startEmulatorProcess({ dbPath: path.join(dbDir, "emulator.db"), rootKey: FIXTURE_ROOT_KEY }),
    );
    stack = scan.stack(
      await createStack(FIXTURE, {
        config: { "admindo:baseUrl": emulator.url },
        secrets: { "admindo:apiKey": emulator.rootKey },
        env: { PULUMI_CONFIG_PASSPHRASE: FIXTURE_PASSPHRASE },
      }),
    );
    // The fixture's stack was "dev"; this one is "test".
    const text = readFileSync(path.join(FIXTURE, "state.json"), "utf8")
      .replaceAll("urn:pulumi:dev::", "urn:pulumi:test::")
      .replaceAll("::admindo-upgrade-dev", "::admindo-upgrade-test");
    fixtureState = JSON.parse(text);
    stack.writeFile("state.json", text);
    await stack.run(["stack", "import", "--file", "state.json"]);
    // The fixture's key secrets join the scan now: after destroy, state holds none to harvest.
    await scan.harvest(stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.cleanup();
    await emulator?.stop();
    rmSync(dbDir, { recursive: true, force: true });
  });

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

  leakScanTest(scan, { minSecrets: 3 });
});
