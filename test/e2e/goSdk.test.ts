import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runProcess } from "./harness";

/**
 * The Go SDK of the provider plugin: `admindo-gen-go-sdk schema.json <dir>` (built by
 * scripts/ensure-pulumi.sh next to the CLI; see docs/plugin-sdks.md) writes a Go module, which must
 * build and vet against the Pulumi Go SDK the CLI is built from, and a program that declares keys
 * with it must compile. Compile only: running it needs the Go language host, which is not served
 * to us (scripts/pulumi-cli/README.md).
 *
 * The go command uses the environment's GOPROXY, GOMODCACHE and GOCACHE as they are, so it shares
 * the module and build caches ensure-pulumi.sh filled: with them warm it needs no network
 * (GOPROXY=off passes) and takes seconds; with a cold build cache, about two minutes on two cores.
 */

const REPO = path.resolve(__dirname, "../..");
const SCHEMA = JSON.parse(readFileSync(path.join(REPO, "schema.json"), "utf8")) as {
  version: string;
  language: { go: { importBasePath: string } };
};
const IMPORT_PATH = SCHEMA.language.go.importBasePath;
const MODULE_PATH = path.posix.dirname(IMPORT_PATH);
/** The Pulumi Go SDK version the CLI is built from (scripts/pulumi-cli/go.mod). */
const PULUMI_SDK_VERSION = /github\.com\/pulumi\/pulumi\/sdk\/v3 (v\S+)/.exec(
  readFileSync(path.join(REPO, "scripts/pulumi-cli/go.mod"), "utf8"),
)![1];

/** `go` from PATH, else where ensure-pulumi.sh looks for it. */
function goCommand(): string {
  if (spawnSync("go", ["version"]).status === 0) return "go";
  if (existsSync("/usr/local/go/bin/go")) return "/usr/local/go/bin/go";
  throw new Error(
    "the Go SDK test needs the Go toolchain (`go` on PATH or /usr/local/go), as ensure-pulumi.sh does",
  );
}

const GO = goCommand();
// The flags ensure-pulumi.sh builds the CLI with (-trimpath too), so that the Pulumi SDK packages
// it compiled are found in the build cache; -mod=mod lets the go command write go.sum.
const GO_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GOFLAGS: "-mod=mod -buildvcs=false -trimpath",
  GOWORK: "off",
};
let workspace: string;
let sdkDir: string;

async function go(dir: string, ...args: string[]): Promise<void> {
  const result = await runProcess(GO, args, { cwd: dir, env: GO_ENV, timeoutMs: 600_000 });
  if (result.code !== 0)
    throw new Error(`go ${args.join(" ")} in ${dir} exited ${result.code}\n${result.stderr}`);
}

beforeAll(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), "admindo-go-sdk-"));
  sdkDir = path.join(workspace, "sdk", "go");
  execFileSync("admindo-gen-go-sdk", [path.join(REPO, "schema.json"), sdkDir], { encoding: "utf8" });
});

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

test("the generator writes a Go module one level above importBasePath, pinned to this plugin version", () => {
  const goMod = readFileSync(path.join(sdkDir, "go.mod"), "utf8");
  expect(goMod).toMatch(new RegExp(`^module ${MODULE_PATH.replaceAll(".", "\\.")}$`, "m"));
  expect(goMod).toMatch(/^require github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.\d+\.\d+$/m);
  const packageDir = path.join(sdkDir, path.posix.basename(IMPORT_PATH));
  for (const file of [
    "apiKey.go",
    "apiKeyRestrictions.go",
    "provider.go",
    "pulumiTypes.go",
    "config/config.go",
  ])
    expect(existsSync(path.join(packageDir, file))).toBe(true);
  // The plugin the SDK asks the engine for: this version, not the v1 guessed from an import path.
  expect(JSON.parse(readFileSync(path.join(packageDir, "pulumi-plugin.json"), "utf8"))).toEqual({
    resource: true,
    name: "admindo",
    version: SCHEMA.version,
  });
  expect(readFileSync(path.join(packageDir, "internal/pulumiUtilities.go"), "utf8")).toContain(
    `semver.MustParse("${SCHEMA.version}")`,
  );
});

test(`go build and go vet of the SDK against github.com/pulumi/pulumi/sdk/v3 ${PULUMI_SDK_VERSION}`, async () => {
  await go(sdkDir, "mod", "edit", `-require=github.com/pulumi/pulumi/sdk/v3@${PULUMI_SDK_VERSION}`);
  await go(sdkDir, "build", "./...");
  await go(sdkDir, "vet", "./...");
}, 900_000);

test("a program that declares an ApiKey with restrictions and an ApiKeyRestrictions compiles and vets", async () => {
  const programDir = path.join(workspace, "program");
  mkdirSync(programDir);
  writeFileSync(
    path.join(programDir, "go.mod"),
    `module example.com/admindo-keys

go 1.25

require (
	${MODULE_PATH} v${SCHEMA.version}
	github.com/pulumi/pulumi/sdk/v3 ${PULUMI_SDK_VERSION}
)

replace ${MODULE_PATH} => ../sdk/go
`,
  );
  writeFileSync(
    path.join(programDir, "main.go"),
    `package main

import (
	"${IMPORT_PATH}"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		storefront, err := admindo.NewApiKey(ctx, "storefront", &admindo.ApiKeyArgs{
			Organization:       pulumi.String("acme"),
			Scopes:             pulumi.ToStringArray([]string{"functions:read", "functions:execute"}),
			Projects:           pulumi.ToStringArray([]string{"storefront"}),
			ExpiresIn:          pulumi.String("90d"),
			RotateBeforeExpiry: pulumi.String("14d"),
			Restrictions: &admindo.RestrictionsArgs{
				IpAddresses: pulumi.ToStringArray([]string{"10.20.0.0/16"}),
				RateLimit:   &admindo.RateLimitArgs{Requests: pulumi.Int(600), Period: pulumi.String("minute")},
			},
		})
		if err != nil {
			return err
		}
		analytics, err := admindo.NewApiKey(ctx, "analytics", &admindo.ApiKeyArgs{
			Organization: pulumi.String("acme"),
			Scopes:       pulumi.ToStringArray([]string{"events:read"}),
		})
		if err != nil {
			return err
		}
		if _, err := admindo.NewApiKeyRestrictions(ctx, "analytics-restrictions", &admindo.ApiKeyRestrictionsArgs{
			KeyId:     analytics.KeyId,
			Referrers: pulumi.ToStringArray([]string{"dashboard.acme.example"}),
		}); err != nil {
			return err
		}
		ctx.Export("storefrontKeyId", storefront.KeyId)
		ctx.Export("storefrontKey", storefront.Key)
		return nil
	})
}
`,
  );
  await go(programDir, "build", "-o", path.join(workspace, "admindo-keys"), ".");
  await go(programDir, "vet", ".");
  expect(existsSync(path.join(workspace, "admindo-keys"))).toBe(true);
}, 900_000);
