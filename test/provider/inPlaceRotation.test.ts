import { check } from "../../provider/apiKey";
import { diffApiKey } from "../../provider/apiKeyDiff";
import { nextRotation, rotationPlan, secretIsStale } from "../../provider/inPlaceRotation";
import { UNKNOWN, type ApiKeyInputs, type ApiKeyState, type RotationMarker } from "../../resource";

const at = "2026-01-01T00:00:00.000Z";
const created: RotationMarker = { reason: "created", at };
/** Checked inputs of a key rotated in place every 30 days, with a 1-day overlap. */
const inputs: ApiKeyInputs = {
  name: "partner",
  organization: "acme",
  scopes: ["functions:execute"],
  projects: [],
  expiresIn: "90d",
  rotationPeriod: "30d",
  rotationTriggers: { generation: 1 },
  rotationOverlap: "1d",
  rotation: created,
};
const olds: ApiKeyState = {
  ...inputs,
  keyId: "key_1",
  key: "adk_0123456789abcdefghijklmnopqrstuv",
  prefix: "adk_012345",
  lastFour: "stuv",
  status: "active",
  createdAt: "2026-01-01T00:00:01.000Z",
  expiresAt: "2026-04-01T00:00:00.000Z",
  rotateAt: "2026-01-31T00:00:00.000Z",
};
const beforeRotation = new Date("2026-01-20T00:00:00Z");
const afterRotation = new Date("2026-02-01T00:00:00Z");
const UPDATE = { replaces: [], deleteBeforeReplace: false };

describe("the rotation marker check keeps", () => {
  test("a new key rotated in place starts its schedule now; a key replaced on rotation gets none", () => {
    expect(nextRotation({}, inputs, beforeRotation)).toEqual({
      reason: "created",
      at: beforeRotation.toISOString(),
    });
    const { rotationOverlap: _overlap, ...replaced } = inputs;
    expect(nextRotation({}, replaced, beforeRotation)).toBeUndefined();
    expect(
      nextRotation(inputs as unknown as Record<string, unknown>, replaced, afterRotation),
    ).toBeUndefined();
  });

  test("stays the same until a rotation is due", () => {
    const old = inputs as unknown as Record<string, unknown>;
    expect(nextRotation(old, inputs, beforeRotation)).toEqual(created);
    expect(nextRotation(old, inputs, new Date("2026-01-30T23:59:59Z"))).toEqual(created);
  });

  test("names the rule that made a rotation due, and restarts the schedule then", () => {
    const old = inputs as unknown as Record<string, unknown>;
    expect(nextRotation(old, inputs, afterRotation)).toEqual({
      reason: "rotationPeriod",
      at: afterRotation.toISOString(),
    });
    const beforeExpiry = { ...inputs, rotationPeriod: undefined, rotateBeforeExpiry: "7d" };
    expect(
      nextRotation(
        beforeExpiry as unknown as Record<string, unknown>,
        beforeExpiry,
        new Date("2026-03-26T00:00:00Z"),
      ),
    ).toMatchObject({ reason: "rotateBeforeExpiry" });
    const triggered = { ...inputs, rotationTriggers: { generation: 2 } };
    expect(nextRotation(old, triggered, beforeRotation)).toMatchObject({ reason: "rotationTriggers" });
  });

  test("a key that adopts rotationOverlap (its old inputs have no marker) is rotated once to start a schedule", () => {
    const { rotation: _rotation, rotationOverlap: _overlap, ...legacy } = inputs;
    expect(nextRotation(legacy, inputs, beforeRotation)).toEqual({
      reason: "rotationOverlap",
      at: beforeRotation.toISOString(),
    });
    // A malformed marker in state is treated the same way.
    expect(
      nextRotation({ ...legacy, rotation: { reason: "nope", at } }, inputs, beforeRotation),
    ).toMatchObject({
      reason: "rotationOverlap",
    });
  });

  test("is unknown while a setting it depends on is unknown (preview)", () => {
    const old = inputs as unknown as Record<string, unknown>;
    expect(nextRotation(old, { ...inputs, rotationPeriod: UNKNOWN }, beforeRotation)).toBe(UNKNOWN);
    expect(nextRotation(old, { ...inputs, rotationTriggers: { generation: UNKNOWN } }, beforeRotation)).toBe(
      UNKNOWN,
    );
  });

  test("check writes it into the inputs, and ignores any `rotation` the program passes", async () => {
    const news = { ...inputs, rotation: { reason: "rotationPeriod", at: "2020-01-01T00:00:00Z" } };
    const first = await check({}, news as unknown as Record<string, unknown>);
    expect(first.failures).toBeUndefined();
    expect((first.inputs as ApiKeyInputs).rotation).toMatchObject({ reason: "created" });
    const next = await check(
      first.inputs as Record<string, unknown>,
      news as unknown as Record<string, unknown>,
    );
    expect(next).toEqual(first);
  });
});

describe("rotation plans", () => {
  test("a changed marker rotates in place with the overlap as grace period and a fresh lifetime", () => {
    const news = {
      ...inputs,
      rotation: { reason: "rotationPeriod", at: afterRotation.toISOString() },
    } as const;
    expect(rotationPlan(olds, news)).toEqual({ reason: "rotationPeriod", gracePeriod: "1d", renew: true });
    expect(rotationPlan(olds, inputs)).toBeUndefined();
  });

  test("a stale secret (prefix or last four no longer match) is rotated again, keeping the schedule", () => {
    expect(secretIsStale(olds)).toBe(false);
    expect(secretIsStale({ ...olds, prefix: "adk_zzzzzz" })).toBe(true);
    expect(secretIsStale({ ...olds, lastFour: "zzzz" })).toBe(true);
    // A key read with ApiKey.get holds no secret.
    expect(secretIsStale({ ...olds, key: undefined as unknown as string })).toBe(false);
    expect(rotationPlan({ ...olds, prefix: "adk_zzzzzz" }, inputs)).toEqual({
      reason: "secretChanged",
      gracePeriod: "1d",
      renew: false,
    });
    const { rotationOverlap: _overlap, rotation: _rotation, ...replaced } = inputs;
    expect(
      rotationPlan({ ...olds, ...replaced, rotation: undefined, prefix: "adk_zzzzzz" }, replaced),
    ).toEqual({
      reason: "secretChanged",
      gracePeriod: undefined,
      renew: false,
    });
  });
});

describe("ApiKey diff with rotationOverlap", () => {
  test("a new marker is an update, never a replacement: the engine shows the changed inputs", () => {
    const news = {
      ...inputs,
      rotation: { reason: "rotationPeriod" as const, at: afterRotation.toISOString() },
    };
    expect(diffApiKey(olds, news, afterRotation)).toEqual({ changes: undefined, ...UPDATE });
    const unknown = { ...inputs, rotation: UNKNOWN as unknown as RotationMarker };
    expect(diffApiKey(olds, unknown, afterRotation)).toEqual({ changes: undefined, ...UPDATE });
  });

  test("a changed trigger is an update, not a replacement", () => {
    const news = {
      ...inputs,
      rotationTriggers: { generation: 2 },
      rotation: { reason: "rotationTriggers" as const, at: beforeRotation.toISOString() },
    };
    expect(diffApiKey(olds, news, beforeRotation)).toEqual({ changes: undefined, ...UPDATE });
  });

  test("unchanged inputs give no changes, even past the rotation point: check decides rotations", () => {
    expect(diffApiKey(olds, inputs, beforeRotation)).toEqual({ changes: false, ...UPDATE });
    expect(diffApiKey(olds, inputs, afterRotation)).toEqual({ changes: false, ...UPDATE });
  });

  test("an organization change, a revoked key and an expired key are still replaced", () => {
    expect(diffApiKey(olds, { ...inputs, organization: "globex" }, beforeRotation).replaces).toEqual([
      "organization",
    ]);
    expect(diffApiKey({ ...olds, status: "revoked" }, inputs, beforeRotation).replaces).toEqual(["status"]);
    // Past its expiry a key is replaced, not rotated: rotating would bring its expired secret back.
    const late = new Date("2026-04-02T00:00:00Z");
    const news = { ...inputs, rotation: { reason: "rotationPeriod" as const, at: late.toISOString() } };
    expect(diffApiKey(olds, news, late).replaces).toEqual(["expiresAt"]);
  });

  test("a stale secret is an update for either strategy", () => {
    const stale = { ...olds, prefix: "adk_zzzzzz" };
    expect(diffApiKey(stale, inputs, beforeRotation)).toEqual({ changes: true, ...UPDATE });
    const { rotationOverlap: _overlap, rotation: _rotation, ...replaced } = inputs;
    expect(
      diffApiKey(
        { ...stale, ...replaced, rotation: undefined, rotationOverlap: undefined },
        replaced,
        beforeRotation,
      ),
    ).toEqual({
      changes: true,
      ...UPDATE,
    });
  });

  test("dropping rotationOverlap goes back to replacement without rotating: a state-only update", () => {
    const { rotationOverlap: _overlap, rotation: _rotation, ...replaced } = inputs;
    expect(diffApiKey(olds, replaced, beforeRotation)).toEqual({ changes: true, ...UPDATE });
    expect(rotationPlan(olds, replaced)).toBeUndefined();
    // From then on its schedule counts from its last rotation, and a trigger change replaces it.
    expect(
      diffApiKey(olds, { ...replaced, rotationTriggers: { generation: 2 } }, beforeRotation).replaces,
    ).toEqual(["rotationTriggers"]);
  });
});
