import fc from "fast-check";
import { AddressGrouper, coverNetworks, networksAdmit, networksAdmitGroup } from "../../audit/networks";

const hosts = { ipv4Prefix: 32, ipv6Prefix: 128 };

describe("AddressGrouper", () => {
  test("counts an address under its network of the minimum prefix, IPv4 and IPv6", () => {
    const grouper = new AddressGrouper({ ipv4Prefix: 24, ipv6Prefix: 64 });
    expect(grouper.group("203.0.113.77")).toBe("203.0.113.0/24");
    expect(grouper.group("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(grouper.group("not an address")).toBeUndefined();
  });

  test("reads an IPv4-mapped IPv6 address as the IPv4 address it is", () => {
    expect(new AddressGrouper(hosts).group("::ffff:10.1.2.3")).toBe("10.1.2.3/32");
  });

  test("keeps an address in a configured network narrower than its minimum prefix", () => {
    const grouper = new AddressGrouper({ ipv4Prefix: 16, ipv6Prefix: 48 }, [
      "10.0.0.0/8",
      "10.1.2.0/28",
      "2001:db8::/64",
    ]);
    expect(grouper.group("10.1.2.3")).toBe("10.1.2.0/28");
    expect(grouper.group("10.9.9.9")).toBe("10.9.0.0/16");
    expect(grouper.group("2001:db8::1")).toBe("2001:db8::/64");
  });
});

/** Addresses in disjoint IPv4 networks. */
const size = (networks: string[]) =>
  networks.reduce((sum, network) => sum + 2 ** (32 - Number(network.split("/")[1])), 0);
/** The networks not inside another one. */
function outermost(networks: string[]): string[] {
  const kept: string[] = [];
  for (const network of [...new Set(networks)].sort(
    (a, b) => Number(a.split("/")[1]) - Number(b.split("/")[1]),
  )) {
    if (!kept.some((outer) => networksAdmitGroup([outer], network))) kept.push(network);
  }
  return kept;
}

describe("coverNetworks", () => {
  test("drops networks inside others and merges halves into their parent, IPv4 before IPv6", () => {
    expect(
      coverNetworks([
        "2001:db8::/64",
        "10.0.0.1/32",
        "10.0.0.0/32",
        "10.0.0.2/31",
        "10.0.0.0/24",
        "192.0.2.9/32",
      ]),
    ).toEqual(["10.0.0.0/24", "192.0.2.9/32", "2001:db8::/64"]);
    expect(coverNetworks(["10.0.0.0/32", "10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"])).toEqual([
      "10.0.0.0/30",
    ]);
    expect(coverNetworks(["2001:db8::/65", "2001:db8:0:0:8000::/65"])).toEqual(["2001:db8::/64"]);
  });

  test("never merges wider than /16 (IPv4) or /48 (IPv6), the widest networks the policy pack accepts", () => {
    expect(coverNetworks(["10.0.0.0/16", "10.1.0.0/16"])).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(coverNetworks(["2001:db8::/48", "2001:db8:1::/48"])).toEqual(["2001:db8::/48", "2001:db8:1::/48"]);
  });

  test("property: the cover admits every address seen and adds no address outside their networks", () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join("."));
    fc.assert(
      fc.property(
        fc.array(ipv4, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 16, max: 32 }),
        (addresses, prefix) => {
          const grouper = new AddressGrouper({ ipv4Prefix: prefix, ipv6Prefix: 64 });
          const groups = addresses.map((address) => grouper.group(address)!);
          const cover = coverNetworks(groups);
          for (const address of addresses) expect(networksAdmit(cover, address)).toBe(true);
          for (const group of groups) expect(networksAdmitGroup(cover, group)).toBe(true);
          // As many addresses as the groups hold together: nothing outside them is admitted.
          expect(size(cover)).toBe(size(outermost(groups)));
          expect(cover.length).toBeLessThanOrEqual(new Set(groups).size);
        },
      ),
    );
  });
});

describe("networksAdmitGroup", () => {
  test("admits a group only when one network holds all of it; an empty list admits everything", () => {
    expect(networksAdmitGroup(["10.0.0.0/8"], "10.1.2.0/24")).toBe(true);
    expect(networksAdmitGroup(["10.1.2.0/25"], "10.1.2.0/24")).toBe(false);
    expect(networksAdmitGroup(["2001:db8::/32"], "2001:db8:1:2::/64")).toBe(true);
    expect(networksAdmitGroup([], "192.0.2.1/32")).toBe(true);
    expect(networksAdmit(["10.0.0.0/8"], "::ffff:10.0.0.1")).toBe(true);
  });
});
