import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createAdminClient, type AdminClient } from "../../client";

/**
 * The emulator as users run it: the built CLI in its own process, logging every request, so
 * end-to-end tests exercise a real server and can search its log output for leaked secrets.
 */
export interface EmulatorProcess {
  url: string;
  rootKey: string;
  /** Everything the server printed so far. */
  output(): string;
  /** A client authenticated with the root key. */
  client: AdminClient;
  stop(): Promise<void>;
}

const CLI = path.resolve(__dirname, "../../dist/emulator/cli.js");

export function startEmulatorProcess(
  options: { dbPath?: string; rootKey?: string } = {},
): Promise<EmulatorProcess> {
  const rootKey = options.rootKey ?? `root_${randomBytes(18).toString("base64url")}`;
  const args = [CLI, "--port", "0", "--log", ...(options.dbPath ? ["--db", options.dbPath] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ADMINDO_ROOT_KEY: rootKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match && !resolved) {
        resolved = true;
        const client = createAdminClient({ baseUrl: match[1], apiKey: rootKey });
        resolve({
          url: match[1],
          rootKey,
          output: () => output,
          client,
          stop: async () => {
            await client.close();
            if (child.exitCode !== null) return;
            const exited = new Promise((done) => child.once("exit", done));
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    let resolved = false;
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      if (!resolved) reject(new Error(`emulator exited with ${code} before listening:\n${output}`));
    });
  });
}
