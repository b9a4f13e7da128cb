import { rmSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createStack, type StateResource, type TestStack } from "../../test/e2e/harness";
import type { BenchEmulator } from "./emulator";
import { result, type Result } from "./report";

/**
 * The engine's floor against ApiKeys: the same program (test/e2e/fixtures/bench-keys) with N
 * ApiKeys and with N no-op dynamic resources of the same inputs, `pulumi up` from empty and
 * `pulumi preview` with nothing changed, at Pulumi's default parallelism. Also the state each
 * resource costs, and the size of the serialized provider (`__provider`).
 */

const FIXTURE = path.resolve(__dirname, "../../test/e2e/fixtures/bench-keys");

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
  const stackOf = (kind: "apiKey" | "noop") =>
    createStack(FIXTURE, {
      config: { "admindo:baseUrl": emulator.url, count: String(count), kind, organization: "bench" },
      secrets: { "admindo:apiKey": emulator.rootKey },
    });
  const keys = await stackOf("apiKey");
  const noop = await stackOf("noop");
  const times = {
    upKeys: [] as number[],
    upNoop: [] as number[],
    previewKeys: [] as number[],
    previewNoop: [] as number[],
  };
  let state: { keys: StateResource[]; noop: StateResource[]; keysText: string; noopText: string } | undefined;
  try {
    // Warm-up: the first run of a program compiles it and fills caches; neither kind should pay for that.
    await keys.preview();
    await noop.preview();
    for (let round = 1; round <= rounds; round++) {
      times.upNoop.push(await timed(() => noop.up()));
      times.upKeys.push(await timed(() => keys.up()));
      log(
        `  round ${round}: up ${count} no-ops ${times.upNoop.at(-1)!.toFixed(1)} s, ${count} ApiKeys ${times.upKeys.at(-1)!.toFixed(1)} s`,
      );
      for (let run = 0; run < previews; run++) {
        times.previewNoop.push(await timed(() => noop.preview()));
        times.previewKeys.push(await timed(() => keys.preview()));
      }
      if (!state) state = await readState(keys, noop);
      if (round < rounds) {
        await keys.destroy();
        await noop.destroy();
      }
    }
  } finally {
    await cleanup(keys);
    await cleanup(noop);
  }

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
      target: "≤ 1.3x",
      holds: (ratio) => ratio <= 1.3,
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
      baselineName: "of the 1-method no-op provider",
      target: "< 1024 B",
      holds: (_ratio, value) => value < 1024,
      note: `${provider.methods} methods; the serializer's wrapper alone is about ${provider.wrapperBytesPerMethod} B per method`,
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

/** The serialized provider: its size, its methods, and how much of it is per-method wrapping. */
function providerSize(resource: StateResource) {
  const text = String(resource.outputs?.__provider ?? "");
  const functions = text.split(/\nfunction __f\d+\(/).slice(1);
  const methods = (/var __provider = \{([^}]*)\}/.exec(text)?.[1] ?? "").split(",").filter(Boolean).length;
  // What each function body carries besides its one line of code: the `with` wrapper and apply calls.
  const wrappers = functions.map((source) => {
    const body = /\nreturn (.*);\n/.exec(source)?.[1] ?? "";
    return source.length - body.length;
  });
  return {
    bytes: text.length,
    methods,
    wrapperBytesPerMethod: wrappers.length
      ? Math.round(wrappers.reduce((a, b) => a + b, 0) / wrappers.length)
      : 0,
  };
}

async function cleanup(stack: TestStack): Promise<void> {
  await stack.destroy({ check: false }).catch(() => undefined);
  rmSync(stack.workDir, { recursive: true, force: true });
}
