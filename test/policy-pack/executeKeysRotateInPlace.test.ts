import { executeKeysRotateInPlace } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

const replacedOnRotation = () => keyWith((key) => delete key.rotationOverlap);

describe("execute-keys-rotate-in-place", () => {
  test("accepts an execute key rotated in place with an overlap of at least the minimum", async () => {
    expect(await validateResource(executeKeysRotateInPlace, compliantKey())).toEqual([]);
    const exactly = keyWith((key) => (key.rotationOverlap = "60m"));
    expect(await validateResource(executeKeysRotateInPlace, exactly)).toEqual([]);
  });

  test("rejects an execute key replaced on rotation, naming the scope and the fix", async () => {
    expect(await validateResource(executeKeysRotateInPlace, replacedOnRotation())).toEqual([
      'API key "storefront-caller" has execute scopes (functions:execute) and must rotate in place: set rotationOverlap (e.g. "24h") so that the previous secret keeps working while clients outside this program pick up the new one; without it a rotation replaces the key and its secret stops at once.',
    ]);
  });

  test("applies to keys rotated by trigger too", async () => {
    const triggered = keyWith((key) => {
      delete key.rotateBeforeExpiry;
      delete key.rotationOverlap;
      key.rotationTriggers = { generation: 1 };
    });
    expect(await validateResource(executeKeysRotateInPlace, triggered)).toEqual([
      expect.stringContaining("must rotate in place"),
    ]);
  });

  test("rejects an overlap shorter than minOverlap, which config sets", async () => {
    const short = keyWith((key) => (key.rotationOverlap = "30m"));
    expect(await validateResource(executeKeysRotateInPlace, short)).toEqual([
      'API key "storefront-caller" has execute scopes (functions:execute) and must rotate in place with an overlap of at least 1h; rotationOverlap is "30m".',
    ]);
    expect(
      await validateResource(executeKeysRotateInPlace, short, { config: { minOverlap: "15m" } }),
    ).toEqual([]);
    expect(
      await validateResource(executeKeysRotateInPlace, compliantKey(), { config: { minOverlap: "2d" } }),
    ).toEqual([expect.stringContaining("an overlap of at least 2d")]);
  });

  test("ignores keys without execute scopes, and keys that never rotate", async () => {
    const reader = keyWith((key) => {
      key.scopes = ["functions:read", "data:write"];
      delete key.rotationOverlap;
    });
    expect(await validateResource(executeKeysRotateInPlace, reader)).toEqual([]);
    const neverRotates = keyWith((key) => {
      delete key.rotateBeforeExpiry;
      delete key.rotationOverlap;
    });
    expect(await validateResource(executeKeysRotateInPlace, neverRotates)).toEqual([]);
  });

  test("config chooses the scopes: exact, <service>:*, *:<action> or *", async () => {
    const writer = keyWith((key) => {
      key.scopes = ["data:write"];
      delete key.rotationOverlap;
    });
    expect(await validateResource(executeKeysRotateInPlace, writer)).toEqual([]);
    for (const scopes of [["data:write"], ["data:*"], ["*:write"], ["*"]]) {
      expect(await validateResource(executeKeysRotateInPlace, writer, { config: { scopes } })).toEqual([
        expect.stringContaining("has execute scopes (data:write) and must rotate in place"),
      ]);
    }
    // A wildcard scope grants execute, so "*:execute" (the default) covers it.
    const wildcard = keyWith((key) => {
      key.scopes = ["workflows:*"];
      delete key.rotationOverlap;
    });
    expect(await validateResource(executeKeysRotateInPlace, wildcard)).toEqual([
      expect.stringContaining("has execute scopes (workflows:*)"),
    ]);
  });

  test("skips unknown scopes or overlap by default; fails with onUnknown fail", async () => {
    const unknownScopes = keyWith((key) => (key.scopes = UNKNOWN));
    const unknownOverlap = keyWith((key) => (key.rotationOverlap = UNKNOWN));
    for (const props of [unknownScopes, unknownOverlap]) {
      expect(await validateResource(executeKeysRotateInPlace, props)).toEqual([]);
      expect(
        await validateResource(executeKeysRotateInPlace, props, { config: { onUnknown: "fail" } }),
      ).toEqual([
        expect.stringContaining("known at preview so that this policy can check that it rotates in place"),
      ]);
    }
  });
});
