import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Drives the real Pulumi CLI for end-to-end tests: one temporary, fully offline stack per test
 * (file backend, passphrase secrets, own PULUMI_HOME, no update checks or plugin downloads).
 *
 * Programs are copied under <repo>/.e2e/ rather than the system temp dir so that Node resolves
 * `pulumi-admindo` and `@pulumi/pulumi` from the repository's node_modules, as it would from a
 * user's project. Every byte the CLI prints is kept, so tests can search it for leaked secrets.
 */

const REPO = path.resolve(__dirname, "../..");
const E2E_ROOT = path.join(REPO, ".e2e");
export const EXAMPLES = path.join(REPO, "examples");
export const PASSPHRASE = "e2e-test-passphrase";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON when the command was run with --json. */
  json?: unknown;
}

export interface RunOptions {
  /** Fail the test when the command exits non-zero (default true). */
  check?: boolean;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface PreviewOptions extends RunOptions {
  diff?: boolean;
  json?: boolean;
  policyPack?: string;
  policyPackConfig?: string;
  refresh?: boolean;
}

export class TestStack {
  /** Everything every command printed, for leak scans. */
  readonly transcript: string[] = [];
  readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly workDir: string,
    readonly name: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.env = env;
  }

  async run(args: string[], options: RunOptions & { input?: string } = {}): Promise<CliResult> {
    const result = await runProcess("pulumi", [...args, "--non-interactive", "--color", "never"], {
      cwd: this.workDir,
      env: { ...this.env, ...options.env },
      timeoutMs: options.timeoutMs ?? 300_000,
      input: options.input,
    });
    this.transcript.push(`$ pulumi ${args.join(" ")}\n${result.stdout}\n${result.stderr}`);
    if ((options.check ?? true) && result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    if (options.secret) {
      // Through stdin, so the secret is in no command line (nor in this transcript); the CLI
      // encrypts it into the stack's config file.
      await this.run(["config", "set", key, "--secret"], { input: value });
    } else {
      await this.run(["config", "set", key, value, "--plaintext"]);
    }
  }

  /** Replaces the program with another directory's files (a new "commit" of the same project). */
  useProgram(programDir: string): void {
    copyProgram(programDir, this.workDir);
  }

  writeFile(relativePath: string, content: string): void {
    writeFileSync(path.join(this.workDir, relativePath), content);
  }

  up(options: RunOptions & { refresh?: boolean } = {}): Promise<CliResult> {
    return this.run(["up", "--yes", "--skip-preview", ...(options.refresh ? ["--refresh"] : [])], options);
  }

  async preview(options: PreviewOptions = {}): Promise<CliResult> {
    const args = ["preview"];
    if (options.diff) args.push("--diff");
    if (options.json) args.push("--json");
    if (options.refresh) args.push("--refresh");
    if (options.policyPack) args.push("--policy-pack", options.policyPack);
    if (options.policyPackConfig) args.push("--policy-pack-config", options.policyPackConfig);
    const result = await this.run(args, options);
    if (options.json && result.stdout.trim()) result.json = JSON.parse(result.stdout);
    return result;
  }

  refresh(options: RunOptions = {}): Promise<CliResult> {
    return this.run(["refresh", "--yes", "--skip-preview"], options);
  }

  destroy(options: RunOptions = {}): Promise<CliResult> {
    return this.run(["destroy", "--yes", "--skip-preview"], options);
  }

  /** The stack's state as `pulumi stack export` prints it (secrets stay encrypted). */
  async exportState(): Promise<{ text: string; deployment: StateDeployment }> {
    const result = await this.run(["stack", "export"]);
    return { text: result.stdout, deployment: JSON.parse(result.stdout).deployment as StateDeployment };
  }

  /** Stack outputs; secrets are shown in plaintext only with showSecrets. */
  async outputs(options: { showSecrets?: boolean } = {}): Promise<Record<string, unknown>> {
    const result = await this.run([
      "stack",
      "output",
      "--json",
      ...(options.showSecrets ? ["--show-secrets"] : []),
    ]);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** Removes the stack's resources (best effort) and its directory. */
  async cleanup(): Promise<void> {
    await this.destroy({ check: false }).catch(() => undefined);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface StateDeployment {
  resources?: StateResource[];
  pending_operations?: unknown[];
}

function copyProgram(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    filter: (source) =>
      !/(^|\/)(node_modules|Pulumi\.[^/]+\.yaml)$/.test(source) || source.endsWith("Pulumi.yaml"),
  });
}

/**
 * Creates a stack for the program in `programDir` (an examples/ folder or a test fixture) with
 * the given config. `secrets` are set with --secret.
 */
export async function createStack(
  programDir: string,
  options: {
    config?: Record<string, string>;
    secrets?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
    /** Where the stack's directory is made (default .e2e/ in the checkout, so the self-link resolves). */
    root?: string;
  } = {},
): Promise<TestStack> {
  const id = `${path.basename(programDir)}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  const workDir = path.join(options.root ?? E2E_ROOT, id);
  mkdirSync(workDir, { recursive: true });
  copyProgram(programDir, workDir);
  const home = path.join(workDir, ".pulumi-home");
  const backend = path.join(workDir, ".state");
  mkdirSync(home, { recursive: true });
  mkdirSync(backend, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    // Type-checking happens once in `npm run typecheck`; here it would only slow every run.
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...options.env,
  };
  const stack = new TestStack(workDir, "test", env);
  await stack.run(["stack", "init", "test"]);
  for (const [key, value] of Object.entries(options.config ?? {})) await stack.setConfig(key, value);
  for (const [key, value] of Object.entries(options.secrets ?? {}))
    await stack.setConfig(key, value, { secret: true });
  return stack;
}

export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    // A command that exits without reading its input makes the write fail with EPIPE: harmless.
    child.stdin.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") reject(error);
    });
    child.stdin.end(options.input ?? "");
  });
}
