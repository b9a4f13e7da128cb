import {
  cidrInterval,
  referrerCovers,
  uncoveredNetworks,
  uncoveredReferrers,
} from "../../../review/analysis/coverage";

describe("networks", () => {
  test("a network inside a wider one is covered; the wider one is not covered by the narrower", () => {
    expect(uncoveredNetworks(["10.1.2.0/24"], ["10.0.0.0/8"])).toEqual([]);
    expect(uncoveredNetworks(["10.0.0.0/8"], ["10.1.2.0/24"])).toEqual(["10.0.0.0/8"]);
  });

  test("host bits do not matter: 192.168.1.1/24 is the network 192.168.1.0/24", () => {
    expect(uncoveredNetworks(["192.168.1.1/24"], ["192.168.1.0/24"])).toEqual([]);
    expect(cidrInterval("192.168.1.77/24")).toEqual(cidrInterval("192.168.1.0/24"));
  });

  test("adjacent networks together cover the network that spans them", () => {
    expect(uncoveredNetworks(["10.0.0.0/24"], ["10.0.0.0/25", "10.0.0.128/25"])).toEqual([]);
    expect(uncoveredNetworks(["10.0.0.0/23"], ["10.0.0.0/25", "10.0.0.128/25"])).toEqual(["10.0.0.0/23"]);
  });

  test("a bare address is a single-address network, in IPv4 and IPv6", () => {
    expect(uncoveredNetworks(["203.0.113.9"], ["203.0.113.0/24"])).toEqual([]);
    expect(uncoveredNetworks(["2001:db8::1"], ["2001:db8::/32"])).toEqual([]);
    expect(cidrInterval("2001:db8::1")).toMatchObject({ family: "ipv6" });
  });

  test("families never cover each other", () => {
    expect(uncoveredNetworks(["::ffff:10.0.0.1/128"], ["10.0.0.0/8"])).toEqual(["::ffff:10.0.0.1/128"]);
    expect(uncoveredNetworks(["10.0.0.1"], ["::/0"])).toEqual(["10.0.0.1"]);
  });

  test("an entry that is not a network is covered only by the same text", () => {
    expect(uncoveredNetworks(["not-a-network"], ["not-a-network"])).toEqual([]);
    expect(uncoveredNetworks(["not-a-network"], ["0.0.0.0/0"])).toEqual(["not-a-network"]);
  });
});

describe("referrers", () => {
  test("a wildcard covers sub-domains at any depth but not the bare domain", () => {
    expect(referrerCovers("*.example.com", "shop.example.com")).toBe(true);
    expect(referrerCovers("*.example.com", "*.eu.example.com")).toBe(true);
    expect(referrerCovers("*.example.com", "example.com")).toBe(false);
    expect(referrerCovers("*.example.com", "badexample.com")).toBe(false);
  });

  test("case and trailing dots do not matter; a port narrows a pattern", () => {
    expect(referrerCovers("Shop.Example.COM.", "shop.example.com")).toBe(true);
    expect(referrerCovers("shop.example.com", "shop.example.com:8443")).toBe(true);
    expect(referrerCovers("shop.example.com:8443", "shop.example.com")).toBe(false);
  });

  test("uncovered referrers are the ones that admit new sites", () => {
    expect(uncoveredReferrers(["*.example.com", "a.example.com"], ["shop.example.com"])).toEqual([
      "*.example.com",
      "a.example.com",
    ]);
    expect(uncoveredReferrers(["a.example.com"], ["*.example.com"])).toEqual([]);
  });
});
