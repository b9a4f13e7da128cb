import { performance } from "node:perf_hooks";
import { Agent } from "undici";
import { createAdminClient } from "../../client";
import type { BenchEmulator } from "./emulator";
import { result, type Result } from "./report";

/**
 * What our client adds to one call: `client.apiKeys.get(id)` (parameter validation, headers,
 * retry loop, per-attempt deadline, response parsed with zod) against a bare undici request for
 * the same route with the same headers (`dispatcher.request`, body read as text and JSON.parse, no
 * deadline), one call at a time over keep-alive connections. The two alternate call by call, in
 * an order that flips at random, so drift, GC and other processes hit both alike; the median is
 * the figure that noise moves least, the mean is printed beside it.
 */
export async function benchClient(
  emulator: BenchEmulator,
  options: { calls: number; log: (line: string) => void },
): Promise<{ results: Result[]; raw: Record<string, unknown> }> {
  const client = createAdminClient({ baseUrl: emulator.url, apiKey: emulator.rootKey });
  const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  try {
    const { id } = await client.apiKeys.create({
      name: "client-bench",
      organization: "bench",
      scopes: ["data:read"],
    });
    const origin = new URL(emulator.url).origin;
    const headers = {
      authorization: `Bearer ${emulator.rootKey}`,
      accept: "application/json",
      "user-agent": "pulumi-admindo-client",
    };
    const viaClient = async () => {
      await client.apiKeys.get(id);
    };
    const bare = async () => {
      const response = await dispatcher.request({ origin, path: `/api-keys/${id}`, method: "GET", headers });
      JSON.parse(await response.body.text());
    };
    const samples = { client: [] as number[], undici: [] as number[] };
    const measure = async (call: () => Promise<void>, into: number[] | undefined) => {
      const start = performance.now();
      await call();
      into?.push(performance.now() - start);
    };
    for (let i = 0; i < 200; i++) {
      await measure(viaClient, undefined); // warm-up both paths
      await measure(bare, undefined);
    }
    for (let done = 0; done < options.calls; done++) {
      if (Math.random() < 0.5) {
        await measure(viaClient, samples.client);
        await measure(bare, samples.undici);
      } else {
        await measure(bare, samples.undici);
        await measure(viaClient, samples.client);
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    options.log(
      `  ${samples.client.length} calls each: client ${(p50(samples.client) * 1000).toFixed(0)} µs, undici ${(p50(samples.undici) * 1000).toFixed(0)} µs per call (median)`,
    );
    const results = [
      result({
        name: "client.apiKeys.get, p50 per call",
        value: p50(samples.client) * 1000,
        baseline: p50(samples.undici) * 1000,
        unit: "µs",
        baselineName: "bare undici request",
        target: "≤ 1.15x",
        holds: (ratio) => ratio <= 1.15,
      }),
      result({
        name: "client.apiKeys.get, mean per call",
        value: mean(samples.client) * 1000,
        baseline: mean(samples.undici) * 1000,
        unit: "µs",
        baselineName: "bare undici request",
      }),
    ];
    return {
      results,
      raw: {
        calls: samples.client.length,
        microseconds: { client: summary(samples.client), undici: summary(samples.undici) },
      },
    };
  } finally {
    await client.close();
    await dispatcher.close();
  }
}

/** Mean and percentiles, in µs, of per-call times in ms. */
function summary(milliseconds: number[]) {
  const sorted = [...milliseconds].sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(sorted[Math.floor(fraction * (sorted.length - 1))] * 1000);
  const mean = Math.round((sorted.reduce((a, b) => a + b, 0) / sorted.length) * 1000);
  return { mean, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}
