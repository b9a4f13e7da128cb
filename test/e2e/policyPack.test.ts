import { readFileSync } from "node:fs";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-admindo/emulator";
import { createStack, type CliResult, type TestStack } from "./harness";
import { LeakScan, leakScanTest } from "./leakScan";

/**
 * The policy pack through the real Pulumi CLI: `pulumi preview --policy-pack policy-pack`, with
 * and without `--policy-pack-config`. Previews of new keys never call the Admin.do API, but the
 * provider's configure wants credentials: a dummy key and an address nobody listens on.
 */

const PACK = path.resolve(__dirname, "../../policy-pack");
const FIXTURES = path.join(__dirname, "fixtures");
const DUMMY_API_KEY = "policy-e2e-dummy-admin-key";
const OFFLINE = {
  config: { "admindo:baseUrl": "http://127.0.0.1:9" },
  secrets: { "admindo:apiKey": DUMMY_API_KEY },
};

const stacks: TestStack[] = [];
const scan = new LeakScan();
scan.secret(DUMMY_API_KEY);
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.cleanup()));
});

async function stackFor(fixture: string): Promise<TestStack> {
  const stack = await createStack(path.join(FIXTURES, fixture), OFFLINE);
  stacks.push(scan.stack(stack));
  return stack;
}

let configFiles = 0;
/** Writes `config` into the stack's directory and returns the file's path. */
function configFile(stack: TestStack, config: object): string {
  const name = `policy-config-${++configFiles}.json`;
  stack.writeFile(name, JSON.stringify(config, null, 2));
  return path.join(stack.workDir, name);
}

async function preview(stack: TestStack, config?: object): Promise<CliResult & { text: string }> {
  const result = await stack.preview({
    policyPack: PACK,
    policyPackConfig: config && configFile(stack, config),
    check: false,
  });
  return { ...result, text: `${result.stdout}\n${result.stderr}` };
}

/** The CLI's output joined into one line, so a message the CLI wraps still matches. */
const flat = (text: string) => text.replace(/\s+/g, " ");

const COMPLIANT_TIMEOUT = 240_000;

test(
  "a compliant program passes preview with the policy pack, with the default and the example config",
  async () => {
    const stack = await stackFor("policy-pack-compliant");
    const result = await preview(stack);
    expect({ code: result.code, output: result.text }).toEqual({ code: 0, output: expect.any(String) });
    expect(result.text).toContain("admindo-api-keys");
    expect(result.text).not.toMatch(/\[(mandatory|advisory)\]/);

    // The CLI validates config files against each policy's configSchema: the example passes it.
    const example = JSON.parse(readFileSync(path.join(PACK, "config.example.json"), "utf8")) as object;
    const withExample = await preview(stack, example);
    expect({ code: withExample.code, output: withExample.text }).toEqual({
      code: 0,
      output: expect.any(String),
    });
    expect(withExample.text).not.toMatch(/\[(mandatory|advisory)\]/);
  },
  COMPLIANT_TIMEOUT,
);

test(
  "a non-compliant program fails preview with a non-zero exit and every violation listed",
  async () => {
    const stack = await stackFor("policy-pack-violations");
    const result = await preview(stack);
    expect(result.code).not.toBe(0);
    const text = flat(result.text);
    const expected: [policy: string, message: string][] = [
      [
        "keys-must-expire",
        'API key "wide-open" must expire within 90 days: set expiresIn (e.g. "90d") or expiresAt; neither is set.',
      ],
      ["keys-must-expire", 'API key "billing-admin" must expire within 90 days; expiresIn is "365d".'],
      [
        "no-open-networks",
        'API key "wide-open" must not allow every IPv4 address; restrictions.ipAddresses[0] is "0.0.0.0/0".',
      ],
      [
        "no-open-networks",
        'ApiKeyRestrictions "ingest-network" must not allow an IPv4 network broader than /16; ipAddresses[0] is "10.0.0.0/8".',
      ],
      [
        "no-catch-all-referrers",
        'API key "wide-open" must restrict referrers to sites its owner controls; restrictions.referrers[0] is "*.com", which matches every site under the public suffix "com".',
      ],
      [
        "no-catch-all-referrers",
        'ApiKeyRestrictions "ingest-network" must restrict referrers to sites its owner controls; referrers[0] is "*.github.io", which matches every site under the public suffix "github.io".',
      ],
      [
        "admin-scopes-need-approval",
        'API key "billing-admin" must not hold the admin scope "admin:billing" unless the admin-scopes-need-approval config approves it (allowedAdminScopes, or approvedKeys for this key); scopes[0] is "admin:billing".',
      ],
      [
        "admin-scopes-need-approval",
        'API key "directory-reader" must not hold the admin scope "admin:read" unless',
      ],
      [
        "privileged-keys-need-ip-restrictions",
        'API key "billing-admin" has privileged scopes (admin:billing) and must be restricted to IP addresses, in restrictions.ipAddresses or in an ApiKeyRestrictions resource for this key; no restrictions are set.',
      ],
      [
        "privileged-keys-need-ip-restrictions",
        'API key "directory-reader" has privileged scopes (admin:read) and must be restricted to IP addresses',
      ],
      [
        "max-admin-keys-per-stack",
        'This stack must declare at most 1 API key with admin scopes; it declares 2: API key "billing-admin" (admin:billing) and API key "directory-reader" (admin:read).',
      ],
      // Advisory rules are listed too, without failing the preview on their own.
      [
        "max-scopes-per-key",
        'API key "wide-open" must hold at most 8 scopes (use one key per purpose); scopes lists 9.',
      ],
      ["privileged-keys-rotate", 'API key "wide-open" has privileged scopes ('],
      [
        "execute-keys-rotate-in-place",
        'API key "partner-runner" has execute scopes (functions:execute) and must rotate in place with an overlap of at least 1h; rotationOverlap is "30m".',
      ],
      ["keys-bound-to-projects", 'API key "wide-open" must be limited to at least one project'],
      ["privileged-keys-rate-limited", "restrictions.rateLimit is 100 per second (6000 per minute)."],
    ];
    for (const [policy, message] of expected) {
      expect({ policy, found: text.includes(policy) && text.includes(message) }).toEqual({
        policy,
        found: true,
      });
    }
    // The ingest key's separate restrictions carry IP addresses, so it needs none of its own.
    expect(text).not.toContain('API key "ingest" has privileged scopes');
    // Policies see resource properties only: the provider's credentials never reach a message.
    expect(result.text).not.toContain(DUMMY_API_KEY);
  },
  COMPLIANT_TIMEOUT,
);

test(
  "--policy-pack-config changes limits and enforcement levels, and the outcome with them",
  async () => {
    const stack = await stackFor("policy-pack-tunable");
    const message = 'API key "long-lived-reader" must expire within 90 days; expiresIn is "180d".';

    const byDefault = await preview(stack);
    expect(byDefault.code).not.toBe(0);
    expect(flat(byDefault.text)).toContain(message);

    // A longer limit: the key complies.
    const longer = await preview(stack, { "keys-must-expire": { maxLifetimeDays: 180 } });
    expect({ code: longer.code, output: longer.text }).toEqual({ code: 0, output: expect.any(String) });
    expect(flat(longer.text)).not.toContain("must expire within");

    // The same limit, advisory: the violation is listed but the preview passes.
    const advisory = await preview(stack, { "keys-must-expire": { enforcementLevel: "advisory" } });
    expect({ code: advisory.code, output: advisory.text }).toEqual({ code: 0, output: expect.any(String) });
    expect(flat(advisory.text)).toContain(message);
    expect(advisory.text).toContain("[advisory]");

    // An advisory rule made mandatory with a lower limit: now the preview fails on it.
    const stricter = await preview(stack, {
      "keys-must-expire": { maxLifetimeDays: 180 },
      "max-scopes-per-key": { enforcementLevel: "mandatory", maxScopes: 1 },
    });
    expect(stricter.code).not.toBe(0);
    expect(flat(stricter.text)).toContain(
      'API key "long-lived-reader" must hold at most 1 scopes (use one key per purpose); scopes lists 2.',
    );
    expect(stricter.text).toContain("[mandatory]");

    // "all" sets every policy's level.
    const allAdvisory = await preview(stack, { all: "advisory" });
    expect({ code: allAdvisory.code, output: allAdvisory.text }).toEqual({
      code: 0,
      output: expect.any(String),
    });
    expect(flat(allAdvisory.text)).toContain(message);

    // A config the schemas reject stops the preview before any policy runs.
    const invalid = await preview(stack, {
      "max-scopes-per-key": { maxScopes: "eight" },
      "no-open-networks": { onUnknown: "maybe" },
    });
    expect(invalid.code).not.toBe(0);
    expect(flat(invalid.text)).toContain("max-scopes-per-key: maxScopes: Invalid type. Expected: integer");
    expect(flat(invalid.text)).toContain(
      'no-open-networks: onUnknown: onUnknown must be one of the following: "fail", "skip"',
    );
  },
  COMPLIANT_TIMEOUT * 2,
);

test(
  "an IP address unknown at preview fails closed by default; onUnknown skip lets preview pass",
  async () => {
    const stack = await stackFor("policy-pack-unknowns");
    const failed = await preview(stack);
    expect(failed.code).not.toBe(0);
    const text = flat(failed.text);
    expect(text).toContain(
      'ApiKeyRestrictions "ingest-network" must have ipAddresses known at preview so that this policy can check that no network is too broad',
    );
    expect(text).toContain(
      'API key "ingest" must have ipAddresses of ApiKeyRestrictions "ingest-network" known at preview',
    );

    const skipped = await preview(stack, {
      "no-open-networks": { onUnknown: "skip" },
      "privileged-keys-need-ip-restrictions": { onUnknown: "skip" },
    });
    expect({ code: skipped.code, output: skipped.text }).toEqual({ code: 0, output: expect.any(String) });
  },
  COMPLIANT_TIMEOUT,
);

describe("against the emulator", () => {
  let emulator: RunningEmulator;
  const emulatorStacks: TestStack[] = [];
  beforeAll(async () => {
    emulator = await startEmulator();
    scan.secret(emulator.rootKey);
  });
  afterAll(async () => {
    // Destroy while the emulator still answers.
    await Promise.all(emulatorStacks.map((stack) => stack.cleanup()));
    await emulator?.close();
  });

  test(
    "with onUnknown skip, pulumi up still checks the value once known, before the resource is created",
    async () => {
      const stack = await createStack(path.join(FIXTURES, "policy-pack-unknowns"), {
        config: { "admindo:baseUrl": emulator.url, network: "0.0.0.0/0" },
        secrets: { "admindo:apiKey": emulator.rootKey },
      });
      emulatorStacks.push(scan.stack(stack));
      const skip = configFile(stack, {
        "no-open-networks": { onUnknown: "skip" },
        "privileged-keys-need-ip-restrictions": { onUnknown: "skip" },
      });
      const up = await stack.run(["up", "--yes", "--policy-pack", PACK, "--policy-pack-config", skip], {
        check: false,
      });
      expect(up.code).not.toBe(0);
      expect(flat(`${up.stdout}\n${up.stderr}`)).toContain(
        'ApiKeyRestrictions "ingest-network" must not allow every IPv4 address; ipAddresses[0] is "0.0.0.0/0".',
      );
      const { deployment } = await stack.exportState();
      const types = (deployment.resources ?? []).map((resource) => resource.type);
      expect(types).toContain("pulumi-nodejs:dynamic/admindo:ApiKey");
      expect(types).not.toContain("pulumi-nodejs:dynamic/admindo:ApiKeyRestrictions");
      expect(`${up.stdout}\n${up.stderr}`).not.toContain(emulator.rootKey);
      expect((await stack.exportState()).text).not.toContain(emulator.rootKey);
    },
    COMPLIANT_TIMEOUT,
  );
});

leakScanTest(scan);
