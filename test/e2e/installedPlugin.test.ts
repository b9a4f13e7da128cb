import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import yaml from "js-yaml";
import { createStack, type StateResource, type TestStack } from "./harness";
import { createInstalledStack, nodeHome, packTarball, shell, withoutExecBits } from "./installed";
import { leakScanTest } from "./leakScan";
import { useEmulator } from "./session";

/**
 * The provider plugin as users get it, from Pulumi YAML programs outside the repository:
 *
 * - `npm install` of the packed tarball and `plugins.providers[].path:
 *   ./node_modules/pulumi-admindo/bin` in Pulumi.yaml: `up`, `preview --expect-no-changes`,
 *   `pulumi import` of a key made elsewhere, `destroy`, on every Node line in
 *   ADMINDO_TEST_NODE_LINES (the plugin runs on the `node` found on PATH). The tarball used has
 *   lost every exec bit: npm makes the launcher executable because it is a `bin` entry.
 * - `pulumi plugin install resource admindo <version> --file` of the archive `npm run plugin:pack`
 *   makes, and a program without `path`; and why the npm tarball itself cannot be installed so.
 */

const REPO = path.resolve(__dirname, "../..");
const LINES = (process.env.ADMINDO_TEST_NODE_LINES ?? process.versions.node.split(".")[0]).split(/\s+/);
const { version: VERSION } = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  version: string;
};

/**
 * A pulumi-resource-admindo on PATH (this checkout's node_modules/.bin, under npx or npm run) would
 * be used instead of the plugin under test: the engine prefers such "ambient" plugins to installed
 * ones unless told not to.
 */
const env = { PULUMI_IGNORE_AMBIENT_PLUGINS: "true" };

const emulator = useEmulator();
const { scan } = emulator;
let workspace: string;
let tarball: string;

beforeAll(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), "admindo-plugin-user-"));
  tarball = packTarball(workspace);
}, 120_000);

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A key inventory in YAML: one key with restrictions inline, one with an ApiKeyRestrictions of its own. */
function program(plugins: string): string {
  return `name: admindo-yaml-keys
runtime: yaml
${plugins}resources:
  storefront:
    type: admindo:index:ApiKey
    properties:
      description: Calls functions from the storefront servers
      organization: acme
      scopes: [functions:read, functions:execute]
      projects: [storefront]
      expiresIn: 30d
      restrictions:
        ipAddresses: [10.20.0.0/16]
        rateLimit:
          requests: 600
          period: minute
  analytics:
    type: admindo:index:ApiKey
    properties:
      organization: acme
      scopes: [events:read]
  analytics-restrictions:
    type: admindo:index:ApiKeyRestrictions
    properties:
      keyId: \${analytics.keyId}
      referrers: [dashboard.acme.example]
outputs:
  storefrontKeyId: \${storefront.keyId}
  analyticsKeyId: \${analytics.keyId}
  storefrontKey: \${storefront.key}
`;
}

const FROM_NODE_MODULES = `plugins:
  providers:
    - name: admindo
      path: ./node_modules/pulumi-admindo/bin
`;

/** up, the keys on the server, the secret output encrypted in state and registered with the leak scan. */
async function upCreatesTheKeys(stack: TestStack): Promise<Record<string, string>> {
  await stack.up();
  const outputs = (await stack.outputs({ showSecrets: true })) as Record<string, string>;
  scan.secret(outputs.storefrontKey);
  expect(outputs.storefrontKey).toMatch(/^adk_/);

  await expect(emulator.client.apiKeys.get(outputs.storefrontKeyId)).resolves.toMatchObject({
    scopes: expect.arrayContaining(["functions:read", "functions:execute"]),
    restrictions: { ipAddresses: ["10.20.0.0/16"], rateLimit: { requests: 600, period: "minute" } },
  });
  await expect(emulator.client.apiKeys.get(outputs.analyticsKeyId)).resolves.toMatchObject({
    restrictions: { referrers: ["dashboard.acme.example"] },
  });

  const { text, deployment } = await stack.exportState();
  expect(text).not.toContain(outputs.storefrontKey);
  const key = deployment.resources!.find((resource: StateResource) => resource.urn.endsWith("::storefront"))!;
  expect(key.type).toBe("admindo:index:ApiKey");
  expect(key.outputs!.key).toMatchObject({ ciphertext: expect.any(String) });
  return outputs;
}

async function destroyRemovesTheKeys(stack: TestStack, keyIds: string[]): Promise<void> {
  await stack.destroy();
  for (const keyId of keyIds)
    await expect(emulator.client.apiKeys.get(keyId)).rejects.toMatchObject({ status: 404 });
}

describe.each(LINES)("a YAML program with the plugin from node_modules, on Node %s", (line) => {
  let stack: TestStack;
  let home: string;
  let outputs: Record<string, string>;
  const adopted: string[] = [];

  beforeAll(async () => {
    home = nodeHome(line);
    const template = mkdtempSync(path.join(workspace, "yaml-"));
    writeFileSync(
      path.join(template, "package.json"),
      JSON.stringify({ name: "admindo-yaml-keys", private: true }),
    );
    writeFileSync(path.join(template, "Pulumi.yaml"), program(FROM_NODE_MODULES));
    stack = emulator.adopt(
      await createInstalledStack(template, {
        tarball: withoutExecBits(tarball),
        root: workspace,
        nodeHome: home,
        typescript: false,
        env,
        config: { "admindo:baseUrl": emulator.url },
        secrets: { "admindo:apiKey": emulator.rootKey },
      }),
    );
  }, 300_000);

  test("npm makes the launcher executable though the tarball's files have no exec bit; node is this line's", async () => {
    const launcher = path.join(stack.workDir, "node_modules/pulumi-admindo/bin/pulumi-resource-admindo");
    expect(() => accessSync(launcher, constants.X_OK)).not.toThrow();
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    expect((await shell(stack, "node --version")).stdout.trim()).toBe(
      `v${path.basename(home).replace(/^node-v/, "")}`,
    );
  });

  test("up creates both keys with their restrictions; the key's secret is encrypted in state", async () => {
    outputs = await upCreatesTheKeys(stack);
  }, 300_000);

  test("a second preview expects no changes", async () => {
    await stack.run(["preview", "--expect-no-changes"]);
  }, 300_000);

  test("pulumi import adopts a key made elsewhere; with the code it prints, nothing changes", async () => {
    const legacy = await emulator.client.apiKeys.create({
      name: "legacy-reporting",
      organization: "acme",
      scopes: ["data:read"],
      restrictions: { referrers: ["reports.acme.example"] },
    });
    scan.secret(legacy.key);
    adopted.push(legacy.id);
    await stack.run([
      "import",
      "admindo:index:ApiKey",
      "legacy-reporting",
      legacy.id,
      "--yes",
      // Imports are protected by default; unprotected here so that destroy can show it deleted.
      "--protect=false",
      "--out",
      "imported.yaml",
    ]);

    const generated = yaml.load(readFileSync(path.join(stack.workDir, "imported.yaml"), "utf8")) as {
      resources: Record<string, unknown>;
    };
    expect(generated.resources["legacy-reporting"]).toMatchObject({
      properties: {
        organization: "acme",
        scopes: ["data:read"],
        restrictions: { referrers: ["reports.acme.example"] },
      },
    });
    const project = yaml.load(readFileSync(path.join(stack.workDir, "Pulumi.yaml"), "utf8")) as {
      resources: Record<string, unknown>;
    };
    project.resources = { ...project.resources, ...generated.resources };
    stack.writeFile("Pulumi.yaml", yaml.dump(project));
    await stack.run(["preview", "--expect-no-changes"]);
  }, 300_000);

  test("destroy removes every key, the adopted one too", async () => {
    await destroyRemovesTheKeys(stack, [outputs.storefrontKeyId, outputs.analyticsKeyId, ...adopted]);
  }, 300_000);
});

describe("pulumi plugin install --file", () => {
  let archive: string;

  beforeAll(() => {
    archive = execFileSync("bash", [path.join(REPO, "scripts/plugin-pack.sh"), workspace, tarball], {
      encoding: "utf8",
    })
      .trim()
      .split("\n")
      .pop()!;
  }, 120_000);

  test("the archive of npm run plugin:pack installs, and a program without a path runs the plugin", async () => {
    expect(path.basename(archive)).toBe(`pulumi-resource-admindo-v${VERSION}.tar.gz`);
    const template = mkdtempSync(path.join(workspace, "installed-plugin-"));
    writeFileSync(path.join(template, "Pulumi.yaml"), program(""));
    const stack = emulator.adopt(
      await createStack(template, {
        root: workspace,
        env,
        config: { "admindo:baseUrl": emulator.url },
        secrets: { "admindo:apiKey": emulator.rootKey },
      }),
    );
    await stack.run(["plugin", "install", "resource", "admindo", VERSION, "--file", archive]);
    const outputs = await upCreatesTheKeys(stack);
    await stack.run(["preview", "--expect-no-changes"]);
    await destroyRemovesTheKeys(stack, [outputs.storefrontKeyId, outputs.analyticsKeyId]);
  }, 300_000);

  test("the npm tarball itself installs, but the engine finds no plugin executable at its root", async () => {
    const template = mkdtempSync(path.join(workspace, "npm-tarball-plugin-"));
    writeFileSync(path.join(template, "Pulumi.yaml"), program(""));
    const stack = emulator.adopt(await createStack(template, { root: workspace, env }));
    await stack.run(["plugin", "install", "resource", "admindo", VERSION, "--file", tarball]);
    const preview = await stack.preview({ check: false });
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(
      /loading PulumiPlugin\.yaml: .*no such file or directory/,
    );
  }, 300_000);
});

// The root key, the key made outside the program and the storefront secret of each stack.
leakScanTest(scan, { minSecrets: 1 + 2 * LINES.length + 1 });
