import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { EXAMPLES, type TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { changedSteps, stepsOfType } from "./programs";
import { useEmulator } from "./session";

/**
 * Scheduled rotation with short durations, through the real CLI: examples/rotating-key with a
 * 60-second lifetime rotated 45 seconds before expiry, so the rotation point is 15 s after creation.
 * Its "worker" key is replaced on rotation; its "partner" key is rotated in place with a 10-second
 * overlap (test/e2e/rotationOverlap.test.ts covers the overlap itself).
 */

const emulator = useEmulator();
const { scan } = emulator;
let stack: TestStack;

beforeAll(async () => {
  stack = await emulator.stack(path.join(EXAMPLES, "rotating-key"), {
    config: { lifetime: "60s", rotateBefore: "45s", overlap: "10s" },
  });
}, 120_000);

const keyStep = (json: unknown, name: string) =>
  stepsOfType(json, "ApiKey").find((step) => step.urn.endsWith(`::${name}`)) as
    | (ReturnType<typeof stepsOfType>[number] & { newState?: { inputs?: Record<string, unknown> } })
    | undefined;

test("past the rotation point, preview shows a replacement of the worker key and an in-place update of the partner key; up gives each dependent its new secret", async () => {
  await stack.up();
  const first = await stack.outputs({ showSecrets: false });
  expect(first.consumerKeyPrefix).toBe(first.keyPrefix);
  expect(first.partnerConsumerKeyPrefix).toBe(first.partnerKeyPrefix);

  // Before the rotation point nothing changes.
  const rotationPoints = [first.rotateAt, first.partnerRotateAt].map((at) => Date.parse(at as string));
  if (Math.min(...rotationPoints) > Date.now() + 5_000) {
    expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
  }
  const wait = Math.max(...rotationPoints) - Date.now() + 1_000;
  if (wait > 0) await sleep(wait);

  const preview = await stack.preview({ json: true });
  expect(keyStep(preview.json, "worker")).toMatchObject({
    op: "replace",
    replaceReasons: ["rotateBeforeExpiry"],
  });
  const partnerStep = keyStep(preview.json, "partner");
  expect(partnerStep?.op).toBe("update");
  expect(partnerStep?.diffReasons).toContain("rotation");
  expect(partnerStep?.newState?.inputs?.rotation).toMatchObject({ reason: "rotateBeforeExpiry" });
  for (const consumer of ["worker-deployment", "partner-secret-store"]) {
    const step = stepsOfType(preview.json, "example:KeyConsumer").find((s) =>
      s.urn.endsWith(`::${consumer}`),
    );
    expect(step?.op).toBe("update");
  }

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

  // The partner key kept its id and got a new secret and a fresh lifetime; its dependent has the new secret.
  expect(second.partnerKeyId).toBe(first.partnerKeyId);
  expect(second.partnerKeyPrefix).not.toBe(first.partnerKeyPrefix);
  expect(second.partnerConsumerKeyPrefix).toBe(second.partnerKeyPrefix);
  expect(Date.parse(second.partnerPreviousKeyExpiresAt as string)).toBe(
    Date.parse(second.partnerRotatedAt as string) + 10_000,
  );
  expect(Date.parse(second.partnerRotateAt as string)).toBeGreaterThan(
    Date.parse(first.partnerRotateAt as string),
  );
  const partner = await emulator.client.apiKeys.get(second.partnerKeyId as string);
  expect(partner).toMatchObject({ status: "active", prefix: second.partnerKeyPrefix });
}, 300_000);

leakScanTest(scan, { minSecrets: 2 });
