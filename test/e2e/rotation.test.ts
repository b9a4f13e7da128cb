import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createStack, EXAMPLES, type TestStack } from "./harness";
import { startEmulatorProcess, type EmulatorProcess } from "./emulatorProcess";
import { LeakScan, leakScanTest } from "./leakScan";
import { changedSteps, stepsOfType } from "./programs";

/**
 * Scheduled rotation with short durations, through the real CLI: examples/rotating-key with a
 * 60-second lifetime rotated 45 seconds before expiry, so the rotation point is 15 s after creation.
 */

let emulator: EmulatorProcess;
let stack: TestStack;
const scan = new LeakScan();

beforeAll(async () => {
  emulator = scan.emulator(await startEmulatorProcess());
  stack = await createStack(path.join(EXAMPLES, "rotating-key"), {
    config: { "admindo:baseUrl": emulator.url, lifetime: "60s", rotateBefore: "45s" },
    secrets: { "admindo:apiKey": emulator.rootKey },
  });
  scan.stack(stack);
}, 120_000);
afterAll(async () => {
  await stack?.cleanup();
  await emulator?.stop();
});

test("past the rotation point, preview shows a replacement and up creates the new key before deleting the old; the dependent gets the new secret", async () => {
  await stack.up();
  const first = await stack.outputs({ showSecrets: false });
  expect(first.consumerKeyPrefix).toBe(first.keyPrefix);

  // Before the rotation point nothing changes.
  if (Date.parse(first.rotateAt as string) > Date.now() + 5_000) {
    expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
  }
  const wait = Date.parse(first.rotateAt as string) - Date.now() + 1_000;
  if (wait > 0) await sleep(wait);

  const preview = await stack.preview({ json: true });
  const keyStep = stepsOfType(preview.json, "ApiKey")[0];
  expect(keyStep).toMatchObject({ op: "replace", replaceReasons: ["rotateBeforeExpiry"] });
  const consumerStep = stepsOfType(preview.json, "example:KeyConsumer")[0];
  expect(consumerStep?.op).toBe("update");

  const up = await stack.up();
  const order = ["creating replacement", "worker-deployment", "deleting original"].map((marker) =>
    up.stdout.indexOf(marker),
  );
  expect(order.every((index) => index >= 0)).toBe(true);
  expect(order).toEqual([...order].sort((a, b) => a - b));

  const second = await stack.outputs();
  expect(second.keyId).not.toBe(first.keyId);
  expect(second.keyPrefix).not.toBe(first.keyPrefix);
  // The dependent verified the new key against the server while the old one still existed.
  expect(second.consumerKeyPrefix).toBe(second.keyPrefix);
  expect(Date.parse(second.consumerVerifiedAt as string)).toBeGreaterThan(
    Date.parse(first.consumerVerifiedAt as string),
  );
  await expect(emulator.client.apiKeys.get(first.keyId as string)).rejects.toMatchObject({
    code: "not_found",
  });
  expect((await emulator.client.apiKeys.get(second.keyId as string)).status).toBe("active");
}, 300_000);

leakScanTest(scan, { minSecrets: 2 });
