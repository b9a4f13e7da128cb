import { maxScopesPerKey } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

const nine = [
  "functions:read",
  "functions:write",
  "functions:execute",
  "workflows:read",
  "workflows:write",
  "workflows:execute",
  "agents:read",
  "agents:write",
  "agents:execute",
];

describe("max-scopes-per-key", () => {
  test("accepts a key with few scopes", async () => {
    expect(await validateResource(maxScopesPerKey, compliantKey())).toEqual([]);
  });

  test("rejects more than 8 scopes by default", async () => {
    const props = keyWith((key) => (key.scopes = nine));
    expect(await validateResource(maxScopesPerKey, props)).toEqual([
      'API key "storefront-caller" must hold at most 8 scopes (use one key per purpose); scopes lists 9.',
    ]);
  });

  test("counts a repeated scope once", async () => {
    const props = keyWith((key) => (key.scopes = [...nine.slice(0, 8), "functions:read"]));
    expect(await validateResource(maxScopesPerKey, props)).toEqual([]);
  });

  test("maxScopes changes the limit", async () => {
    const props = keyWith((key) => (key.scopes = nine));
    expect(await validateResource(maxScopesPerKey, props, { config: { maxScopes: 9 } })).toEqual([]);
    expect(await validateResource(maxScopesPerKey, compliantKey(), { config: { maxScopes: 1 } })).toEqual([
      'API key "storefront-caller" must hold at most 1 scopes (use one key per purpose); scopes lists 2.',
    ]);
  });

  test("skips unknown scopes by default (advisory rule); fails with onUnknown fail", async () => {
    const props = keyWith((key) => (key.scopes = UNKNOWN));
    expect(await validateResource(maxScopesPerKey, props)).toEqual([]);
    expect(await validateResource(maxScopesPerKey, props, { config: { onUnknown: "fail" } })).toEqual([
      expect.stringContaining("so that this policy can check that it holds at most 8 scopes"),
    ]);
  });
});
