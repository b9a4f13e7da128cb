import path from "node:path";
import { request } from "undici";
import type { FaultSpec } from "../../emulator/faults";
import { API_KEY } from "../../resource";
import type { StateDeployment, TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";

/**
 * ApiKeys through the real Pulumi CLI (default parallelism) against an emulator process that
 * fails a share of requests: 500, 503 and 429 with Retry-After, dropped connections, slow
 * responses, and failures after the write committed. `pulumi up` converges when retried, and the
 * server then holds exactly the keys in state: no duplicate from a retried create, no orphan
 * after `destroy`.
 */

const FIXTURE = path.join(__dirname, "fixtures/bench-keys");
const API_KEY_TYPE = API_KEY.token;
/** Bound on `pulumi up`/`destroy` runs per convergence; each failed run fixes what it reached. */
const MAX_RUNS = 6;

// Declared first, so that it runs first: the stacks are destroyed without faults.
afterAll(async () => {
  await clearFaults().catch(() => undefined);
});
const emulator = useEmulator();
const { scan } = emulator;

function keysStack(organization: string, count: number): Promise<TestStack> {
  return emulator.stack(FIXTURE, { config: { count: String(count), organization } });
}

/** The emulator runs in its own process: faults go through its control route, as users would send them. */
async function controlFaults(method: "POST" | "GET" | "DELETE", body?: FaultSpec): Promise<unknown> {
  const response = await request(`${emulator.url}/_emulator/faults`, {
    method,
    headers: { authorization: `Bearer ${emulator.rootKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode >= 300)
    throw new Error(`${method} /_emulator/faults: ${response.statusCode} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function injectFaults(rules: FaultSpec[]): Promise<void> {
  for (const rule of rules) await controlFaults("POST", rule);
}

async function clearFaults(): Promise<void> {
  await controlFaults("DELETE");
}

async function injectedCounts(): Promise<number[]> {
  const listed = (await controlFaults("GET")) as { data: { injected: number }[] };
  return listed.data.map((rule) => rule.injected);
}

/** Runs `pulumi up` (or destroy) until it exits 0, at most MAX_RUNS times; returns the number of runs. */
async function converge(stack: TestStack, command: "up" | "destroy"): Promise<number> {
  let last = "";
  for (let run = 1; run <= MAX_RUNS; run++) {
    const result =
      command === "up" ? await stack.up({ check: false }) : await stack.destroy({ check: false });
    if (result.code === 0) return run;
    last = `${result.stdout}\n${result.stderr}`;
  }
  throw new Error(`pulumi ${command} did not converge in ${MAX_RUNS} runs; last output:\n${last}`);
}

function apiKeysInState(deployment: StateDeployment) {
  return (deployment.resources ?? []).filter((resource) => resource.type === API_KEY_TYPE);
}

/** Every key of the organization on the server, read with faults cleared. */
async function serverKeys(organization: string): Promise<{ id: string; name: string }[]> {
  const keys: { id: string; name: string }[] = [];
  for await (const key of emulator.client.apiKeys.listAll({ organization })) keys.push(key);
  return keys;
}

/** A fixed set of faults (each kind fires) plus seeded random ones on top, on every /api-keys route. */
const FAULT_MIX: FaultSpec[] = [
  { method: "POST", path: "/api-keys", drop: true, after: true, times: 3 },
  { method: "POST", path: "/api-keys", status: 500, after: true, times: 2 },
  { path: "/api-keys", status: 429, retryAfter: 1, times: 2 },
  { path: "/api-keys", status: 503, retryAfter: 1, times: 2 },
  { path: "/api-keys", drop: true, times: 2 },
  { path: "/api-keys", delayMs: 1_500, times: 3 },
  { path: "/api-keys", status: 500, probability: 0.12, seed: 7 },
  { path: "/api-keys", drop: true, after: true, probability: 0.08, seed: 8 },
  { path: "/api-keys", status: 503, retryAfter: 1, probability: 0.05, seed: 9 },
  { path: "/api-keys", delayMs: 300, probability: 0.1, seed: 10 },
];

test("50 ApiKeys converge under injected faults; the server then holds exactly the keys in state, and nothing after destroy", async () => {
  const organization = "faults-50";
  const stack = await keysStack(organization, 50);
  await injectFaults(FAULT_MIX);
  await converge(stack, "up");
  await scan.harvest(stack);
  const injected = await injectedCounts();
  await clearFaults();

  // Every fixed fault fired (the test is not vacuous), and the random ones added more.
  expect(injected.slice(0, 6)).toEqual([3, 2, 2, 2, 2, 3]);
  expect(injected.slice(6).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

  const state = apiKeysInState((await stack.exportState()).deployment);
  const onServer = await serverKeys(organization);
  expect(state).toHaveLength(50);
  expect(onServer.map((key) => key.id).sort()).toEqual(state.map((resource) => resource.id).sort());
  expect(new Set(onServer.map((key) => key.name)).size).toBe(50);
  expect((await stack.exportState()).deployment.pending_operations ?? []).toEqual([]);

  await injectFaults(FAULT_MIX);
  await converge(stack, "destroy");
  await clearFaults();
  expect(apiKeysInState((await stack.exportState()).deployment)).toEqual([]);
  expect(await serverKeys(organization)).toEqual([]);
}, 600_000);

/** Every attempt of one create fails, the first after its write committed: the client gives up. */
const CREATE_LOST_EVERY_TIME: FaultSpec[] = [
  { method: "POST", path: "/api-keys", drop: true, after: true },
  { method: "POST", path: "/api-keys", status: 500, after: true },
  { method: "POST", path: "/api-keys", status: 503, retryAfter: 1 },
  { method: "POST", path: "/api-keys", drop: true, after: true },
];

test("a create that committed but whose every retry was lost leaves a placeholder in state, and the next up replaces it without a duplicate", async () => {
  const organization = "faults-lost-create";
  const stack = await keysStack(organization, 1);
  await injectFaults(CREATE_LOST_EVERY_TIME);
  const failed = await stack.up({ check: false });
  await clearFaults();
  expect(failed.code).not.toBe(0);
  expect(failed.stdout + failed.stderr).toMatch(/the request may have reached Admin\.do/);

  // The key exists, and state knows the request that made it (not yet its id).
  const [orphan] = await serverKeys(organization);
  expect(orphan).toBeDefined();
  const [placeholder] = apiKeysInState((await stack.exportState()).deployment);
  expect(placeholder.id).toMatch(/^pending-create-/);
  expect(placeholder.outputs?.pendingCreate).toMatchObject({ request: { name: "key-000", organization } });

  // Refresh keeps the placeholder (dropping it would orphan the key); preview plans its replacement.
  await stack.refresh();
  expect(apiKeysInState((await stack.exportState()).deployment)[0].id).toBe(placeholder.id);
  const preview = await stack.preview({ json: true });
  const step = (preview.json as { steps: { op: string; replaceReasons?: string[] }[] }).steps.find(
    (candidate) => candidate.op === "replace",
  );
  expect(step?.replaceReasons).toEqual(["pendingCreate"]);

  await stack.up();
  const [resource] = apiKeysInState((await stack.exportState()).deployment);
  expect(resource.id).toMatch(/^key_/);
  expect((await serverKeys(organization)).map((key) => key.id)).toEqual([resource.id]);
}, 300_000);

test("destroy of such a placeholder deletes the key its lost request created", async () => {
  const organization = "faults-lost-destroy";
  const stack = await keysStack(organization, 1);
  await injectFaults(CREATE_LOST_EVERY_TIME);
  expect((await stack.up({ check: false })).code).not.toBe(0);
  await clearFaults();
  expect(await serverKeys(organization)).toHaveLength(1);

  await stack.destroy();
  expect(apiKeysInState((await stack.exportState()).deployment)).toEqual([]);
  expect(await serverKeys(organization)).toEqual([]);
}, 300_000);

leakScanTest(scan, { minSecrets: 52 });
