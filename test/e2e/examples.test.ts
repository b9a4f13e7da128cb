import path from "node:path";
import { EXAMPLES, type TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { changedSteps, stepsOfType } from "./programs";
import { useEmulator } from "./session";

/** Every example program, and the SDK's read side (ApiKey.get, usage and logs helpers), through the real CLI. */

const emulator = useEmulator();
const { scan } = emulator;

function exampleStack(example: string, config: Record<string, string> = {}): Promise<TestStack> {
  return emulator.stack(path.join(EXAMPLES, example), { config });
}

test("quickstart: one key whose secret is a stack output secret and works against the API", async () => {
  const stack = await exampleStack("quickstart", { organization: "quick-org" });
  await stack.up();
  const masked = await stack.outputs();
  expect(masked.apiKey).toBe("[secret]");
  const { apiKey, keyId, keyPrefix } = await stack.outputs({ showSecrets: true });
  expect((apiKey as string).startsWith(keyPrefix as string)).toBe(true);
  const key = await emulator.client.apiKeys.get(keyId as string);
  expect(key).toMatchObject({
    organization: "quick-org",
    scopes: ["functions:execute", "functions:read"],
    status: "active",
  });

  // Functions belong to an organization: the stack's key sees those of quick-org only.
  const { createAdminClient } = await import("../../client");
  const author = await emulator.client.apiKeys.create({
    name: "author",
    organization: "quick-org",
    scopes: ["functions:write"],
  });
  const asAuthor = createAdminClient({ baseUrl: emulator.url, apiKey: author.key });
  const fn = await asAuthor.functions.create({
    name: "greet",
    code: "return { greeting: `Hello, ${input.name}!` }",
  });
  await asAuthor.close();
  await emulator.client.apiKeys.delete(author.id);
  const asKey = createAdminClient({ baseUrl: emulator.url, apiKey: apiKey as string });
  expect((await asKey.functions.execute(fn.id, { name: "John" })).output).toEqual({
    greeting: "Hello, John!",
  });
  await asKey.close();
  expect(stack.transcript.filter((entry) => !entry.includes("--show-secrets")).join("\n")).not.toContain(
    apiKey as string,
  );
}, 240_000);

test("separate-restrictions: ApiKeyRestrictions owns the key's restrictions, updates them in place and clears them on delete", async () => {
  const stack = await exampleStack("separate-restrictions");
  await stack.up();
  const { keyId } = await stack.outputs();
  expect((await emulator.client.apiKeys.get(keyId as string)).restrictions).toEqual({
    ipAddresses: ["10.20.0.0/16", "2001:db8:20::/48"],
    rateLimit: { requests: 600, period: "minute" },
  });

  await stack.setConfig("requestsPerMinute", "120");
  const preview = await stack.preview({ json: true });
  expect(stepsOfType(preview.json, "ApiKeyRestrictions")[0]?.op).toBe("update");
  expect(stepsOfType(preview.json, "ApiKey")).toEqual([]);
  await stack.up();
  expect((await emulator.client.apiKeys.get(keyId as string)).restrictions.rateLimit).toEqual({
    requests: 120,
    period: "minute",
  });

  // Removing the restrictions resource from the program clears them on the key, which stays.
  stack.writeFile(
    "index.ts",
    `import { ApiKey } from "pulumi-admindo";
const key = new ApiKey("ingest", { organization: "acme", scopes: ["events:write", "events:trigger"], projects: ["ingest"], expiresIn: "30d" });
export const keyId = key.keyId;
`,
  );
  await stack.up();
  expect((await emulator.client.apiKeys.get(keyId as string)).restrictions).toEqual({});
}, 300_000);

test("ApiKeyRestrictions refuses to take over a key whose restrictions ApiKey already manages, unless overwrite is set", async () => {
  const stack = await exampleStack("quickstart");
  const program = (overwrite: string) => `import { ApiKey, ApiKeyRestrictions } from "pulumi-admindo";
const key = new ApiKey("svc", { organization: "acme", scopes: ["data:read"], expiresIn: "30d",
  restrictions: { ipAddresses: ["10.0.0.0/8"] } });
new ApiKeyRestrictions("net", { keyId: key.keyId, ipAddresses: ["192.0.2.0/24"]${overwrite} });
export const keyId = key.keyId;
`;
  stack.writeFile("index.ts", program(""));
  const failed = await stack.up({ check: false });
  expect(failed.code).not.toBe(0);
  expect(failed.stdout + failed.stderr).toMatch(
    /already has restrictions \(ipAddresses\).*set overwrite: true/,
  );

  stack.writeFile("index.ts", program(", overwrite: true"));
  await stack.up();
  const { keyId } = await stack.outputs();
  expect((await emulator.client.apiKeys.get(keyId as string)).restrictions.ipAddresses).toEqual([
    "192.0.2.0/24",
  ]);
}, 300_000);

test("multi-project: one project-bound key per project; a second preview shows no changes", async () => {
  const stack = await exampleStack("multi-project", { organization: "multi-org" });
  await stack.up();
  const keys = (await emulator.client.apiKeys.list({ organization: "multi-org" })).data;
  expect(keys.map((key) => key.projects).sort()).toEqual([["analytics"], ["billing"], ["storefront"]]);
  expect(changedSteps((await stack.preview({ json: true })).json)).toEqual([]);
}, 240_000);

test("ApiKey.get reads an existing key without its secret, and the usage and logs helpers return Outputs", async () => {
  const existing = await emulator.client.apiKeys.create({
    name: "hand-made",
    organization: "adopt-org",
    scopes: ["functions:read", "data:read"],
    projects: ["legacy"],
  });
  scan.secret(existing.key);
  const stack = await exampleStack("quickstart");
  stack.writeFile(
    "index.ts",
    `import * as pulumi from "@pulumi/pulumi";
import { ApiKey, getUsage, getLogs } from "pulumi-admindo";
const id = new pulumi.Config().require("existingKeyId");
const adopted = ApiKey.get("adopted", id);
export const scopes = adopted.scopes;
export const projects = adopted.projects;
export const name = adopted.name;
export const secret = adopted.key;
export const requests = getUsage(adopted.keyId, { timeRange: "1d", groupBy: "resource" }).apply((usage) => usage.total.requests);
export const logCount = getLogs(adopted.keyId, { limit: 5 }).apply((page) => page.total);
`,
  );
  await stack.setConfig("existingKeyId", existing.id);
  const { createAdminClient } = await import("../../client");
  const asKey = createAdminClient({ baseUrl: emulator.url, apiKey: existing.key, project: "legacy" });
  await asKey.functions.create({ name: "denied", code: "return 1" }).catch(() => undefined);
  await asKey.close();

  await stack.up();
  const outputs = await stack.outputs();
  expect(outputs).toMatchObject({
    scopes: ["data:read", "functions:read"],
    projects: ["legacy"],
    name: "hand-made",
    requests: 1,
    logCount: 1,
  });
  expect(outputs.secret).toBeUndefined();
  await stack.destroy();
  // Reading a key does not own it: destroy leaves it alone.
  expect((await emulator.client.apiKeys.get(existing.id)).status).toBe("active");
}, 240_000);

leakScanTest(scan, { minSecrets: 3 });
