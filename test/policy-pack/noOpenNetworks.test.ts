import { noOpenNetworks } from "../../policy-pack/policies";
import {
  API_KEY_RESTRICTIONS,
  UNKNOWN,
  compliantKey,
  compliantRestrictions,
  keyWith,
  restrictionsWith,
  validateResource,
} from "./helpers";

const withAddresses = (...ipAddresses: unknown[]) =>
  keyWith((key) => ((key.restrictions as Record<string, unknown>).ipAddresses = ipAddresses));

describe("no-open-networks", () => {
  test("accepts networks of /16 (IPv4) and /48 (IPv6) or narrower", async () => {
    expect(await validateResource(noOpenNetworks, compliantKey())).toEqual([]);
    expect(
      await validateResource(noOpenNetworks, withAddresses("10.1.0.0/16", "192.0.2.7", "2001:db8::1")),
    ).toEqual([]);
  });

  test("accepts a CIDR with host bits set, judged by its network", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("192.168.1.1/24"))).toEqual([]);
  });

  test("rejects 0.0.0.0/0", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("203.0.113.0/24", "0.0.0.0/0"))).toEqual([
      'API key "storefront-caller" must not allow every IPv4 address; restrictions.ipAddresses[1] is "0.0.0.0/0".',
    ]);
  });

  test("rejects ::/0", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("::/0"))).toEqual([
      'API key "storefront-caller" must not allow every IPv6 address; restrictions.ipAddresses[0] is "::/0".',
    ]);
  });

  test("rejects the IPv4-mapped IPv6 range that covers every IPv4 address", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("::ffff:0:0/96"))).toEqual([
      'API key "storefront-caller" must not allow every IPv4 address; restrictions.ipAddresses[0] is "::ffff:0:0/96".',
    ]);
  });

  test.each(["::/80", "::/64", "::ffff:0:0/95", "::/96", "::/95", "::/8"])(
    "rejects the IPv6 range %s, which contains every IPv4 address (mapped or compatible)",
    async (range) => {
      expect(await validateResource(noOpenNetworks, withAddresses(range))).toEqual([
        `API key "storefront-caller" must not allow every IPv4 address; restrictions.ipAddresses[0] is "${range}".`,
      ]);
    },
  );

  test("judges IPv6 ranges inside an IPv4 block by the IPv4 network they match", async () => {
    expect(
      await validateResource(noOpenNetworks, withAddresses("::ffff:10.0.0.0/104", "::10.0.0.0/104")),
    ).toEqual([
      'API key "storefront-caller" must not allow an IPv4 network broader than /16; restrictions.ipAddresses[0] is "::ffff:10.0.0.0/104".',
      'API key "storefront-caller" must not allow an IPv4 network broader than /16; restrictions.ipAddresses[1] is "::10.0.0.0/104".',
    ]);
    expect(await validateResource(noOpenNetworks, withAddresses("::ffff:10.1.0.0/112", "::1"))).toEqual([]);
    const config = { allowedNetworks: ["10.0.0.0/8"] };
    expect(await validateResource(noOpenNetworks, withAddresses("::ffff:10.0.0.0/104"), { config })).toEqual(
      [],
    );
  });

  test("rejects an IPv4 network broader than /16", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("10.0.0.0/8"))).toEqual([
      'API key "storefront-caller" must not allow an IPv4 network broader than /16; restrictions.ipAddresses[0] is "10.0.0.0/8".',
    ]);
  });

  test("rejects an IPv6 network broader than /48", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("2001:db8::/32"))).toEqual([
      'API key "storefront-caller" must not allow an IPv6 network broader than /48; restrictions.ipAddresses[0] is "2001:db8::/32".',
    ]);
  });

  test("rejects text that is not an address", async () => {
    expect(await validateResource(noOpenNetworks, withAddresses("anywhere"))).toEqual([
      'API key "storefront-caller" must restrict IP addresses to addresses or CIDRs; restrictions.ipAddresses[0] is "anywhere", which is neither.',
    ]);
  });

  test("minPrefixV4 and minPrefixV6 change the limits", async () => {
    const props = withAddresses("10.0.0.0/8", "2001:db8::/32");
    expect(
      await validateResource(noOpenNetworks, props, { config: { minPrefixV4: 8, minPrefixV6: 32 } }),
    ).toEqual([]);
    expect(await validateResource(noOpenNetworks, compliantKey(), { config: { minPrefixV4: 28 } })).toEqual([
      expect.stringContaining('broader than /28; restrictions.ipAddresses[0] is "203.0.113.0/24"'),
    ]);
  });

  test("allowedNetworks admits any prefix inside the listed networks, never 0.0.0.0/0", async () => {
    const config = { allowedNetworks: ["10.0.0.0/8", "0.0.0.0/0", "::/0"] };
    expect(
      await validateResource(noOpenNetworks, withAddresses("10.0.0.1/8", "10.128.0.0/9"), { config }),
    ).toEqual([]);
    expect(await validateResource(noOpenNetworks, withAddresses("11.0.0.0/8"), { config })).toEqual([
      expect.stringContaining('restrictions.ipAddresses[0] is "11.0.0.0/8"'),
    ]);
    expect(
      await validateResource(noOpenNetworks, withAddresses("0.0.0.0/0", "::/0", "8.0.0.0/7"), { config }),
    ).toHaveLength(3);
  });

  test("applies to ApiKeyRestrictions resources", async () => {
    const run = { type: API_KEY_RESTRICTIONS, name: "ingest-network" };
    expect(await validateResource(noOpenNetworks, compliantRestrictions(), run)).toEqual([]);
    const props = restrictionsWith((restrictions) => (restrictions.ipAddresses = ["0.0.0.0/0"]));
    expect(await validateResource(noOpenNetworks, props, run)).toEqual([
      'ApiKeyRestrictions "ingest-network" must not allow every IPv4 address; ipAddresses[0] is "0.0.0.0/0".',
    ]);
  });

  test("accepts a key without IP restrictions (privileged-keys-need-ip-restrictions requires them)", async () => {
    const props = keyWith((key) => delete key.restrictions);
    expect(await validateResource(noOpenNetworks, props)).toEqual([]);
  });

  test("fails closed on unknown addresses by default; skip defers them", async () => {
    const props = withAddresses("203.0.113.0/24", UNKNOWN);
    expect(await validateResource(noOpenNetworks, props)).toEqual([
      expect.stringContaining(
        'API key "storefront-caller" must have restrictions.ipAddresses known at preview so that this policy can check that no network is too broad',
      ),
    ]);
    expect(await validateResource(noOpenNetworks, props, { config: { onUnknown: "skip" } })).toEqual([]);
  });

  test("treats wholly unknown restrictions as unknown addresses", async () => {
    const props = keyWith((key) => (key.restrictions = UNKNOWN));
    expect(await validateResource(noOpenNetworks, props)).toHaveLength(1);
    const restrictions = restrictionsWith((value) => (value.ipAddresses = UNKNOWN));
    expect(
      await validateResource(noOpenNetworks, restrictions, { type: API_KEY_RESTRICTIONS, name: "n" }),
    ).toEqual([expect.stringContaining('ApiKeyRestrictions "n" must have ipAddresses known at preview')]);
  });
});
