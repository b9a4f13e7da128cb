import { readFileSync } from "node:fs";
import path from "node:path";
import type { StateResource, TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { changedSteps, stepsOfType } from "./programs";
import { importFixtureState, useEmulator } from "./session";

/**
 * Keys written by pulumi-admindo 0.1.0 (fixtures/upgrade-0.1.0: program, `pulumi stack export`
 * and the emulator database) meet in-place rotation: their state has no rotationOverlap,
 * rotation marker, rotatedAt or previousKeyExpiresAt. Unchanged programs plan nothing; adding
 * rotationOverlap rotates the key once, in place, to start a schedule the provider tracks.
 */

const FIXTURE = path.join(__dirname, "fixtures/upgrade-0.1.0");
/** The fixture's credentials: test-only values, written into the fixture when it was made. */
const FIXTURE_ROOT_KEY = "adk_fixtureRootKey0123456789abcdefXYZ";
const FIXTURE_PASSPHRASE = "fixture-passphrase";

const emulator = useEmulator({ database: path.join(FIXTURE, "emulator.db"), rootKey: FIXTURE_ROOT_KEY });
const { scan } = emulator;
let stack: TestStack;

const apiKeys = (resources: StateResource[] | undefined) =>
  (resources ?? []).filter((resource) => resource.type.endsWith("admindo:ApiKey"));

beforeAll(async () => {
  stack = await emulator.stack(FIXTURE, { env: { PULUMI_CONFIG_PASSPHRASE: FIXTURE_PASSPHRASE } });
  // The fixture holds no package.json; without one the Node.js host does not run index.js.
  stack.writeFile(
    "package.json",
    JSON.stringify({ name: "fixture-v010", private: true, main: "index.js" }, null, 2),
  );
  await importFixtureState(emulator, stack, FIXTURE);
}, 120_000);

test("0.1.0 keys without rotationOverlap plan nothing, before and after an up and a refresh", async () => {
  const state = apiKeys((await stack.exportState()).deployment.resources);
  expect(state).toHaveLength(2);
  for (const key of state) {
    for (const field of ["rotationOverlap", "rotation", "rotatedAt", "previousKeyExpiresAt"]) {
      expect(key.outputs).not.toHaveProperty(field);
    }
  }
  expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
  // (A refresh needs the provider configuration an up records in state; the imported state has none.)
  await stack.up();
  await stack.refresh();
  expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
  const ids = (resources: StateResource[]) => resources.map((key) => key.id).sort();
  expect(ids(apiKeys((await stack.exportState()).deployment.resources))).toEqual(ids(state));
}, 300_000);

test("adding rotationOverlap to a 0.1.0 key rotates it once in place (reason rotationOverlap), then plans nothing", async () => {
  const before = apiKeys((await stack.exportState()).deployment.resources).find((key) =>
    key.urn.endsWith("::caller"),
  )!;
  stack.writeFile(
    "index.js",
    readFileSync(path.join(FIXTURE, "index.js"), "utf8").replace(
      'rotationPeriod: "3650d",',
      'rotationPeriod: "3650d",\n  rotationOverlap: "24h",',
    ),
  );
  const preview = await stack.preview({ json: true });
  expect(changedSteps(preview.json).map((step) => [step.op, step.urn.split("::").pop()])).toEqual(
    expect.arrayContaining([["update", "caller"]]),
  );
  expect(changedSteps(preview.json).map((step) => step.op)).not.toContain("replace");
  const step = stepsOfType(preview.json, "ApiKey").find((s) => s.urn.endsWith("::caller")) as unknown as {
    newState: { inputs: Record<string, unknown> };
  };
  expect(step.newState.inputs.rotation).toMatchObject({ reason: "rotationOverlap" });

  await stack.up();
  const after = apiKeys((await stack.exportState()).deployment.resources).find((key) =>
    key.urn.endsWith("::caller"),
  )!;
  expect(after.id).toBe(before.id);
  expect(after.outputs?.prefix).not.toBe(before.outputs?.prefix);
  expect(after.outputs?.rotatedAt).toEqual(expect.any(String));
  expect(after.outputs?.previousKeyExpiresAt).toEqual(expect.any(String));
  // Restrictions set by 0.1.0 stay; a fixed expiry stays fixed.
  const key = await emulator.client.apiKeys.get(before.id!);
  expect(key.restrictions).toMatchObject({ ipAddresses: ["10.0.0.0/8"] });
  expect(key.expiresAt).toBe("2099-01-01T00:00:00.000Z");
  expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
}, 300_000);

leakScanTest(scan, { minSecrets: 3 });
