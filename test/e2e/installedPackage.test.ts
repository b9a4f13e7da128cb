import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStack, type TestStack } from "./harness";
import { createInstalledStack, nodeHome, packTarball, shell } from "./installed";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";

/**
 * The product as users get it: `npm pack` of this checkout, installed into a TypeScript program
 * outside the repository (its own node_modules, no link to the checkout), then the real CLI:
 * `up`, the installed policy pack, `admindo-review` through npx, `destroy`. On every Node line in
 * ADMINDO_TEST_NODE_LINES (set by `npm test`; default: the Node running jest).
 */

const REPO = path.resolve(__dirname, "../..");
const LINES = (process.env.ADMINDO_TEST_NODE_LINES ?? process.versions.node.split(".")[0]).split(/\s+/);
const POLICY_PACK = "node_modules/pulumi-admindo/policy-pack";

const emulator = useEmulator();
const { scan } = emulator;
let workspace: string;
let tarball: string;

beforeAll(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), "admindo-user-"));
  tarball = packTarball(workspace);
}, 120_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

test("the tarball holds what users run and nothing of the repository's own tooling", () => {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((entry) => entry.replace(/^package\//, ""));
  for (const required of [
    "LICENSE",
    "README.md",
    "package.json",
    "dist/sdk/index.js",
    "dist/sdk/index.d.ts",
    "dist/provider/dynamic/apiKey.js",
    "dist/review/cli.js",
    "dist/emulator/cli.js",
    "dist/policy-pack/index.js",
    "policy-pack/PulumiPolicy.yaml",
    "policy-pack/package.json",
    "examples/ci/pulumi-admindo.yml",
    // The provider plugin: its launcher, its schema and every module of plugin/.
    "bin/pulumi-resource-admindo",
    "schema.json",
    ...readdirSync(path.join(REPO, "plugin"))
      .filter((file) => file.endsWith(".ts"))
      .map((file) => `dist/plugin/${file.replace(/\.ts$/, ".js")}`),
  ]) {
    expect(files).toContain(required);
  }
  const unwanted = files.filter(
    (file) =>
      /^(test|scripts|\.ci|docs)\//.test(file) ||
      /\.map$/.test(file) ||
      (/\.ts$/.test(file) && !/\.d\.ts$/.test(file)) ||
      /tsconfig/.test(file),
  );
  expect(unwanted).toEqual([]);
});

/** A key that passes every mandatory rule of the pack's default config. */
const COMPLIANT = `{
  organization: "acme",
  scopes: ["functions:read", "functions:execute"],
  projects: ["storefront"],
  restrictions: { ipAddresses: ["10.20.0.0/16"], rateLimit: { requests: 100, period: "minute" } },
  expiresIn: "30d",
  rotateBeforeExpiry: "7d",
}`;

/** The same key, widened: an unapproved admin scope and every network. */
const ESCALATED = `{
  organization: "acme",
  scopes: ["functions:read", "functions:execute", "admin:write"],
  projects: ["storefront"],
  restrictions: { ipAddresses: ["0.0.0.0/0"], rateLimit: { requests: 100, period: "minute" } },
  expiresIn: "30d",
  rotateBeforeExpiry: "7d",
}`;

function program(args: string): string {
  return `import { ApiKey } from "pulumi-admindo";

const key = new ApiKey("caller", ${args});

export const keyId = key.keyId;
export const secret = key.key;
`;
}

describe.each(LINES)("installed from the tarball, on Node %s", (line) => {
  let stack: TestStack;
  let home: string;

  beforeAll(async () => {
    home = nodeHome(line);
    const template = mkdtempSync(path.join(workspace, "template-"));
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ name: "admindo-keys", private: true, main: "index.ts" }),
      "Pulumi.yaml": "name: admindo-keys\nruntime: nodejs\n",
      "tsconfig.json": JSON.stringify({
        // What `pulumi new typescript` writes.
        compilerOptions: { strict: true, target: "es2020", module: "commonjs", moduleResolution: "node" },
        files: ["index.ts"],
      }),
      "index.ts": program(COMPLIANT),
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(template, name), text);
    stack = scan.stack(
      await createInstalledStack(template, {
        tarball,
        root: workspace,
        nodeHome: home,
        config: { "admindo:baseUrl": emulator.url },
        secrets: { "admindo:apiKey": emulator.rootKey },
        // Type-check the program against the installed .d.ts files, as a user's `pulumi up` does.
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await stack?.cleanup();
  });

  test("installs from the tarball alone: no link to the checkout, no emulator dependencies", async () => {
    const installed = path.join(stack.workDir, "node_modules/pulumi-admindo");
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(realpathSync(installed).startsWith(REPO)).toBe(false);
    expect(existsSync(path.join(stack.workDir, "node_modules/fastify"))).toBe(false);
    expect(existsSync(path.join(stack.workDir, "node_modules/better-sqlite3"))).toBe(false);
    expect((await shell(stack, "node --version")).stdout.trim()).toBe(
      `v${path.basename(home).replace(/^node-v/, "")}`,
    );
  });

  test("up creates the key; each resource's __provider is one require of the installed module", async () => {
    await stack.up();
    scan.secret((await stack.outputs({ showSecrets: true })).secret as string);
    const { deployment } = await stack.exportState();
    const key = deployment.resources!.find((resource) => resource.type.endsWith("admindo:ApiKey"))!;
    for (const serialized of [key.inputs!.__provider, key.outputs!.__provider] as string[]) {
      expect(serialized).toContain('require("pulumi-admindo/provider/dynamic/apiKey")');
      expect(Buffer.byteLength(serialized)).toBeLessThan(1024);
    }
  }, 300_000);

  test("the installed policy pack passes a compliant key and rejects a widened one, naming each rule", async () => {
    const passing = await stack.preview({ policyPack: POLICY_PACK });
    expect(passing.code).toBe(0);

    stack.writeFile("index.ts", program(ESCALATED));
    const failing = await stack.preview({ policyPack: POLICY_PACK, check: false });
    const text = failing.stdout + failing.stderr;
    expect(failing.code).not.toBe(0);
    expect(text).toMatch(/\[mandatory\].*admin-scopes-need-approval/);
    expect(text).toMatch(/\[mandatory\].*no-open-networks/);
  }, 300_000);

  test("preview --json | npx admindo-review --fail-on-escalation flags the escalations (exit 2)", async () => {
    const review = await shell(
      stack,
      "pulumi preview --json --non-interactive | npx --no-install admindo-review --format markdown --fail-on-escalation",
    );
    expect(review.code).toBe(2);
    expect(review.stdout).toMatch(/privileged-scope-granted/);
    expect(review.stdout).toMatch(/network-widened|0\.0\.0\.0\/0/);
  }, 300_000);

  test("destroy removes the key from the server", async () => {
    const { keyId } = await stack.outputs();
    await stack.destroy();
    await expect(emulator.client.apiKeys.get(keyId as string)).rejects.toMatchObject({ status: 404 });
  }, 300_000);
});

describe("admindo-emulator from an installed copy", () => {
  let stack: TestStack;

  beforeAll(async () => {
    const template = mkdtempSync(path.join(workspace, "emulator-"));
    writeFileSync(
      path.join(template, "package.json"),
      JSON.stringify({
        name: "uses-emulator",
        private: true,
        dependencies: { "pulumi-admindo": `file:${tarball}` },
      }),
    );
    writeFileSync(path.join(template, "Pulumi.yaml"), "name: uses-emulator\nruntime: nodejs\n");
    stack = await createStack(template, { root: workspace });
    expect((await shell(stack, "npm install --no-audit --no-fund")).code).toBe(0);
  }, 300_000);

  afterAll(() => rmSync(stack.workDir, { recursive: true, force: true }));

  test("without its optional dependencies it says, in one sentence, what to install", async () => {
    const result = await shell(stack, "npx --no-install admindo-emulator --port 0");
    expect(result.code).toBe(1);
    const message = result.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(/npm install --save-dev fastify@\S+ better-sqlite3@\S+/);
    expect(message).not.toMatch(/\n\s+at /);
  });

  test("with them installed it serves the API", async () => {
    const { peerDependencies } = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
    };
    const deps = Object.entries(peerDependencies).map(([name, range]) => `${name}@${range}`);
    expect((await shell(stack, `npm install --no-audit --no-fund --save-dev ${deps.join(" ")}`)).code).toBe(
      0,
    );
    const started = await shell(
      stack,
      // The bin npx would run, started directly so that $! is the server itself (npx would leave it
      // running when killed). Start, wait for the banner, ask /health, stop.
      `./node_modules/.bin/admindo-emulator --port 0 > emulator.log 2>&1 & pid=$!
       for i in $(seq 1 100); do grep -q "listening on" emulator.log && break; sleep 0.1; done
       url=$(grep -o "http://[^ ]*" emulator.log | head -n 1)
       node -e "fetch(process.argv[1] + '/health').then(r => { console.log(r.status); })" "$url"
       kill $pid; wait $pid`,
    );
    expect(started.stdout.trim().split("\n")[0]).toBe("200");
  }, 300_000);
});

// The root key, and the secret of the key made on each Node line.
leakScanTest(scan, { minSecrets: 1 + LINES.length });
