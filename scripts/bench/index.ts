import { execFileSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { benchAudit } from "./audit";
import { benchClient } from "./client";
import { startBenchEmulator } from "./emulator";
import { benchPulumi } from "./pulumi";
import { table, writeResults, type Result } from "./report";
import { benchThroughput } from "./throughput";

/**
 * `npm run bench`: every figure against a baseline measured in the same run, so the ratios hold
 * on any machine; no test asserts a time. Prints a table and writes bench-results.json.
 *
 * Environment: BENCH_COUNT (resources per program, default 100), BENCH_ROUNDS (pulumi rounds,
 * default 3; throughput rounds, default 2),
 * BENCH_SECONDS (autocannon run length, default 5), BENCH_CALLS (client calls, default 2000),
 * BENCH_AUDIT_ENTRIES (log entries of the audit bench, default 100000),
 * BENCH_ONLY (comma-separated: pulumi, throughput, client, audit).
 */

const REPO = path.resolve(__dirname, "../..");
const OUTPUT = path.join(REPO, "bench-results.json");
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const only = new Set((process.env.BENCH_ONLY ?? "pulumi,throughput,client,audit").split(","));
  const log = (line: string) => console.log(line);
  const started = Date.now();
  const results: Result[] = [];
  const raw: Record<string, unknown> = {};
  const emulator = await startBenchEmulator();
  try {
    if (only.has("pulumi")) {
      const bin = execFileSync("bash", [path.join(REPO, "scripts/ensure-pulumi.sh")], { encoding: "utf8" })
        .trim()
        .split("\n")
        .at(-1)!;
      process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
      log(`pulumi up / preview (engine floor: no-op dynamic resources)`);
      const pulumi = await benchPulumi(emulator, {
        count: env("BENCH_COUNT", 100),
        rounds: env("BENCH_ROUNDS", 3),
        previews: 2,
        log,
      });
      results.push(...pulumi.results);
      raw.pulumi = pulumi.raw;
    }
    if (only.has("throughput")) {
      log("emulator throughput (autocannon, 10 connections)");
      const throughput = await benchThroughput(emulator, {
        seconds: env("BENCH_SECONDS", 5),
        rounds: env("BENCH_ROUNDS", 2),
        log,
      });
      results.push(...throughput.results);
      raw.throughput = throughput.raw;
    }
    if (only.has("client")) {
      log("client overhead (sequential calls)");
      const client = await benchClient(emulator, { calls: env("BENCH_CALLS", 2000), log });
      results.push(...client.results);
      raw.client = client.raw;
    }
    if (only.has("audit"))
      await benchAudit({ entries: env("BENCH_AUDIT_ENTRIES", 100_000), log }).then(
        (audit) => (results.push(...audit.results), (raw.audit = audit.raw)),
      );
  } finally {
    await emulator.stop();
  }
  console.log(`\n${table(results)}\n`);
  for (const { name, note } of results) if (note) console.log(`${name}: ${note}`);
  writeResults(OUTPUT, {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    results,
    raw,
  });
  console.log(`\nwritten to ${path.relative(process.cwd(), OUTPUT)}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
