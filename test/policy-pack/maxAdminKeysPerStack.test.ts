import { maxAdminKeysPerStack } from "../../policy-pack/policies";
import { API_KEY_RESTRICTIONS, UNKNOWN, compliantKey, keyEntry, keyWith, validateStack } from "./helpers";

const adminKey = (...scopes: string[]) => keyWith((key) => (key.scopes = scopes));

describe("max-admin-keys-per-stack", () => {
  test("accepts one admin key among others", async () => {
    expect(
      await validateStack(maxAdminKeysPerStack, [
        keyEntry("ops", adminKey("admin:read")),
        keyEntry("caller", compliantKey()),
      ]),
    ).toEqual([]);
  });

  test("rejects a second admin key, naming both in resource-name order", async () => {
    expect(
      await validateStack(maxAdminKeysPerStack, [
        keyEntry("ops", adminKey("admin:read")),
        keyEntry("billing", adminKey("functions:read", "admin:billing", "admin:users")),
        keyEntry("caller", compliantKey()),
      ]),
    ).toEqual([
      {
        message:
          'This stack must declare at most 1 API key with admin scopes; it declares 2: API key "storefront-caller" (resource "billing") (admin:billing and admin:users) and API key "storefront-caller" (resource "ops") (admin:read).',
        urn: undefined,
      },
    ]);
  });

  test("maxAdminKeys changes the limit", async () => {
    const entries = [keyEntry("ops", adminKey("admin:read")), keyEntry("billing", adminKey("admin:billing"))];
    expect(await validateStack(maxAdminKeysPerStack, entries, { maxAdminKeys: 2 })).toEqual([]);
    expect(await validateStack(maxAdminKeysPerStack, entries.slice(0, 1), { maxAdminKeys: 0 })).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("at most 0 API keys with admin scopes; it declares 1"),
      }),
    ]);
  });

  test("ignores resources of other types", async () => {
    const entries = [
      keyEntry("ops", adminKey("admin:read")),
      { type: API_KEY_RESTRICTIONS, name: "r", props: { keyId: "k", scopes: ["admin:read"] } },
    ];
    expect(await validateStack(maxAdminKeysPerStack, entries)).toEqual([]);
  });

  test("counts a key with unknown scopes by default; skip does not", async () => {
    const mystery = keyWith((key) => (key.scopes = UNKNOWN));
    const entries = [keyEntry("ops", adminKey("admin:read")), keyEntry("mystery", mystery)];
    expect(await validateStack(maxAdminKeysPerStack, entries)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          '(scopes not known at preview, counted because onUnknown is "fail")',
        ),
      }),
    ]);
    expect(await validateStack(maxAdminKeysPerStack, entries, { onUnknown: "skip" })).toEqual([]);
  });
});
