import { unknownCheckingProxy } from "@pulumi/policy";
import { parseNetwork, isWithinNetworks } from "../../policy-pack/lib/networks";
import { convertRate, perSecond } from "../../policy-pack/lib/rates";
import { catchAllReferrer } from "../../policy-pack/lib/referrers";
import { keySubject, quote } from "../../policy-pack/lib/resources";
import { isPrivileged, scopeMatches } from "../../policy-pack/lib/scopes";
import { UNKNOWN, snapshot, stringList } from "../../policy-pack/lib/unknowns";
import { UNKNOWN as SENTINEL, clone } from "./helpers";

describe("snapshot", () => {
  const props = { scopes: ["functions:read", SENTINEL], restrictions: SENTINEL, projects: ["p"], n: 3 };

  test("marks unknowns in plain props", () => {
    expect(snapshot(props)).toEqual({
      scopes: ["functions:read", UNKNOWN],
      restrictions: UNKNOWN,
      projects: ["p"],
      n: 3,
    });
  });

  test("reads props behind @pulumi/policy's unknown-checking proxy without throwing", () => {
    const proxied = unknownCheckingProxy(clone(props));
    expect(() => proxied.restrictions).toThrow("can't be known during preview");
    expect(() => proxied.scopes[1]).toThrow("can't be known during preview");
    expect(snapshot(proxied)).toEqual(snapshot(props));
  });

  test("stringList reports the known items, their indices, and whether anything is unknown", () => {
    expect(stringList(["a", UNKNOWN, "b"])).toEqual({
      present: true,
      items: [
        { index: 0, value: "a" },
        { index: 2, value: "b" },
      ],
      unknown: true,
    });
    expect(stringList(undefined)).toEqual({ present: false, items: [], unknown: false });
    expect(stringList(UNKNOWN)).toEqual({ present: true, items: [], unknown: true });
  });
});

describe("helpers", () => {
  test("scope patterns: exact, per service, everything", () => {
    expect(scopeMatches("functions:*", "functions:execute")).toBe(true);
    expect(scopeMatches("functions:*", "functions:*")).toBe(true);
    expect(scopeMatches("functions:*", "*")).toBe(false);
    expect(scopeMatches("functions:*", "functionsx:read")).toBe(false);
    expect(scopeMatches("*", "admin:billing")).toBe(true);
    expect(scopeMatches("data:read", "data:write")).toBe(false);
  });

  test("privileged scopes: write, execute, trigger, admin and wildcards", () => {
    expect(
      ["functions:write", "agents:execute", "events:trigger", "admin:read", "*", "data:*"].every(
        isPrivileged,
      ),
    ).toBe(true);
    expect(["functions:read", "data:read"].some(isPrivileged)).toBe(false);
  });

  test("networks are judged by their network; IPv4-mapped ranges count as IPv4", () => {
    expect(parseNetwork("192.168.1.1/24")).toEqual({ cidr: "192.168.1.0/24", family: "ipv4", prefix: 24 });
    expect(parseNetwork("::ffff:10.0.0.0/104")).toEqual({ cidr: "10.0.0.0/8", family: "ipv4", prefix: 8 });
    expect(parseNetwork("::10.0.0.0/104")).toEqual({ cidr: "10.0.0.0/8", family: "ipv4", prefix: 8 });
    for (const range of ["::/80", "::/64", "::ffff:0:0/95", "::ffff:0:0/96", "::/96"]) {
      expect(parseNetwork(range)).toEqual({ cidr: "0.0.0.0/0", family: "ipv4", prefix: 0 });
    }
    expect(parseNetwork("::/0")).toMatchObject({ family: "ipv6", prefix: 0 });
    expect(parseNetwork("2001:db8::/32")).toMatchObject({ family: "ipv6", prefix: 32 });
    expect(parseNetwork("::1:0:0/96")).toMatchObject({ family: "ipv6", prefix: 96 });
    expect(parseNetwork("2001:db8::1")).toMatchObject({ family: "ipv6", prefix: 128 });
    expect(parseNetwork("nope")).toBeUndefined();
    expect(isWithinNetworks(parseNetwork("10.1.0.0/16")!, ["10.0.0.0/8"])).toBe(true);
    expect(isWithinNetworks(parseNetwork("10.0.0.0/7")!, ["10.0.0.0/8"])).toBe(false);
    expect(isWithinNetworks(parseNetwork("10.1.0.0/16")!, ["::ffff:10.0.0.0/104"])).toBe(true);
    expect(isWithinNetworks(parseNetwork("::ffff:10.1.0.0/112")!, ["10.0.0.0/8"])).toBe(true);
    expect(isWithinNetworks(parseNetwork("10.1.0.0/16")!, ["::/64"])).toBe(false);
  });

  test("rates convert across periods", () => {
    expect(perSecond(120, "minute")).toBe(2);
    expect(convertRate(100, "second", "minute")).toBe(6000);
    expect(convertRate(1, "day", "hour")).toBe(0.04);
  });

  test("catch-all referrers", () => {
    expect(catchAllReferrer("*.example.com")).toBeUndefined();
    expect(catchAllReferrer("example.com")).toBeUndefined();
    expect(catchAllReferrer("*.vercel.app")?.reason).toContain('"vercel.app"');
    expect(catchAllReferrer("shop.*.example.com")?.reason).toContain("wildcard");
    expect(catchAllReferrer("*.*.example.com")?.reason).toContain("more than one wildcard");
  });

  test("messages quote values and cut long ones", () => {
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote("x".repeat(300))).toHaveLength(100);
    expect(keySubject("res", { name: "res" })).toBe('API key "res"');
    expect(keySubject("res", { name: "Other" })).toBe('API key "Other" (resource "res")');
  });
});
