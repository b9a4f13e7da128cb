import path from "node:path";
import { EXAMPLES, type TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { BASE_KEY_ARGS, changedSteps, singleKeyProgram, stepsOfType } from "./programs";
import { useEmulator } from "./session";

/**
 * The ApiKey resource through the real Pulumi CLI against a real emulator process: the
 * behaviour users rely on, each proven end to end.
 */

const emulator = useEmulator();
/** Every secret created in this file, searched for in every transcript at the end. */
const { scan } = emulator;

const stackFor = (program: string) => emulator.stack(path.join(EXAMPLES, program));

async function secretOf(stack: TestStack): Promise<string> {
  const secret = (await stack.outputs({ showSecrets: true })).secret as string;
  scan.secret(secret);
  return secret;
}

const program = singleKeyProgram;
const base = BASE_KEY_ARGS;
const apiKeySteps = (json: unknown) => stepsOfType(json, "ApiKey");

describe("ApiKey end to end", () => {
  test("check rejects bad input at preview, naming the field and the rule, and creates nothing", async () => {
    const stack = await stackFor("quickstart");
    stack.writeFile(
      "index.ts",
      program(`{ organization: "acme", scopes: ["functions:*"], restrictions: { ipAddresses: ["10.0.0.0/33"],
        referrers: ["https://*"], timeRestrictions: { timezone: "Mars/Olympus", hoursOfDay: [24] } },
        expiresAt: "2020-01-01T00:00:00Z", expiresIn: "30d" }`),
    );
    const preview = await stack.preview({ check: false });
    const text = preview.stdout + preview.stderr;
    expect(preview.code).not.toBe(0);
    for (const expected of [
      /scopes\[0\].*unknown scope "functions:\*"/,
      /restrictions\.ipAddresses\[0\].*not an IPv4\/IPv6 address or CIDR/,
      /restrictions\.referrers\[0\].*not a referrer pattern/,
      /restrictions\.timeRestrictions\.timezone.*not an IANA time zone/,
      /restrictions\.timeRestrictions\.hoursOfDay\[0\].*hour 24 is out of range/,
      /expiresIn.*not both/,
    ]) {
      expect(text).toMatch(expected);
    }
    stack.writeFile(
      "index.ts",
      program(`{ organization: "acme", scopes: [], expiresAt: "2020-01-01T00:00:00Z" }`),
    );
    const second = await stack.preview({ check: false });
    expect(second.stdout + second.stderr).toMatch(/scopes.*at least one scope/);
    stack.writeFile(
      "index.ts",
      program(`{ organization: "acme", scopes: ["data:read"], expiresAt: "2020-01-01T00:00:00Z" }`),
    );
    const third = await stack.preview({ check: false });
    expect(third.stdout + third.stderr).toMatch(/expiresAt.*is in the past/);
    expect((await emulator.client.apiKeys.list()).total).toBe(0);
  }, 240_000);

  test("diffs never flap: reordered, duplicated and re-spelt sets give no changes; a second up does nothing", async () => {
    const stack = await stackFor("quickstart");
    stack.writeFile("index.ts", program(base));
    await stack.up();
    const secret = await secretOf(stack);
    stack.writeFile(
      "index.ts",
      program(`{ organization: "acme", scopes: ["functions:execute", "functions:read", "functions:read"], projects: ["blog", "shop", "blog"],
        restrictions: { ipAddresses: ["10.0.0.0/8", "192.168.1.0/24", "192.168.1.77/24"], referrers: ["*.EXAMPLE.org", "example.com"] }, expiresIn: "30d" }`),
    );
    const preview = await stack.preview({ json: true });
    expect(changedSteps(preview.json)).toEqual([]);
    const up = await stack.up();
    expect(up.stdout).not.toMatch(/updated|created|replaced/);
    expect(await secretOf(stack)).toBe(secret);
  }, 240_000);

  test("scope, project, name, description, restriction and expiry changes update in place: same id, same secret", async () => {
    const stack = await stackFor("quickstart");
    stack.writeFile("index.ts", program(base));
    await stack.up();
    const before = await stack.outputs({ showSecrets: true });
    scan.secret(before.secret as string);
    stack.writeFile(
      "index.ts",
      program(`{ name: "renamed", description: "now described", organization: "acme", scopes: ["functions:read", "data:read"],
        projects: ["shop"], restrictions: { ipAddresses: ["10.1.0.0/16"], rateLimit: { requests: 10, period: "minute" } }, expiresIn: "60d" }`),
    );
    const preview = await stack.preview({ json: true, diff: true });
    expect(apiKeySteps(preview.json).map((step) => step.op)).toEqual(["update"]);
    await stack.up();
    const after = await stack.outputs({ showSecrets: true });
    expect(after.keyId).toBe(before.keyId);
    expect(after.secret).toBe(before.secret);
    const key = await emulator.client.apiKeys.get(after.keyId as string);
    expect(key).toMatchObject({
      name: "renamed",
      description: "now described",
      scopes: expect.arrayContaining(["functions:read", "data:read"]),
      projects: ["shop"],
      restrictions: { ipAddresses: ["10.1.0.0/16"], rateLimit: { requests: 10, period: "minute" } },
    });
    expect(key.scopes).toHaveLength(2);
  }, 240_000);

  test("an organization change replaces the key, creating the new one before deleting the old", async () => {
    const stack = await stackFor("quickstart");
    stack.writeFile("index.ts", program(base));
    await stack.up();
    const before = await stack.outputs();
    stack.writeFile("index.ts", program(base.replace(`organization: "acme"`, `organization: "globex"`)));
    const preview = await stack.preview({ json: true });
    const step = apiKeySteps(preview.json).find((s) => s.op === "replace");
    expect(step?.replaceReasons).toEqual(["organization"]);
    const up = await stack.up();
    expect(up.stdout.indexOf("creating replacement")).toBeLessThan(up.stdout.indexOf("deleting original"));
    const after = await stack.outputs({ showSecrets: true });
    scan.secret(after.secret as string);
    expect(after.keyId).not.toBe(before.keyId);
    await expect(emulator.client.apiKeys.get(before.keyId as string)).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await emulator.client.apiKeys.get(after.keyId as string)).organization).toBe("globex");
  }, 240_000);
});

leakScanTest(scan, { minSecrets: 4 });
