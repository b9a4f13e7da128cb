import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createAdminClient } from "../../../client";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { createStack, type TestStack } from "../../e2e/harness";
import { baseSpec, SCENARIOS, type ProgramSpec, type Scenario } from "./scenarios";

/**
 * Captures real `pulumi preview --json` output: the real Pulumi CLI, our dynamic provider (dist/)
 * and the emulator. A stack deploys the base program once; each scenario rewrites spec.json and
 * previews. The CLI's stdout is saved as printed, only re-indented by prettier.
 *
 *   npm run review:capture [-- scenario ...]
 *
 * writes test/review/fixtures/<scenario>.json. test/e2e/review.test.ts calls the same functions.
 * The PLUGIN_SCENARIOS are also captured from the same program written in Pulumi YAML, through the
 * provider plugin (bin/pulumi-resource-admindo), into test/review/fixtures/plugin/<scenario>.json
 * (`npm run review:capture -- plugin` captures only those).
 */

export const REPO = path.resolve(__dirname, "../../..");
const PROGRAM = path.join(REPO, "test/e2e/fixtures/review-keys");
const FIXTURES = path.join(REPO, "test/review/fixtures");
const PLUGIN_DIR = path.join(REPO, "bin");

/** Scenarios also captured through the provider plugin, from the program in Pulumi YAML. */
export const PLUGIN_SCENARIOS = [
  "no-changes",
  "scope-added",
  "scope-removed",
  "admin-scope-granted",
  "organization-changed",
  "restrictions-resource-changed",
] as const;

/** How the program is written: TypeScript with the dynamic provider, or Pulumi YAML with the plugin. */
export type Flavor = "dynamic" | "plugin";

/** Captures that need more than a program change: time passing, or a change made outside Pulumi. */
export const SPECIAL_CAPTURES = [
  "scheduled-rotation",
  "revoked-key-refresh",
  "in-place-rotation-trigger",
  "in-place-scheduled-rotation",
  "out-of-band-rotation-refresh",
] as const;

export interface Capture {
  name: string;
  /** The CLI's stdout, exactly as printed. */
  json: string;
}

export interface CaptureSession {
  emulator: RunningEmulator;
  stacks: TestStack[];
  /** Every secret the deployed keys hold (read with --show-secrets), to prove no capture prints one. */
  secrets: string[];
  close(): Promise<void>;
}

/** A fixed expiry about two months ahead, at midnight UTC. */
export function futureExpiry(now = new Date()): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 60));
  return day.toISOString().replace(".000Z", "Z");
}

/** Puts the Pulumi CLI on PATH (scripts/ensure-pulumi.sh builds it once if needed). */
export function ensurePulumiOnPath(): void {
  // Its progress goes to stderr; a failure throws with that text.
  const output = execFileSync("bash", [path.join(REPO, "scripts/ensure-pulumi.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const bin = output.trim().split("\n").pop()!;
  if (!(process.env.PATH ?? "").split(path.delimiter).includes(bin)) {
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ""}`;
  }
}

export async function openSession(): Promise<CaptureSession> {
  const emulator = await startEmulator({ port: 0 });
  const stacks: TestStack[] = [];
  return {
    emulator,
    stacks,
    secrets: [],
    async close() {
      await Promise.all(stacks.map((stack) => stack.cleanup()));
      await emulator.close();
    },
  };
}

function writeSpec(stack: TestStack, spec: ProgramSpec, flavor: Flavor = "dynamic"): void {
  if (flavor === "plugin") stack.writeFile("Pulumi.yaml", yamlProgramOf(spec));
  else stack.writeFile("spec.json", `${JSON.stringify(spec, null, 2)}\n`);
}

/**
 * The review-keys program of `spec` in Pulumi YAML, reaching this checkout's provider plugin: the
 * same project, resource names, inputs and outputs as test/e2e/fixtures/review-keys (JSON is YAML).
 */
export function yamlProgramOf(spec: ProgramSpec): string {
  const resources: Record<string, unknown> = {};
  for (const [name, { scopesAfter, ...properties }] of Object.entries(spec.keys)) {
    if (scopesAfter) throw new Error(`${name}: scopesAfter has no YAML equivalent here`);
    resources[name] = { type: "admindo:index:ApiKey", properties };
  }
  for (const [name, { key, ...properties }] of Object.entries(spec.restrictions ?? {})) {
    resources[name] = {
      type: "admindo:index:ApiKeyRestrictions",
      properties: { ...properties, keyId: `\${${key}.keyId}` },
    };
  }
  const each = (output: string) =>
    Object.fromEntries(Object.keys(spec.keys).map((name) => [name, `\${${name}.${output}}`]));
  const program = {
    name: "e2e-review-keys",
    runtime: "yaml",
    description: "The review-keys program in Pulumi YAML, through the admindo provider plugin.",
    plugins: { providers: [{ name: "admindo", path: PLUGIN_DIR }] },
    resources,
    outputs: { secrets: each("key"), keyIds: each("keyId") },
  };
  return `${JSON.stringify(program, null, 2)}\n`;
}

/** A stack of the review-keys program against the session's emulator, with `spec` deployed. */
export async function deployedStack(
  session: CaptureSession,
  spec: ProgramSpec,
  flavor: Flavor = "dynamic",
): Promise<TestStack> {
  const options = {
    config: { "admindo:baseUrl": session.emulator.url },
    secrets: { "admindo:apiKey": session.emulator.rootKey },
  };
  let stack: TestStack;
  if (flavor === "plugin") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "admindo-review-yaml-"));
    try {
      writeFileSync(path.join(dir, "Pulumi.yaml"), yamlProgramOf(spec));
      stack = await createStack(dir, options);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    stack = await createStack(PROGRAM, options);
  }
  session.stacks.push(stack);
  writeSpec(stack, spec, flavor);
  await stack.up();
  const outputs = await stack.outputs({ showSecrets: true });
  session.secrets.push(...Object.values((outputs.secrets ?? {}) as Record<string, string>));
  return stack;
}

/** `pulumi preview --json` of the program changed by `scenario`, against the deployed base. */
export async function captureScenario(
  stack: TestStack,
  base: ProgramSpec,
  scenario: Scenario,
  flavor: Flavor = "dynamic",
): Promise<Capture> {
  writeSpec(stack, scenario.change(base), flavor);
  const result = await stack.preview({ json: true });
  return { name: scenario.name, json: result.stdout };
}

/**
 * A key rotated every 5 seconds, replaced or (with an overlap) in place, previewed once the period
 * has passed.
 */
async function captureSchedule(session: CaptureSession, name: string, overlap?: string): Promise<Capture> {
  const spec: ProgramSpec = {
    keys: {
      rotating: {
        organization: "acme",
        scopes: ["functions:read", "functions:execute"],
        projects: ["storefront"],
        rotationPeriod: "5s",
        ...(overlap && { rotationOverlap: overlap }),
      },
    },
  };
  const stack = await deployedStack(session, spec);
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  const result = await stack.preview({ json: true });
  return { name, json: result.stdout };
}

/** A partner key rotated in place (24h overlap), restricted by its own ApiKeyRestrictions. */
function partnerSpec(generation: number): ProgramSpec {
  return {
    keys: {
      partner: {
        organization: "acme",
        scopes: ["functions:read", "functions:execute"],
        projects: ["storefront"],
        expiresIn: "30d",
        rotationTriggers: { generation },
        rotationOverlap: "24h",
      },
    },
    restrictions: { "partner-network": { key: "partner", referrers: ["partner.example.com"] } },
  };
}

/** The partner key's rotation trigger changes: an in-place rotation, its restrictions staying. */
async function captureInPlaceTrigger(session: CaptureSession): Promise<Capture> {
  const stack = await deployedStack(session, partnerSpec(1));
  writeSpec(stack, partnerSpec(2));
  const result = await stack.preview({ json: true });
  return { name: "in-place-rotation-trigger", json: result.stdout };
}

/** The partner key rotated outside Pulumi (in the console), then `pulumi preview --refresh --json`. */
async function captureOutOfBandRotation(session: CaptureSession): Promise<Capture> {
  const stack = await deployedStack(session, partnerSpec(1));
  const keyId = ((await stack.outputs()).keyIds as Record<string, string>).partner;
  const client = createAdminClient({ baseUrl: session.emulator.url, apiKey: session.emulator.rootKey });
  try {
    // The console's new secret is never printed anywhere; the preview must not show it either.
    session.secrets.push((await client.apiKeys.rotate(keyId, { gracePeriod: "1h" })).key);
  } finally {
    await client.close();
  }
  const result = await stack.preview({ json: true, refresh: true });
  return { name: "out-of-band-rotation-refresh", json: result.stdout };
}

/** The storefront key revoked outside Pulumi, then `pulumi preview --refresh --json`. */
async function captureRevokedKey(
  session: CaptureSession,
  stack: TestStack,
  base: ProgramSpec,
): Promise<Capture> {
  writeSpec(stack, base);
  const outputs = await stack.outputs();
  const keyId = (outputs.keyIds as Record<string, string>).storefront;
  const client = createAdminClient({ baseUrl: session.emulator.url, apiKey: session.emulator.rootKey });
  try {
    await client.apiKeys.revoke(keyId, { reason: "leaked in a support ticket" });
  } finally {
    await client.close();
  }
  const result = await stack.preview({ json: true, refresh: true });
  return { name: "revoked-key-refresh", json: result.stdout };
}

/** Captures the named scenarios (default: all, plus the special captures). */
async function captureAll(session: CaptureSession, names?: readonly string[]): Promise<Capture[]> {
  const wanted = (name: string) => !names?.length || names.includes(name);
  const base = baseSpec(futureExpiry());
  const captures: Capture[] = [];
  const scenarios = SCENARIOS.filter((scenario) => wanted(scenario.name));
  const needsBase = scenarios.length > 0 || wanted("revoked-key-refresh");
  const stack = needsBase ? await deployedStack(session, base) : undefined;
  for (const scenario of scenarios) {
    captures.push(await captureScenario(stack!, base, scenario));
    process.stderr.write(`captured ${scenario.name}\n`);
  }
  if (wanted("scheduled-rotation")) captures.push(await captureSchedule(session, "scheduled-rotation"));
  if (wanted("in-place-rotation-trigger")) captures.push(await captureInPlaceTrigger(session));
  if (wanted("in-place-scheduled-rotation"))
    captures.push(await captureSchedule(session, "in-place-scheduled-rotation", "2s"));
  if (wanted("out-of-band-rotation-refresh")) captures.push(await captureOutOfBandRotation(session));
  // Last: revoking changes the deployed key for every later preview.
  if (wanted("revoked-key-refresh")) captures.push(await captureRevokedKey(session, stack!, base));
  return captures;
}

/** The PLUGIN_SCENARIOS through the plugin (all with `plugin`, else those named), as plugin/<name>. */
async function capturePlugin(session: CaptureSession, names?: readonly string[]): Promise<Capture[]> {
  const all = !names?.length || names.includes("plugin");
  const scenarios = SCENARIOS.filter(
    (scenario) =>
      (PLUGIN_SCENARIOS as readonly string[]).includes(scenario.name) &&
      (all || names.includes(scenario.name)),
  );
  if (scenarios.length === 0) return [];
  const base = baseSpec(futureExpiry());
  const stack = await deployedStack(session, base, "plugin");
  const captures: Capture[] = [];
  for (const scenario of scenarios) {
    const capture = await captureScenario(stack, base, scenario, "plugin");
    captures.push({ ...capture, name: `plugin/${scenario.name}` });
    process.stderr.write(`captured plugin/${scenario.name}\n`);
  }
  return captures;
}

/** Throws when a capture contains a secret of the session or anything shaped like an Admin.do key. */
export function assertNoPlaintextSecrets(captures: readonly Capture[], secrets: readonly string[]): void {
  if (secrets.length === 0) throw new Error("no secrets were read back: the leak check would prove nothing");
  for (const capture of captures) {
    for (const secret of secrets) {
      if (capture.json.includes(secret))
        throw new Error(`${capture.name} contains a plaintext API key secret`);
    }
    if (/adk_[0-9A-Za-z]{32}/.test(capture.json)) {
      throw new Error(`${capture.name} contains something shaped like an Admin.do key`);
    }
  }
}

async function main(): Promise<void> {
  ensurePulumiOnPath();
  const session = await openSession();
  try {
    const names = process.argv.slice(2);
    const onlyPlugin = names.length > 0 && names.every((name) => name === "plugin");
    const captures = [
      ...(onlyPlugin ? [] : await captureAll(session, names)),
      ...(await capturePlugin(session, names)),
    ];
    assertNoPlaintextSecrets(captures, session.secrets);
    mkdirSync(path.join(FIXTURES, "plugin"), { recursive: true });
    const prettier = await import("prettier");
    for (const capture of captures) {
      // Formatted like every file in the repository (whitespace only), so `prettier --check` passes.
      const file = path.join(FIXTURES, `${capture.name}.json`);
      const options = (await prettier.resolveConfig(file)) ?? {};
      writeFileSync(file, await prettier.format(capture.json, { ...options, filepath: file }));
      process.stdout.write(`wrote test/review/fixtures/${capture.name}.json\n`);
    }
  } finally {
    await session.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
