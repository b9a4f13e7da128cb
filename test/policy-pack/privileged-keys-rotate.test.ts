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

  test("accepts a privileged key with a rotation period", async () => {
    const props = withoutRotation(["functions:write"]);
    props.rotationPeriod = "30d";
    expect(await validateResource(privilegedKeysRotate, props)).toEqual([]);
  });

  test("rejects a key with an execute scope and no rotation", async () => {
    expect(
      await validateResource(privilegedKeysRotate, withoutRotation(["functions:execute", "functions:read"])),
    ).toEqual([
      'API key "storefront-caller" has privileged scopes (functions:execute) and must rotate: set rotationPeriod (e.g. "30d") or rotateBeforeExpiry with expiresIn; neither is set.',
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
