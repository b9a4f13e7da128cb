import { adminScopesNeedApproval } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

const withScopes = (...scopes: string[]) => keyWith((key) => (key.scopes = scopes));

describe("admin-scopes-need-approval", () => {
  test("accepts a key without admin scopes", async () => {
    expect(await validateResource(adminScopesNeedApproval, compliantKey())).toEqual([]);
  });

  test("rejects admin:read by default: no admin scope is approved until configured", async () => {
    expect(
      await validateResource(adminScopesNeedApproval, withScopes("functions:read", "admin:read")),
    ).toEqual([
      'API key "storefront-caller" must not hold the admin scope "admin:read" unless the admin-scopes-need-approval config approves it (allowedAdminScopes, or approvedKeys for this key); scopes[1] is "admin:read".',
    ]);
  });

  test.each(["admin:billing", "admin:users", "admin:organizations", "admin:write", "admin:projects"])(
    "rejects %s by default",
    async (scope) => {
      expect(await validateResource(adminScopesNeedApproval, withScopes(scope))).toEqual([
        expect.stringContaining(`must not hold the admin scope "${scope}"`),
      ]);
    },
  );

  test("allowedAdminScopes approves exactly the scopes listed", async () => {
    const config = { allowedAdminScopes: ["admin:read"] };
    const messages = await validateResource(
      adminScopesNeedApproval,
      withScopes("admin:read", "admin:billing"),
      {
        config,
      },
    );
    expect(messages).toEqual([expect.stringContaining('scopes[1] is "admin:billing"')]);
  });

  test('allowedAdminScopes "admin:*" approves the whole family', async () => {
    const config = { allowedAdminScopes: ["admin:*"] };
    expect(
      await validateResource(adminScopesNeedApproval, withScopes("admin:billing", "admin:users"), { config }),
    ).toEqual([]);
  });

  test("approvedKeys approves scopes for one key, by resource name or by key name", async () => {
    const props = withScopes("admin:projects");
    expect(
      await validateResource(adminScopesNeedApproval, props, {
        config: { approvedKeys: { "storefront-caller": ["admin:projects"] } },
      }),
    ).toEqual([]);
    const named = keyWith((key) => {
      key.name = "ops-bot";
      key.scopes = ["admin:projects"];
    });
    expect(
      await validateResource(adminScopesNeedApproval, named, {
        config: { approvedKeys: { "ops-bot": ["admin:projects"] } },
      }),
    ).toEqual([]);
    expect(
      await validateResource(adminScopesNeedApproval, props, {
        config: { approvedKeys: { other: ["admin:projects"] } },
      }),
    ).toHaveLength(1);
  });

  test('treats "*" as an admin scope', async () => {
    expect(await validateResource(adminScopesNeedApproval, withScopes("*"))).toEqual([
      expect.stringContaining('must not hold the admin scope "*"'),
    ]);
  });

  test("fails closed by default on unknown scopes, skips with onUnknown skip", async () => {
    const props = keyWith((key) => (key.scopes = UNKNOWN));
    expect(await validateResource(adminScopesNeedApproval, props)).toEqual([
      expect.stringContaining("so that this policy can check that every admin scope is approved"),
    ]);
    expect(await validateResource(adminScopesNeedApproval, props, { config: { onUnknown: "skip" } })).toEqual(
      [],
    );
  });
});
