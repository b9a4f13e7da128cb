import type * as pulumi from "@pulumi/pulumi";
import { createAdminClient, type AdminClient } from "../../client";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { check, create, diff, read, update } from "../../provider/apiKey";
import { configure } from "../../provider/config";
import { type ApiKeyInputs, type ApiKeyState } from "../../resource";

/**
 * The ApiKey provider's create, update and read against the emulator (in process): what an
 * in-place rotation sends to Admin.do and what state holds afterwards. The CLI-level behaviour is
 * in test/e2e/rotationOverlap.test.ts.
 */

let emulator: RunningEmulator;
let admin: AdminClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  admin = createAdminClient({ baseUrl: emulator.url, apiKey: emulator.rootKey });
  const settings: Record<string, string> = {
    "admindo:baseUrl": emulator.url,
    "admindo:apiKey": emulator.rootKey,
  };
  await configure({
    config: { get: (key: string) => settings[key] },
  } as unknown as pulumi.dynamic.ConfigureRequest);
});
afterAll(async () => {
  await admin.close();
  await emulator.close();
});

/** Status of a call with `secret` (a function list needs functions:read). */
async function status(secret: string): Promise<number> {
  const response = await fetch(`${emulator.url}/functions`, {
    headers: { authorization: `Bearer ${secret}` },
  });
  await response.arrayBuffer();
  return response.status;
}

async function checked(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<ApiKeyInputs> {
  const result = await check(olds, news);
  expect(result.failures).toBeUndefined();
  return result.inputs as ApiKeyInputs;
}

const program = {
  name: "partner",
  organization: "acme",
  scopes: ["functions:read"],
  expiresIn: "30d",
  rotationTriggers: { generation: 1 },
  rotationOverlap: "1h",
};

async function createKey(
  args: Record<string, unknown> = program,
): Promise<{ inputs: ApiKeyInputs; state: ApiKeyState }> {
  const inputs = await checked({}, args);
  const result = await create(inputs);
  return { inputs, state: result.outs! };
}

test("create counts a key's lifetime from the rotation marker, so check knows its whole schedule", async () => {
  const { inputs, state } = await createKey();
  expect(state.rotation).toEqual(inputs.rotation);
  expect(Date.parse(state.expiresAt!)).toBe(Date.parse(inputs.rotation!.at) + 30 * 86_400_000);
  expect(state).not.toHaveProperty("rotatedAt");
  expect(state).not.toHaveProperty("previousKeyExpiresAt");
});

test("a due rotation keeps the key, renews its lifetime, and leaves the previous secret working for the overlap", async () => {
  const { inputs, state } = await createKey();
  const news = await checked(inputs as unknown as Record<string, unknown>, {
    ...program,
    rotationTriggers: { generation: 2 },
  });
  expect(news.rotation?.reason).toBe("rotationTriggers");
  expect((await diff(state.keyId, state, news)).replaces).toEqual([]);

  const { outs } = await update(state.keyId, state, news);
  expect(outs!.keyId).toBe(state.keyId);
  expect(outs!.key).not.toBe(state.key);
  expect(outs!.key.startsWith(outs!.prefix)).toBe(true);
  expect(outs!.rotation).toEqual(news.rotation);
  expect(Date.parse(outs!.expiresAt!)).toBe(Date.parse(news.rotation!.at) + 30 * 86_400_000);
  expect(Date.parse(outs!.previousKeyExpiresAt!) - Date.parse(outs!.rotatedAt!)).toBe(3_600_000);
  expect(await status(state.key)).toBe(200);
  expect(await status(outs!.key)).toBe(200);
  emulator.clock.advance(3_600_001);
  try {
    expect(await status(state.key)).toBe(401);
    expect(await status(outs!.key)).toBe(200);
  } finally {
    emulator.clock.advance(-3_600_001);
  }
  // The next run finds nothing to do.
  const again = await checked(news as unknown as Record<string, unknown>, {
    ...program,
    rotationTriggers: { generation: 2 },
  });
  expect(await diff(state.keyId, outs!, again)).toMatchObject({ changes: false });
});

test("a rotation with other changes applies them first, then rotates (keeping restrictions and scopes)", async () => {
  const { inputs, state } = await createKey({
    ...program,
    restrictions: { referrers: ["partner.example.com"] },
  });
  const news = await checked(inputs as unknown as Record<string, unknown>, {
    ...program,
    scopes: ["functions:read", "functions:execute"],
    restrictions: { referrers: ["partner.example.com"] },
    rotationTriggers: { generation: 2 },
  });
  const { outs } = await update(state.keyId, state, news);
  const key = await admin.apiKeys.get(state.keyId);
  expect([...key.scopes].sort()).toEqual(["functions:execute", "functions:read"]);
  expect(key).toMatchObject({
    restrictions: { referrers: ["partner.example.com"] },
    prefix: outs!.prefix,
  });
  expect(outs!.scopes).toEqual(["functions:execute", "functions:read"]);
});

test("refresh after a rotation outside Pulumi keeps the old secret and the new prefix; the next update rotates again", async () => {
  const { inputs, state } = await createKey();
  const outside = await admin.apiKeys.rotate(state.keyId, { gracePeriod: "10m" });
  const refreshed = (await read(state.keyId, state)).props as ApiKeyState;
  expect(refreshed).toMatchObject({ key: state.key, prefix: outside.prefix, lastFour: outside.lastFour });
  expect(refreshed.previousKeyExpiresAt).toBe(outside.previousKeyExpiresAt);
  const news = await checked(inputs as unknown as Record<string, unknown>, program);
  expect(await diff(state.keyId, refreshed, news)).toMatchObject({ changes: true, replaces: [] });

  const { outs } = await update(state.keyId, refreshed, news);
  expect(outs!.key).not.toBe(state.key);
  expect(outs!.key).not.toBe(outside.key);
  // The schedule and the expiry stay: this rotation only repairs state.
  expect(outs!.rotation).toEqual(inputs.rotation);
  expect(outs!.expiresAt).toBe(state.expiresAt);
  expect(await status(outs!.key)).toBe(200);
  expect(await diff(state.keyId, outs!, news)).toMatchObject({ changes: false });
});

test("a key replaced on rotation is repaired the same way, without a grace period", async () => {
  const { rotationOverlap: _overlap, ...replaced } = program;
  const { inputs, state } = await createKey(replaced);
  expect(state).not.toHaveProperty("rotation");
  const outside = await admin.apiKeys.rotate(state.keyId, {});
  const refreshed = (await read(state.keyId, state)).props as ApiKeyState;
  const news = await checked(inputs as unknown as Record<string, unknown>, replaced);
  const { outs } = await update(state.keyId, refreshed, news);
  expect(outs!.keyId).toBe(state.keyId);
  expect(outs!.rotatedAt).toEqual(expect.any(String));
  expect(outs!).not.toHaveProperty("previousKeyExpiresAt");
  expect(await status(outside.key)).toBe(401);
  expect(await status(outs!.key)).toBe(200);
});

test("an ordinary update keeps rotatedAt and reports previousKeyExpiresAt as Admin.do does", async () => {
  const { inputs, state } = await createKey();
  const rotatedInputs = await checked(inputs as unknown as Record<string, unknown>, {
    ...program,
    rotationTriggers: { generation: 2 },
  });
  const rotated = (await update(state.keyId, state, rotatedInputs)).outs!;
  const renamed = await checked(rotatedInputs as unknown as Record<string, unknown>, {
    ...program,
    rotationTriggers: { generation: 2 },
    description: "for the partner",
  });
  const { outs } = await update(state.keyId, rotated, renamed);
  expect(outs).toMatchObject({
    key: rotated.key,
    rotatedAt: rotated.rotatedAt,
    previousKeyExpiresAt: rotated.previousKeyExpiresAt,
    description: "for the partner",
  });
});
