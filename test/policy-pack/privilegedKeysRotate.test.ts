import { privilegedKeysRotate } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

const withoutRotation = (scopes: string[]) =>
  keyWith((key) => {
    delete key.rotateBeforeExpiry;
    key.scopes = scopes;
  });

describe("privileged-keys-rotate", () => {
  test("accepts a privileged key that rotates before expiry", async () => {
    expect(await validateResource(privilegedKeysRotate, compliantKey())).toEqual([]);
  });

  test("accepts either strategy: replaced on rotation, or rotated in place with an overlap", async () => {
    const replaced = keyWith((key) => delete key.rotationOverlap);
    expect(await validateResource(privilegedKeysRotate, replaced)).toEqual([]);
    const inPlace = withoutRotation(["functions:execute"]);
    inPlace.rotationPeriod = "30d";
    inPlace.rotationOverlap = "1d";
    expect(await validateResource(privilegedKeysRotate, inPlace)).toEqual([]);
  });

  test("an overlap without a schedule is no rotation", async () => {
    const props = withoutRotation(["functions:execute"]);
    props.rotationTriggers = { generation: 1 };
    props.rotationOverlap = "1d";
    expect(await validateResource(privilegedKeysRotate, props)).toEqual([
      expect.stringContaining("and must rotate"),
    ]);
  });

  test("accepts a privileged key with a rotation period", async () => {
    const props = withoutRotation(["functions:write"]);
    props.rotationPeriod = "30d";
    expect(await validateResource(privilegedKeysRotate, props)).toEqual([]);
  });

  test("rejects a key with an execute scope and no rotation", async () => {
    expect(
      await validateResource(privilegedKeysRotate, withoutRotation(["functions:execute", "functions:read"])),
    ).toEqual([
      'API key "storefront-caller" has privileged scopes (functions:execute) and must rotate: set rotationPeriod (e.g. "30d") or rotateBeforeExpiry with expiresIn (and rotationOverlap to rotate it in place); neither is set.',
    ]);
  });

  test.each([["data:write"], ["events:trigger"], ["admin:read"], ["workflows:*"]])(
    "counts %s as privileged",
    async (scope) => {
      expect(await validateResource(privilegedKeysRotate, withoutRotation([scope]))).toEqual([
        expect.stringContaining(`has privileged scopes (${scope}) and must rotate`),
      ]);
    },
  );

  test("accepts a read-only key without rotation", async () => {
    expect(
      await validateResource(privilegedKeysRotate, withoutRotation(["functions:read", "data:read"])),
    ).toEqual([]);
  });

  test("skips unknown scopes by default; fails with onUnknown fail", async () => {
    const props = withoutRotation([]);
    props.scopes = UNKNOWN;
    expect(await validateResource(privilegedKeysRotate, props)).toEqual([]);
    expect(await validateResource(privilegedKeysRotate, props, { config: { onUnknown: "fail" } })).toEqual([
      expect.stringContaining("must have scopes known at preview"),
    ]);
  });
});
