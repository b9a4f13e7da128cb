import { noWildcardScopes } from "../../policy-pack/policies";
import {
  API_KEY_RESTRICTIONS,
  UNKNOWN,
  compliantKey,
  compliantRestrictions,
  keyWith,
  validateResource,
} from "./helpers";

describe("no-wildcard-scopes", () => {
  test("accepts a key whose scopes are all documented", async () => {
    expect(await validateResource(noWildcardScopes, compliantKey())).toEqual([]);
  });

  test('rejects the "*" scope', async () => {
    const props = keyWith((key) => (key.scopes = ["functions:read", "*"]));
    expect(await validateResource(noWildcardScopes, props)).toEqual([
      'API key "storefront-caller" must list each scope it needs by name instead of a wildcard; scopes[1] is "*".',
    ]);
  });

  test("rejects a service wildcard", async () => {
    const props = keyWith((key) => (key.scopes = ["functions:*"]));
    expect(await validateResource(noWildcardScopes, props)).toEqual([
      'API key "storefront-caller" must list each scope it needs by name instead of a wildcard; scopes[0] is "functions:*".',
    ]);
  });

  test("rejects a scope outside the documented list", async () => {
    const props = keyWith((key) => (key.scopes = ["functions:read", "functions:deploy"]));
    expect(await validateResource(noWildcardScopes, props)).toEqual([
      'API key "storefront-caller" must use only scopes the Admin.do API documents; scopes[1] is "functions:deploy", which is not one of them.',
    ]);
  });

  test("names the key by its key name and its resource name when they differ", async () => {
    const props = keyWith((key) => {
      key.name = "Storefront caller";
      key.scopes = ["*"];
    });
    const [message] = await validateResource(noWildcardScopes, props);
    expect(message).toMatch(/^API key "Storefront caller" \(resource "storefront-caller"\) must list/);
  });

  test("extraScopes accepts a scope newer than the documented list, but never a wildcard", async () => {
    const config = { extraScopes: ["functions:deploy", "functions:*"] };
    const props = keyWith((key) => (key.scopes = ["functions:deploy", "functions:*"]));
    expect(await validateResource(noWildcardScopes, props, { config })).toEqual([
      expect.stringContaining('scopes[1] is "functions:*"'),
    ]);
  });

  test("ignores ApiKeyRestrictions and other resource types", async () => {
    const props = { ...compliantRestrictions(), scopes: ["*"] };
    expect(await validateResource(noWildcardScopes, props, { type: API_KEY_RESTRICTIONS })).toEqual([]);
    expect(await validateResource(noWildcardScopes, props, { type: "aws:s3/bucket:Bucket" })).toEqual([]);
  });

  test("fails closed by default when the scopes are not known at preview", async () => {
    const props = keyWith((key) => (key.scopes = UNKNOWN));
    expect(await validateResource(noWildcardScopes, props)).toEqual([
      'API key "storefront-caller" must have scopes known at preview so that this policy can check that no scope is a wildcard; scopes depends on a value that is only known during the update. Set "onUnknown": "skip" in this policy\'s config to check it during `pulumi up` instead.',
    ]);
  });

  test("an unknown item fails closed too, and known items are still checked", async () => {
    const props = keyWith((key) => (key.scopes = ["functions:*", UNKNOWN]));
    const messages = await validateResource(noWildcardScopes, props);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("must have scopes known at preview");
    expect(messages[1]).toContain('scopes[0] is "functions:*"');
  });

  test('onUnknown "skip" leaves unknown scopes to pulumi up', async () => {
    const props = keyWith((key) => (key.scopes = UNKNOWN));
    expect(await validateResource(noWildcardScopes, props, { config: { onUnknown: "skip" } })).toEqual([]);
  });
});
