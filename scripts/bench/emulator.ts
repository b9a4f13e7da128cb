import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";

/**
 * The emulator as users start it (the built CLI, its own process, in memory, no request log on
 * stderr), so that benchmarks measure the server and not the benchmark's own event loop.
 */
export interface BenchEmulator {
  url: string;
  rootKey: string;
  stop(): Promise<void>;
}

const CLI = path.resolve(__dirname, "../../dist/emulator/cli.js");

/** The CLI on a free port; in memory unless `dbPath` names a database to serve. */
export function startBenchEmulator(
  options: { dbPath?: string; rootKey?: string } = {},
): Promise<BenchEmulator> {
  const rootKey = options.rootKey ?? `root_${randomBytes(18).toString("base64url")}`;
  const db = options.dbPath === undefined ? [] : ["--db", options.dbPath];
  const child = spawn(process.execPath, [CLI, "--port", "0", ...db], {
    env: { ...process.env, ADMINDO_ROOT_KEY: rootKey },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout!.removeAllListeners("data");
      child.stdout!.resume();
      resolve({
        url: match[1],
        rootKey,
        stop: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((done) => child.once("exit", done));
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}:\n${output}`)));
  });
}
