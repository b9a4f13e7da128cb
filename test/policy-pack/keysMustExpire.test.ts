import { keysMustExpire } from "../../policy-pack/policies";
import { UNKNOWN, compliantKey, keyWith, validateResource } from "./helpers";

const DAY_MS = 86_400_000;
const daysAhead = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();

function withExpiry(expiry: { expiresIn?: unknown; expiresAt?: unknown }) {
  return keyWith((key) => {
    delete key.expiresIn;
    delete key.rotateBeforeExpiry;
    Object.assign(key, expiry);
  });
}

describe("keys-must-expire", () => {
  test("accepts expiresIn within 90 days", async () => {
    expect(await validateResource(keysMustExpire, compliantKey())).toEqual([]);
    expect(await validateResource(keysMustExpire, withExpiry({ expiresIn: "90d" }))).toEqual([]);
  });

  test("accepts expiresAt within 90 days", async () => {
    expect(await validateResource(keysMustExpire, withExpiry({ expiresAt: daysAhead(30) }))).toEqual([]);
  });

  test("rejects a key that never expires", async () => {
    expect(await validateResource(keysMustExpire, withExpiry({}))).toEqual([
      'API key "storefront-caller" must expire within 90 days: set expiresIn (e.g. "90d") or expiresAt; neither is set.',
    ]);
  });

  test("rejects expiresIn longer than 90 days", async () => {
    expect(await validateResource(keysMustExpire, withExpiry({ expiresIn: "365d" }))).toEqual([
      'API key "storefront-caller" must expire within 90 days; expiresIn is "365d".',
    ]);
    expect(await validateResource(keysMustExpire, withExpiry({ expiresIn: "12w" }))).toEqual([]);
    expect(await validateResource(keysMustExpire, withExpiry({ expiresIn: "13w" }))).toHaveLength(1);
  });

  test("rejects expiresAt further than 90 days ahead", async () => {
    const expiresAt = daysAhead(400);
    expect(await validateResource(keysMustExpire, withExpiry({ expiresAt }))).toEqual([
      `API key "storefront-caller" must expire within 90 days; expiresAt is "${expiresAt}", 400 days from now.`,
    ]);
  });

  test("rejects an expiry that is not a duration or a time", async () => {
    expect(await validateResource(keysMustExpire, withExpiry({ expiresIn: "forever" }))).toEqual([
      'API key "storefront-caller" must expire within 90 days; expiresIn is "forever", which is not a duration such as "30d".',
    ]);
    expect(await validateResource(keysMustExpire, withExpiry({ expiresAt: "someday" }))).toEqual([
      'API key "storefront-caller" must expire within 90 days; expiresAt is "someday", which is not an ISO 8601 time.',
    ]);
  });

  test("maxLifetimeDays changes the limit", async () => {
    const props = withExpiry({ expiresIn: "365d" });
    expect(await validateResource(keysMustExpire, props, { config: { maxLifetimeDays: 365 } })).toEqual([]);
    expect(
      await validateResource(keysMustExpire, compliantKey(), { config: { maxLifetimeDays: 7 } }),
    ).toEqual(['API key "storefront-caller" must expire within 7 days; expiresIn is "30d".']);
  });

  test("fails closed on an unknown expiry by default; skip defers it", async () => {
    const props = withExpiry({ expiresAt: UNKNOWN });
    expect(await validateResource(keysMustExpire, props)).toEqual([
      expect.stringContaining(
        'API key "storefront-caller" must have expiresAt known at preview so that this policy can check that it expires within 90 days',
      ),
    ]);
    expect(await validateResource(keysMustExpire, props, { config: { onUnknown: "skip" } })).toEqual([]);
  });
});
