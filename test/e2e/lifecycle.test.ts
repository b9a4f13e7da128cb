import path from "node:path";
import { createAdminClient } from "../../client";
import { API_KEY } from "../../resource";
import { EXAMPLES, type StateResource, type TestStack } from "./harness";
import { leakScanTest } from "./leakScan";
import { BASE_KEY_ARGS, singleKeyProgram, stepsOfType } from "./programs";
import { useEmulator } from "./session";

/** Refresh, deletion, failure and state-size behaviour of ApiKey through the real CLI. */

const emulator = useEmulator();
const { scan } = emulator;

async function keyStack(args = BASE_KEY_ARGS, apiKey?: string): Promise<TestStack> {
  const stack = await emulator.stack(path.join(EXAMPLES, "quickstart"), { apiKey });
  stack.writeFile("index.ts", singleKeyProgram(args));
  return stack;
}

function apiKeyResource(resources: StateResource[] | undefined): StateResource | undefined {
  return resources?.find((resource) => resource.type === API_KEY.token);
}

test("refresh drops a key deleted out of band, and the next up recreates it", async () => {
  const stack = await keyStack();
  await stack.up();
  const { keyId } = await stack.outputs();
  await emulator.client.apiKeys.delete(keyId as string);

  await stack.refresh();
  expect(apiKeyResource((await stack.exportState()).deployment.resources)).toBeUndefined();

  await stack.up();
  const recreated = await stack.outputs();
  expect(recreated.keyId).not.toBe(keyId);
  expect((await emulator.client.apiKeys.get(recreated.keyId as string)).status).toBe("active");
}, 240_000);

test("refresh keeps a key revoked out of band with its status, and the next up replaces it", async () => {
  const stack = await keyStack();
  await stack.up();
  const { keyId } = await stack.outputs();
  await emulator.client.apiKeys.revoke(keyId as string, { reason: "leaked in a screenshot" });

  await stack.refresh();
  expect(apiKeyResource((await stack.exportState()).deployment.resources)?.outputs?.status).toBe("revoked");
  const preview = await stack.preview({ json: true });
  expect(stepsOfType(preview.json, "ApiKey")[0]).toMatchObject({ op: "replace", replaceReasons: ["status"] });

  await stack.up();
  const replaced = await stack.outputs();
  expect(replaced.keyId).not.toBe(keyId);
  expect(replaced.status).toBe("active");
  // The revoked record is gone too: the replacement deleted the original.
  await expect(emulator.client.apiKeys.get(keyId as string)).rejects.toMatchObject({ code: "not_found" });
}, 240_000);

test("destroy succeeds when the key is already gone, and leaves no key on the server", async () => {
  const stack = await keyStack(BASE_KEY_ARGS.replace(`"acme"`, `"destroy-org"`));
  await stack.up();
  const { keyId } = await stack.outputs();
  await emulator.client.apiKeys.delete(keyId as string);
  await stack.destroy();

  const other = await keyStack(BASE_KEY_ARGS.replace(`"acme"`, `"destroy-org"`));
  await other.up();
  await other.destroy();
  expect((await emulator.client.apiKeys.list({ organization: "destroy-org" })).total).toBe(0);
}, 240_000);

test("a failed create or update leaves nothing orphaned and state consistent", async () => {
  // A provider credential that may manage keys but holds no data scopes: it cannot mint data:write.
  const limited = await emulator.client.apiKeys.create({
    name: "deployer",
    organization: "fail-org",
    scopes: ["admin:read", "admin:write", "functions:read"],
  });
  scan.secret(limited.key);
  const stack = await keyStack(
    `{ organization: "fail-org", scopes: ["data:write"], expiresIn: "30d" }`,
    limited.key,
  );
  const failed = await stack.up({ check: false });
  expect(failed.code).not.toBe(0);
  expect(failed.stdout + failed.stderr).toMatch(
    /creating API key "svc" failed: .*data:write.*403 scope_escalation/,
  );
  expect(apiKeyResource((await stack.exportState()).deployment.resources)).toBeUndefined();
  const keysInOrg = async () =>
    (await emulator.client.apiKeys.list({ organization: "fail-org" })).data.map((key) => key.name);
  expect(await keysInOrg()).toEqual(["deployer"]);

  stack.writeFile(
    "index.ts",
    singleKeyProgram(`{ organization: "fail-org", scopes: ["functions:read"], expiresIn: "30d" }`),
  );
  await stack.up();
  const { keyId } = await stack.outputs();
  stack.writeFile(
    "index.ts",
    singleKeyProgram(
      `{ organization: "fail-org", scopes: ["functions:read", "data:write"], expiresIn: "30d" }`,
    ),
  );
  const failedUpdate = await stack.up({ check: false });
  expect(failedUpdate.code).not.toBe(0);
  expect(failedUpdate.stdout + failedUpdate.stderr).toMatch(/updating API key "svc" .* failed/);
  const state = apiKeyResource((await stack.exportState()).deployment.resources);
  expect(state?.outputs?.scopes).toEqual(["functions:read"]);
  expect((await emulator.client.apiKeys.get(keyId as string)).scopes).toEqual(["functions:read"]);
  expect((await keysInOrg()).sort()).toEqual(["deployer", "svc"]);
  // The limited credential's own secret never leaks either.
  expect(stack.transcript.join("\n")).not.toContain(limited.key);
  await createAdminClient({ baseUrl: emulator.url, apiKey: limited.key }).close();
}, 300_000);

test("__provider stays small and carries no code of ours nor any credential; state per key is bounded", async () => {
  const stack = await keyStack();
  await stack.up();
  const { text, deployment } = await stack.exportState();
  const resource = apiKeyResource(deployment.resources)!;
  const provider = resource.outputs!.__provider as string;
  expect(resource.inputs!.__provider).toBe(provider);
  // This checkout links the package to itself, so the provider module serializes by value: seven
  // one-line methods that require() the package; no schema, client or provider code. (Installed
  // from npm it is one require() of the module, under 1 KB: test/e2e/installedPackage.test.ts.)
  expect(provider.length).toBeLessThan(3_000);
  expect(provider).toContain('require("pulumi-admindo/provider/apiKey")');
  expect(provider).not.toMatch(/zod|undici|createAdminClient|normalizeCidr|Bearer/);
  expect(text).not.toContain(emulator.rootKey);
  expect(JSON.stringify(resource).length).toBeLessThan(8_000);
}, 240_000);

leakScanTest(scan, { minSecrets: 2 });
