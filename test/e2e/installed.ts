import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createStack, runProcess, type CliResult, type TestStack } from "./harness";

/**
 * Programs that use pulumi-admindo as users get it: the `npm pack` tarball of this checkout,
 * installed with npm into the program's own node_modules, outside the repository.
 */

const REPO = path.resolve(__dirname, "../..");

/** Packs the checkout into `dir` and returns the tarball's path. dist/ must be built already. */
export function packTarball(dir: string): string {
  // --ignore-scripts: dist/ is fresh, so `prepare` need not build it again.
  const output = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
    cwd: REPO,
    encoding: "utf8",
  });
  return path.join(dir, output.trim().split("\n").pop()!);
}

/**
 * A copy of the tarball (in the same folder) whose files have no exec bit, as `npm pack` makes it
 * on a file system or checkout without modes (Windows, `core.fileMode=false`). Returns its path.
 */
export function withoutExecBits(tarball: string): string {
  const dir = mkdtempSync(path.join(path.dirname(tarball), "unpacked-"));
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  execFileSync("chmod", ["-R", "a-x,a+X", path.join(dir, "package")]);
  const copy = tarball.replace(/\.tgz$/, "-no-exec-bits.tgz");
  execFileSync("tar", ["-czf", copy, "-C", dir, "package"]);
  rmSync(dir, { recursive: true, force: true });
  return copy;
}

/** The directory of a supported Node line: this process's own, or one fetched by scripts/ensure-node.sh. */
export function nodeHome(line: string): string {
  if (line === process.versions.node.split(".")[0]) return path.dirname(path.dirname(process.execPath));
  return execFileSync("bash", [path.join(REPO, "scripts/ensure-node.sh"), line], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
}

/** Runs a shell command in the stack's directory with its environment, recording it in its transcript. */
export async function shell(stack: TestStack, command: string, timeoutMs = 280_000): Promise<CliResult> {
  const result = await runProcess("bash", ["-c", command], { cwd: stack.workDir, env: stack.env, timeoutMs });
  stack.transcript.push(`$ ${command}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/**
 * A stack for the program in `programDir` whose package.json takes pulumi-admindo from the
 * tarball (and TypeScript 5 for ts-node, unless `typescript: false`), installed with `npm install`
 * on the given Node.
 */
export async function createInstalledStack(
  programDir: string,
  options: {
    tarball: string;
    root: string;
    nodeHome?: string;
    config?: Record<string, string>;
    secrets?: Record<string, string>;
    env?: NodeJS.ProcessEnv;
    /** Add TypeScript 5 and @types/node for ts-node (default true; a YAML program needs neither). */
    typescript?: boolean;
  },
): Promise<TestStack> {
  const home = options.nodeHome;
  const stack = await createStack(programDir, {
    root: options.root,
    config: options.config,
    secrets: options.secrets,
    env: {
      ...(home && {
        PATH: `${path.join(home, "bin")}${path.delimiter}${process.env.PATH}`,
        npm_config_nodedir: home,
      }),
      ...options.env,
    },
  });
  const manifestPath = path.join(stack.workDir, "package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  manifest.dependencies = { ...manifest.dependencies, "pulumi-admindo": `file:${options.tarball}` };
  if (options.typescript ?? true)
    manifest.devDependencies = { typescript: "~5.9.3", "@types/node": "^22", ...manifest.devDependencies };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  const install = await shell(stack, "npm install --no-audit --no-fund");
  if (install.code !== 0) throw new Error(`npm install failed in ${stack.workDir}:\n${install.stderr}`);
  return stack;
}
