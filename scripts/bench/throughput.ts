import { request } from "undici";
import type { BenchEmulator } from "./emulator";
import { result, type Result } from "./report";

/**
 * Emulator throughput with autocannon: authenticated `GET /functions` (key lookup by hash, through
 * the key cache; status, IP restriction, rate limit, scope; the same checks again when the handler
 * acts; the request-log entry, written in batches; the handler's list query) against the
 * unauthenticated `GET /health` of the same server, alternated so drift hits both.
 */

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (
  options: { url: string; headers?: Record<string, string>; connections: number; duration: number },
  done: (error: Error | null, result: AutocannonResult) => void,
) => unknown;
const autocannon = require("autocannon") as Autocannon;

function run(
  url: string,
  headers: Record<string, string> | undefined,
  seconds: number,
): Promise<AutocannonResult> {
  return new Promise((resolve, reject) =>
    autocannon({ url, headers, connections: 10, duration: seconds }, (error, outcome) =>
      error ? reject(error) : resolve(outcome),
    ),
  );
}

export async function benchThroughput(
  emulator: BenchEmulator,
  options: { seconds: number; rounds: number; log: (line: string) => void },
): Promise<{ results: Result[]; raw: Record<string, unknown> }> {
  const created = await request(`${emulator.url}/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.rootKey}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: "throughput",
      organization: "bench",
      scopes: ["functions:read"],
      // Every check runs and passes: loopback is allowed, and the limit is far above the load.
      restrictions: {
        ipAddresses: ["127.0.0.0/8", "::1/128"],
        rateLimit: { requests: 100_000_000, period: "minute" },
      },
    }),
  });
  const { key } = (await created.body.json()) as { key: string };
  const health: AutocannonResult[] = [];
  const authed: AutocannonResult[] = [];
  // Warm-up: both routes compiled and hot before anything is measured.
  await run(`${emulator.url}/health`, undefined, 2);
  await run(`${emulator.url}/functions`, { authorization: `Bearer ${key}` }, 2);
  for (let round = 1; round <= options.rounds; round++) {
    health.push(await run(`${emulator.url}/health`, undefined, options.seconds));
    authed.push(await run(`${emulator.url}/functions`, { authorization: `Bearer ${key}` }, options.seconds));
    options.log(
      `  round ${round}: GET /health ${Math.round(health.at(-1)!.requests.average)} req/s, authenticated GET /functions ${Math.round(authed.at(-1)!.requests.average)} req/s`,
    );
  }
  for (const outcome of [...health, ...authed]) {
    if (outcome.non2xx > 0 || outcome.errors > 0)
      throw new Error(`autocannon saw failures: ${JSON.stringify(outcome)}`);
  }
  const mean = (outcomes: AutocannonResult[], pick: (outcome: AutocannonResult) => number) =>
    outcomes.reduce((sum, outcome) => sum + pick(outcome), 0) / outcomes.length;
  const results = [
    result({
      name: "authenticated requests",
      value: mean(authed, (o) => o.requests.average),
      baseline: mean(health, (o) => o.requests.average),
      unit: "req/s",
      baselineName: "GET /health",
      target: "≥ 0.50x",
      holds: (ratio) => ratio >= 0.5,
    }),
    result({
      name: "authenticated p50 latency",
      value: mean(authed, (o) => o.latency.p50),
      baseline: mean(health, (o) => o.latency.p50),
      unit: "ms",
      baselineName: "GET /health",
      note: "autocannon reports whole milliseconds: a p50 of 0 ms means under 1 ms",
    }),
    result({
      name: "authenticated p99 latency",
      value: mean(authed, (o) => o.latency.p99),
      baseline: mean(health, (o) => o.latency.p99),
      unit: "ms",
      baselineName: "GET /health",
    }),
  ];
  return {
    results,
    raw: {
      connections: 10,
      secondsPerRun: options.seconds,
      health: health.map(({ requests, latency }) => ({ requestsPerSecond: requests.average, latency })),
      authenticated: authed.map(({ requests, latency }) => ({
        requestsPerSecond: requests.average,
        latency,
      })),
    },
  };
}
