import {
  lifetimeLonger,
  looserRestrictions,
  networksLooser,
  rateLooser,
  referrersLooser,
  timeWindowLooser,
} from "../../emulator/enforcement/looser";
import { ipAllowed } from "../../emulator/enforcement/networks";
import { referrerAllowed } from "../../emulator/enforcement/referrers";

/** "Looser" per restriction kind: what a caller may not hand out beyond its own restrictions. */

describe("IP networks: every new network inside one of the caller's", () => {
  test.each([
    [["10.1.0.0/16"], ["10.0.0.0/8"], false],
    [["10.0.0.0/8"], ["10.0.0.0/8"], false],
    [["10.1.2.3"], ["10.0.0.0/8"], false],
    [[" 10.1.0.0/16 "], ["10.0.0.0/8"], false],
    [["::ffff:10.1.0.0/112"], ["10.0.0.0/8"], false],
    [["10.1.0.0/16"], ["::ffff:10.0.0.0/104"], false],
    [["10.0.0.0/7"], ["10.0.0.0/8"], true],
    [["10.1.0.0/16", "192.0.2.0/24"], ["10.0.0.0/8"], true],
    [["::/80"], ["10.0.0.0/8"], true],
    [["0.0.0.0/0"], ["10.0.0.0/8"], true],
    [[], ["10.0.0.0/8"], true],
    [undefined, ["10.0.0.0/8"], true],
    [["2001:db8:1::/48"], ["2001:db8::/32"], false],
    [["2001:db8::/31"], ["2001:db8::/32"], true],
    // Inside the union of two networks but neither alone: looser (the rule is per network).
    [["10.0.0.0/8"], ["10.0.0.0/9", "10.128.0.0/9"], true],
    [["0.0.0.0/0"], [], false],
    [["0.0.0.0/0"], undefined, false],
  ] as const)("%j within %j: looser %s", (next, own, looser) => {
    expect(networksLooser(next as readonly string[] | undefined, own as readonly string[] | undefined)).toBe(
      looser,
    );
  });
});

describe("referrers: every new pattern matches only what one of the caller's matches", () => {
  test.each([
    [["app.example.com"], ["app.example.com"], false],
    [["APP.example.com."], ["app.example.com"], false],
    [["a.example.org", "*.a.example.org", "*.example.org"], ["*.example.org"], false],
    [["example.org"], ["*.example.org"], true],
    [["*.example.com"], ["app.example.com"], true],
    [["evil.com"], ["app.example.com"], true],
    [["app.example.com:443"], ["app.example.com"], false],
    [["app.example.com"], ["app.example.com:443"], true],
    [["app.example.com:8443"], ["app.example.com:443"], true],
    [[], ["app.example.com"], true],
    [["anything.net"], [], false],
  ] as const)("%j within %j: looser %s", (next, own, looser) => {
    expect(referrersLooser(next as readonly string[], own as readonly string[])).toBe(looser);
  });
});

describe("rate limits: never more requests in any window", () => {
  test.each([
    [{ requests: 10, period: "minute" }, { requests: 10, period: "minute" }, false],
    [{ requests: 5, period: "minute" }, { requests: 10, period: "minute" }, false],
    [{ requests: 11, period: "minute" }, { requests: 10, period: "minute" }, true],
    // 100/minute may burst 100 in one second; a caller limited to 10/second may not give that.
    [{ requests: 100, period: "minute" }, { requests: 10, period: "second" }, true],
    [{ requests: 10, period: "minute" }, { requests: 10, period: "second" }, false],
    // 1/second admits 60 a minute.
    [{ requests: 1, period: "second" }, { requests: 10, period: "minute" }, true],
    [{ requests: 1, period: "second" }, { requests: 60, period: "minute" }, false],
    [{ requests: 1, period: "hour" }, { requests: 24, period: "day" }, false],
    [undefined, { requests: 10, period: "minute" }, true],
    [undefined, undefined, false],
    [{ requests: 1, period: "second" }, undefined, false],
  ] as const)("%j within %j: looser %s", (next, own, looser) => {
    expect(rateLooser(next, own)).toBe(looser);
  });
});

describe("time windows: same zone, days and hours within the caller's", () => {
  const weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"] as const;
  test.each([
    [{ daysOfWeek: ["monday"] }, { daysOfWeek: weekdays }, false],
    [{ daysOfWeek: ["sunday"] }, { daysOfWeek: weekdays }, true],
    [{}, { daysOfWeek: weekdays }, true],
    [undefined, { hoursOfDay: [9, 10] }, true],
    [{ hoursOfDay: [9] }, { hoursOfDay: [9, 10] }, false],
    [{ hoursOfDay: [9], daysOfWeek: ["sunday"] }, { hoursOfDay: [9, 10] }, false],
    [{ hoursOfDay: [9], timezone: "Europe/Berlin" }, { hoursOfDay: [9, 10] }, true],
    [{ hoursOfDay: [9], timezone: "Etc/UTC" }, { hoursOfDay: [9, 10], timezone: "UTC" }, false],
    [{ hoursOfDay: [3] }, { timezone: "Europe/Berlin" }, false],
    [undefined, { daysOfWeek: [], hoursOfDay: [] }, false],
  ] as const)("%j within %j: looser %s", (next, own, looser) => {
    expect(timeWindowLooser(next as never, own as never)).toBe(looser);
  });
});

test("lifetime: a caller that expires grants only keys expiring no later", () => {
  expect(lifetimeLonger(null, null)).toBe(false);
  expect(lifetimeLonger(5, null)).toBe(false);
  expect(lifetimeLonger(null, 10)).toBe(true);
  expect(lifetimeLonger(11, 10)).toBe(true);
  expect(lifetimeLonger(10, 10)).toBe(false);
});

test("looserRestrictions names every kind that is looser, in a fixed order", () => {
  const own = {
    ipAddresses: ["10.0.0.0/8"],
    referrers: ["app.example.com"],
    rateLimit: { requests: 10, period: "minute" as const },
    timeRestrictions: { hoursOfDay: [9] },
  };
  expect(looserRestrictions(own, own)).toEqual([]);
  expect(looserRestrictions({}, own)).toEqual(["ipAddresses", "referrers", "rateLimit", "timeRestrictions"]);
  expect(looserRestrictions({ ...own, rateLimit: { requests: 11, period: "minute" } }, own)).toEqual([
    "rateLimit",
  ]);
});

describe("matching requests", () => {
  test("allow-list entries with surrounding spaces match as they validate", () => {
    expect(ipAllowed([" 10.0.0.0/8 "], "10.1.2.3")).toBe(true);
    expect(ipAllowed(["192.0.2.7 "], "192.0.2.7")).toBe(true);
  });

  test("IPv6 ranges holding IPv4-mapped addresses admit IPv4 clients, on any listener", () => {
    expect(ipAllowed(["::/80"], "198.51.100.1")).toBe(true);
    expect(ipAllowed(["::/80"], "::ffff:198.51.100.1")).toBe(true);
    expect(ipAllowed(["::ffff:10.0.0.0/104"], "10.1.2.3")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:10.1.2.3")).toBe(true);
    expect(ipAllowed(["2001:db8::/32"], "10.1.2.3")).toBe(false);
  });

  test("a referrer pattern with a port matches URLs using the scheme's default port", () => {
    expect(referrerAllowed(["app.example.com:443"], "https://app.example.com/page")).toBe(true);
    expect(referrerAllowed(["app.example.com:443"], "https://app.example.com:443/")).toBe(true);
    expect(referrerAllowed(["app.example.com:80"], "http://app.example.com/")).toBe(true);
    expect(referrerAllowed(["app.example.com:443"], "http://app.example.com/")).toBe(false);
    expect(referrerAllowed(["app.example.com:8443"], "https://app.example.com/")).toBe(false);
    expect(referrerAllowed(["app.example.com"], "https://app.example.com:8443/")).toBe(true);
    expect(referrerAllowed(["*.example.com:443"], "https://a.example.com/")).toBe(true);
  });
});
