import { readFileSync } from "node:fs";
import path from "node:path";
import { runProcess, type CliResult, type TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";

/**
 * Secrets in Pulumi's own diagnostics, through the real CLI (v3.274.1). Our provider never logs a
 * secret, but the Node.js SDK does: after each RegisterResource it sends the engine the debug
 * message "RegisterResource RPC finished: …; resp: …" with the resource's outputs, secret values
 * in plaintext. So, for every ApiKey of the program (created or unchanged):
 *
 * - `pulumi up --debug` prints the key's secret in the CLI output;
 * - `--logtostderr -v=3` and above (with or without --logflow) write it to stderr;
 * - PULUMI_DEBUG_GRPC=<file> writes every secret, and the provider credential (admindo:apiKey,
 *   as config of Run/CheckConfig/Configure), to that file.
 *
 * Without those flags nothing leaks: the CLI's default log files (PULUMI_HOME/logs) and plain
 * output are covered by this file's leak scan. Treat debug output and gRPC logs as secret.
 * The tests below pin these findings, so a Pulumi upgrade that changes them is noticed.
 */

const FIXTURE = path.join(__dirname, "fixtures/bench-keys");
const SDK_DEBUG_LINE = /RegisterResource RPC finished/;

const emulator = useEmulator();
const { scan } = emulator;
let stack: TestStack;
let secrets: string[];

beforeAll(async () => {
  stack = await emulator.stack(FIXTURE, { config: { count: "2", organization: "diagnostics" } });
}, 120_000);

/** Runs the CLI outside the stack's transcript: these outputs are known to hold secrets. */
async function verbose(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result: CliResult = await runProcess(
    "pulumi",
    [...args, "--yes", "--skip-preview", "--non-interactive", "--color", "never"],
    { cwd: stack.workDir, env: { ...stack.env, ...env }, timeoutMs: 300_000 },
  );
  if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stderr}`);
  return `${result.stdout}\n${result.stderr}`;
}

function linesWith(text: string, secret: string): string[] {
  return text.split("\n").filter((line) => line.includes(secret));
}

test("-v=9 logs: the provider credential never appears; each key secret only in the Node.js SDK's RegisterResource debug lines", async () => {
  const grpcLog = path.join(stack.workDir, "grpc.log");
  const output = await verbose(["up", "--logtostderr", "--logflow", "-v=9"], { PULUMI_DEBUG_GRPC: grpcLog });
  await scan.harvest(stack);
  // The secrets themselves, decrypted from state (this command's output is kept out of the scan).
  const exported = await stack.run(["stack", "export", "--show-secrets"]);
  secrets = [...new Set([...exported.stdout.matchAll(/adk_[0-9A-Za-z]{32}/g)].map((match) => match[0]))];
  expect(secrets).toHaveLength(2);

  expect(output).not.toContain(emulator.rootKey);
  for (const secret of secrets) {
    const lines = linesWith(output, secret);
    // The finding: the SDK's own debug message carries it…
    expect(lines.length).toBeGreaterThan(0);
    // …and nothing else does: no engine, provider or client line.
    expect(lines.filter((line) => !SDK_DEBUG_LINE.test(line))).toEqual([]);
  }

  // The gRPC debug log holds everything, the provider credential included.
  const grpc = readFileSync(grpcLog, "utf8");
  expect(grpc).toContain(emulator.rootKey);
  for (const secret of secrets) expect(grpc).toContain(secret);
}, 300_000);

test("pulumi up --debug prints every key's secret (unchanged keys too) through the same SDK debug message", async () => {
  const output = await verbose(["up", "--debug"]);
  expect(output).not.toContain(emulator.rootKey);
  for (const secret of secrets) {
    expect(linesWith(output, secret).length).toBeGreaterThan(0);
  }
  // Without --debug, the same up prints none of them (also covered by the leak scan below).
  const plain = await stack.up();
  for (const secret of secrets) expect(plain.stdout + plain.stderr).not.toContain(secret);
}, 300_000);

leakScanTest(scan, { minSecrets: 3 });
