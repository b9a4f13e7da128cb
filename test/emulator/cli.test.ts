import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { request } from "undici";

/** The CLI as users run it (through ts-node here, so the test needs no build). */
const ROOT = join(__dirname, "..", "..");
const ARGS = ["-r", "ts-node/register/transpile-only", join(ROOT, "emulator", "cli.ts")];
const ENV = { ...process.env, TS_NODE_PROJECT: join(ROOT, "tsconfig.json") };

test("prints its URL and root key, serves, and exits cleanly on SIGTERM", async () => {
  const child = spawn(process.execPath, [...ARGS, "--port", "0"], {
    cwd: ROOT,
    env: { ...ENV, ADMINDO_ROOT_KEY: "adk_cliTestRootKey0123456789abcdef" },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => output.includes("Root key:") && resolve());
      child.on("exit", () => reject(new Error(`cli exited early: ${output}`)));
    });
    const url = /listening on (\S+)/.exec(output)![1];
    expect(output).toContain("Root key: adk_cliTestRootKey0123456789abcdef");
    const response = await request(`${url}/api-keys`, {
      headers: { authorization: "Bearer adk_cliTestRootKey0123456789abcdef" },
    });
    expect(response.statusCode).toBe(200);
    await response.body.dump();
  } finally {
    child.kill("SIGTERM");
  }
  expect(await exited).toBe(0);
}, 20_000);

test("rejects a bad port with usage and exit code 1", () => {
  const result = spawnSync(process.execPath, [...ARGS, "--port", "http"], {
    cwd: ROOT,
    env: ENV,
    encoding: "utf8",
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("Usage: admindo-emulator");
}, 20_000);
