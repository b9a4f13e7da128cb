import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { API_KEY, type Properties } from "../../resource";
import { type StateResource, type TestStack } from "../../test/e2e/harness";
import { createInstalledStack, packTarball } from "../../test/e2e/installed";
import type { BenchEmulator } from "./emulator";
import { result, type Result } from "./report";

/**
 * The engine's floor against ApiKeys: the same program (test/e2e/fixtures/bench-keys) with N
 * ApiKeys and with N no-op dynamic resources of the same inputs, `pulumi up` from empty and
 * `pulumi preview` with nothing changed, at Pulumi's default parallelism; what the installed
 * policy pack adds to that preview. Also the state each resource costs, and the size of the
 * serialized provider (`__provider`). Both programs use the package as users do: the `npm pack`
 * tarball installed into their own node_modules outside the checkout.
 */

const FIXTURE = path.resolve(__dirname, "../../test/e2e/fixtures/bench-keys");
const POLICY_PACK = "node_modules/pulumi-admindo/policy-pack";
const FLOOR_PACK = "floor-policy-pack";

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface PulumiBench {
  results: Result[];
  raw: Record<string, unknown>;
}

export async function benchPulumi(
  emulator: BenchEmulator,
  options: { count: number; rounds: number; previews: number; log: (line: string) => void },
): Promise<PulumiBench> {
  const { count, rounds, previews, log } = options;
  const root = mkdtempSync(path.join(os.tmpdir(), "admindo-bench-"));
  const tarball = packTarball(root);
  const outputNames = Object.entries(API_KEY.outputs as Properties)
    .filter(([, property]) => !property.internal)
    .map(([name]) => name);
  const stackOf = (kind: "apiKey" | "noop" | "shaped") =>
    createInstalledStack(FIXTURE, {
      tarball,
      root,
      config: {
        "admindo:baseUrl": emulator.url,
        count: String(count),
        kind,
        organization: "bench",
        outputNames: JSON.stringify(outputNames),
      },
      secrets: { "admindo:apiKey": emulator.rootKey },
    });
  const keys = await stackOf("apiKey");
  const noop = await stackOf("noop");
  const shaped = await stackOf("shaped");
  const times = {
    upKeys: [] as number[],
    upNoop: [] as number[],
    upShaped: [] as number[],
    previewShaped: [] as number[],
    previewKeys: [] as number[],
    previewNoop: [] as number[],
    previewKeysWithPolicyPack: [] as number[],
    previewKeysWithFloorPack: [] as number[],
  };
  writeFloorPack(keys);
  let state: { keys: StateResource[]; noop: StateResource[]; keysText: string; noopText: string } | undefined;
  try {
    // Warm-up: the first run of a program compiles it and fills caches; neither kind should pay for that.
    await keys.preview();
    await noop.preview();
    await shaped.preview();
    for (let round = 1; round <= rounds; round++) {
      times.upNoop.push(await timed(() => noop.up()));
      times.upShaped.push(await timed(() => shaped.up()));
      times.upKeys.push(await timed(() => keys.up()));
      log(
        `  round ${round}: up ${count} no-ops ${times.upNoop.at(-1)!.toFixed(1)} s, ${count} shaped no-ops ${times.upShaped.at(-1)!.toFixed(1)} s, ${count} ApiKeys ${times.upKeys.at(-1)!.toFixed(1)} s`,
      );
      for (let run = 0; run < previews; run++) {
        times.previewNoop.push(await timed(() => noop.preview()));
        times.previewShaped.push(await timed(() => shaped.preview()));
        times.previewKeys.push(await timed(() => keys.preview()));
        times.previewKeysWithPolicyPack.push(await timed(() => keys.preview({ policyPack: POLICY_PACK })));
        times.previewKeysWithFloorPack.push(await timed(() => keys.preview({ policyPack: FLOOR_PACK })));
      }
      if (!state) state = await readState(keys, noop);
      if (round < rounds) {
        await keys.destroy();
        await noop.destroy();
        await shaped.destroy();
      }
    }
  } finally {
    await cleanup(keys);
    await cleanup(noop);
    await cleanup(shaped);
    rmSync(root, { recursive: true, force: true });
  }
  const policyPackAdds = median(times.previewKeysWithPolicyPack) - median(times.previewKeys);
  const floorPackAdds = median(times.previewKeysWithFloorPack) - median(times.previewKeys);

  const apiKeyState = perResource(state!.keys);
  const noopState = perResource(state!.noop);
  const provider = providerSize(state!.keys[0]);
  const noopProvider = providerSize(state!.noop[0]);
  const results = [
    result({
      name: `pulumi up, ${count} ApiKeys`,
      value: median(times.upKeys),
      baseline: median(times.upNoop),
      unit: "s",
      baselineName: `${count} no-op dynamic resources`,
      target: "≤ 1.2x",
      holds: (ratio) => ratio <= 1.2,
    }),
    result({
      name: `pulumi preview, ${count} ApiKeys, no changes`,
      value: median(times.previewKeys),
      baseline: median(times.previewNoop),
      unit: "s",
      baselineName: `${count} no-op dynamic resources`,
      target: "≤ 1.2x",
      holds: (ratio) => ratio <= 1.2,
    }),
    result({
      name: `pulumi up, ${count} ApiKeys vs no-ops of their shape`,
      value: median(times.upKeys),
      baseline: median(times.upShaped),
      unit: "s",
      baselineName: `${count} no-ops declaring an ApiKey's outputs`,
      note: `what the provider adds; no-ops of the ApiKey's shape take ${median(times.upShaped).toFixed(2)} s, plain no-ops ${median(times.upNoop).toFixed(2)} s`,
    }),
    result({
      name: `pulumi preview, ${count} ApiKeys vs no-ops of their shape`,
      value: median(times.previewKeys),
      baseline: median(times.previewShaped),
      unit: "s",
      baselineName: `${count} no-ops declaring an ApiKey's outputs`,
    }),
    result({
      name: `pulumi preview, ${count} ApiKeys, with the installed policy pack`,
      value: median(times.previewKeysWithPolicyPack),
      baseline: median(times.previewKeys),
      unit: "s",
      baselineName: "the same preview without it",
      target: "adds < 1.5 s",
      holds: () => policyPackAdds < 1.5,
      note:
        `the policy pack adds ${policyPackAdds.toFixed(2)} s; a one-rule pack that checks nothing ` +
        `(what any policy pack costs the CLI to start and call) adds ${floorPackAdds.toFixed(2)} s`,
    }),
    result({
      name: "state bytes per resource",
      value: apiKeyState.bytes,
      baseline: noopState.bytes,
      unit: "B",
      baselineName: "per no-op dynamic resource",
      note: `__provider twice (inputs and outputs) is ${2 * provider.bytes} B of each ApiKey's ${apiKeyState.bytes} B`,
    }),
    result({
      name: "__provider of ApiKey",
      value: provider.bytes,
      baseline: noopProvider.bytes,
      unit: "B",
      baselineName: "of the no-op provider (one method, by value)",
      target: "< 1024 B",
      holds: (_ratio, value) => value < 1024,
      note: provider.byReference
        ? "one require() of the installed module, pulumi-admindo/provider/dynamic/apiKey"
        : "serialized by value: the provider was not loaded from node_modules",
    }),
  ];
  return {
    results,
    raw: {
      count,
      rounds,
      previewsPerRound: previews,
      seconds: times,
      state: { apiKey: apiKeyState, noop: noopState, provider, noopProvider },
    },
  };
}

async function readState(keys: TestStack, noop: TestStack) {
  const of = async (stack: TestStack, type: string) => {
    const { text, deployment } = await stack.exportState();
    return { text, resources: (deployment.resources ?? []).filter((resource) => resource.type === type) };
  };
  const k = await of(keys, "pulumi-nodejs:dynamic/admindo:ApiKey");
  const n = await of(noop, "pulumi-nodejs:dynamic/bench:Noop");
  return { keys: k.resources, noop: n.resources, keysText: k.text, noopText: n.text };
}

/** Mean bytes of one resource's entry in `pulumi stack export`, and of its parts. */
function perResource(resources: StateResource[]) {
  const mean = (bytes: (resource: StateResource) => number) =>
    Math.round(resources.reduce((sum, resource) => sum + bytes(resource), 0) / resources.length);
  const size = (value: unknown) => JSON.stringify(value ?? null).length;
  const withoutProvider = (props?: Record<string, unknown>) => {
    const { __provider: _provider, ...rest } = props ?? {};
    return rest;
  };
  return {
    resources: resources.length,
    bytes: mean((resource) => size(resource)),
    inputsWithoutProvider: mean((resource) => size(withoutProvider(resource.inputs))),
    outputsWithoutProvider: mean((resource) => size(withoutProvider(resource.outputs))),
    stackTraces: mean((resource) => size((resource as { stackTrace?: unknown }).stackTrace)),
  };
}

/** The serialized provider: its size, and whether it is a reference to the installed module. */
function providerSize(resource: StateResource) {
  const text = String(resource.outputs?.__provider ?? "");
  return { bytes: text.length, byReference: text.includes('require("pulumi-admindo/provider/dynamic/') };
}

/** A policy pack with one rule that checks nothing, beside the program: what any pack costs. */
function writeFloorPack(stack: TestStack): void {
  const dir = path.join(stack.workDir, FLOOR_PACK);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "PulumiPolicy.yaml"),
    "runtime:\n  name: nodejs\n  options:\n    typescript: false\n",
  );
  writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "floor", version: "0.0.1", main: "index.js" }),
  );
  writeFileSync(
    path.join(dir, "index.js"),
    `const { PolicyPack } = require("@pulumi/policy");
new PolicyPack("floor", {
  policies: [{ name: "nothing", description: "Checks nothing.", enforcementLevel: "advisory", validateResource: () => {} }],
});
`,
  );
}

async function cleanup(stack: TestStack): Promise<void> {
  await stack.destroy({ check: false }).catch(() => undefined);
  rmSync(stack.workDir, { recursive: true, force: true });
}
