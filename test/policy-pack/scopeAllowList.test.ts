import { scopeAllowList } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

describe("scope-allow-list", () => {
  test("does nothing until configured", async () => {
    const props = keyWith((key) => (key.scopes = ["data:write", "admin:billing"]));
    expect(await validateResource(scopeAllowList, props)).toEqual([]);
  });

  test("accepts scopes matching the allow-list, exactly or by service pattern", async () => {
    const config = { allowedScopes: ["functions:*", "data:read"] };
    const props = keyWith((key) => (key.scopes = ["functions:execute", "data:read"]));
    expect(await validateResource(scopeAllowList, props, { config })).toEqual([]);
  });

  test("rejects a scope outside allowedScopes", async () => {
    const config = { allowedScopes: ["functions:*"] };
    const props = keyWith((key) => (key.scopes = ["functions:read", "data:write"]));
    expect(await validateResource(scopeAllowList, props, { config })).toEqual([
      'API key "storefront-caller" must use only scopes on the configured allow-list (functions:*); scopes[1] is "data:write".',
    ]);
  });

  test("a per-organization list wins over allowedScopes", async () => {
    const config = { allowedScopes: ["functions:*"], allowedScopesByOrganization: { acme: ["data:read"] } };
    expect(await validateResource(scopeAllowList, compliantKey(), { config })).toEqual([
      'API key "storefront-caller" must use only scopes on the allow-list of organization "acme" (data:read); scopes[0] is "functions:execute".',
      'API key "storefront-caller" must use only scopes on the allow-list of organization "acme" (data:read); scopes[1] is "functions:read".',
    ]);
  });

  test("an organization without a list falls back to allowedScopes, or to no list", async () => {
    const props = keyWith((key) => (key.organization = "globex"));
    const byOrganization = { allowedScopesByOrganization: { acme: ["data:read"] } };
    expect(await validateResource(scopeAllowList, props, { config: byOrganization })).toEqual([]);
    expect(
      await validateResource(scopeAllowList, props, {
        config: { ...byOrganization, allowedScopes: ["data:*"] },
      }),
    ).toHaveLength(2);
  });

  test("an empty allow-list rejects every scope", async () => {
    expect(await validateResource(scopeAllowList, compliantKey(), { config: { allowedScopes: [] } })).toEqual(
      [
        expect.stringContaining("on the configured allow-list (empty)"),
        expect.stringContaining("on the configured allow-list (empty)"),
      ],
    );
  });

  test("fails closed on an unknown organization when lists are per organization; skip defers", async () => {
    const config = { allowedScopesByOrganization: { acme: ["functions:*"] } };
    const props = keyWith((key) => (key.organization = UNKNOWN));
    expect(await validateResource(scopeAllowList, props, { config })).toEqual([
      expect.stringContaining("must have organization known at preview"),
    ]);
    expect(
      await validateResource(scopeAllowList, props, { config: { ...config, onUnknown: "skip" } }),
    ).toEqual([]);
  });

  test("fails closed on unknown scopes", async () => {
    const props = keyWith((key) => (key.scopes = UNKNOWN));
    expect(
      await validateResource(scopeAllowList, props, { config: { allowedScopes: ["functions:*"] } }),
    ).toEqual([expect.stringContaining("must have scopes known at preview")]);
  });
});
