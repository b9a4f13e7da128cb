import { noCatchAllReferrers } from "../../policy-pack/policies";
import {
  API_KEY_RESTRICTIONS,
  UNKNOWN,
  compliantKey,
  compliantRestrictions,
  keyWith,
  restrictionsWith,
  validateResource,
} from "./helpers";

const withReferrers = (...referrers: unknown[]) =>
  keyWith((key) => ((key.restrictions as Record<string, unknown>).referrers = referrers));

describe("no-catch-all-referrers", () => {
  test("accepts sites and sub-domain wildcards of a site", async () => {
    expect(await validateResource(noCatchAllReferrers, compliantKey())).toEqual([]);
    expect(
      await validateResource(
        noCatchAllReferrers,
        withReferrers("example.com:8443", "*.shop.example.co.uk", "me.github.io"),
      ),
    ).toEqual([]);
  });

  test('rejects "*"', async () => {
    expect(await validateResource(noCatchAllReferrers, withReferrers("*"))).toEqual([
      'API key "storefront-caller" must restrict referrers to sites its owner controls; restrictions.referrers[0] is "*", which matches every site.',
    ]);
  });

  test('rejects "*.com"', async () => {
    expect(await validateResource(noCatchAllReferrers, withReferrers("shop.example.com", "*.com"))).toEqual([
      'API key "storefront-caller" must restrict referrers to sites its owner controls; restrictions.referrers[1] is "*.com", which matches every site under the public suffix "com".',
    ]);
  });

  test.each(["*.co.uk", "*.github.io", "*.COM.", "*.com:443", "*.internal"])(
    "rejects %s",
    async (referrer) => {
      expect(await validateResource(noCatchAllReferrers, withReferrers(referrer))).toEqual([
        expect.stringContaining("which matches every site under the public suffix"),
      ]);
    },
  );

  test("rejects a bare public suffix", async () => {
    expect(await validateResource(noCatchAllReferrers, withReferrers("co.uk"))).toEqual([
      'API key "storefront-caller" must restrict referrers to sites its owner controls; restrictions.referrers[0] is "co.uk", which is a public suffix, not a site.',
    ]);
  });

  test("extraPublicSuffixes adds suffixes to reject", async () => {
    const props = withReferrers("*.apps.example.net");
    expect(await validateResource(noCatchAllReferrers, props)).toEqual([]);
    const config = { extraPublicSuffixes: ["apps.example.net"] };
    expect(await validateResource(noCatchAllReferrers, props, { config })).toEqual([
      expect.stringContaining('under the public suffix "apps.example.net"'),
    ]);
  });

  test("applies to ApiKeyRestrictions resources", async () => {
    const run = { type: API_KEY_RESTRICTIONS, name: "web-referrers" };
    expect(await validateResource(noCatchAllReferrers, compliantRestrictions(), run)).toEqual([]);
    const props = restrictionsWith((restrictions) => (restrictions.referrers = ["*.io"]));
    expect(await validateResource(noCatchAllReferrers, props, run)).toEqual([
      'ApiKeyRestrictions "web-referrers" must restrict referrers to sites its owner controls; referrers[0] is "*.io", which matches every site under the public suffix "io".',
    ]);
  });

  test("fails closed on unknown referrers by default; skip defers them", async () => {
    const props = withReferrers(UNKNOWN);
    expect(await validateResource(noCatchAllReferrers, props)).toEqual([
      expect.stringContaining("must have restrictions.referrers known at preview"),
    ]);
    expect(await validateResource(noCatchAllReferrers, props, { config: { onUnknown: "skip" } })).toEqual([]);
  });
});
