import { START, expectError, setup, type Emulator } from "./helpers";

let emu: Emulator;
beforeEach(() => {
  emu = setup();
});
afterEach(() => emu.close());

const get = (key: string, extra: Parameters<Emulator["request"]>[2] = {}) =>
  emu.request("GET", "/functions", { key, ...extra });

describe("authentication", () => {
  test("a request without a key is 401 with WWW-Authenticate", async () => {
    const response = await get("");
    expectError(response, 401, "unauthenticated");
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
  });

  test("an unknown key is 401", async () => {
    expectError(await get("adk_0000000000000000000000000000000"), 401, "unauthenticated");
  });

  test("a known prefix with a wrong secret is 401", async () => {
    const key = await emu.createKey();
    expectError(await get(`${key.key.slice(0, 10)}${"x".repeat(26)}`), 401, "unauthenticated");
  });

  test("a scheme other than Bearer is 401", async () => {
    const key = await emu.createKey();
    const response = await emu.request("GET", "/functions", {
      key: "",
      headers: { authorization: `Basic ${key.key}` },
    });
    expectError(response, 401, "unauthenticated");
  });

  test("the Bearer scheme is case-insensitive", async () => {
    const key = await emu.createKey();
    const response = await emu.request("GET", "/functions", {
      key: "",
      headers: { authorization: `bearer ${key.key}` },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe("key status", () => {
  test("a revoked key is 403 key_revoked", async () => {
    const key = await emu.createKey();
    await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "gone" } });
    expectError(await get(key.key), 403, "key_revoked");
  });

  test("an expired key is 403 key_expired, from the instant it expires", async () => {
    const key = await emu.createKey({ expiresAt: new Date(START.getTime() + 60_000).toISOString() });
    emu.clock.advance(59_999);
    expect((await get(key.key)).statusCode).toBe(200);
    emu.clock.advance(1);
    expectError(await get(key.key), 403, "key_expired");
  });

  test("status is checked before restrictions", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["10.0.0.0/8"] } });
    await emu.request("POST", `/api-keys/${key.id}/revoke`, { body: { reason: "gone" } });
    expectError(await get(key.key, { ip: "192.0.2.1" }), 403, "key_revoked");
  });
});

describe("IP restrictions", () => {
  test("IPv4: inside the CIDR passes, outside is 403 ip_not_allowed", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["192.168.1.1/24"] } });
    expect((await get(key.key, { ip: "192.168.1.77" })).statusCode).toBe(200);
    const denied = await get(key.key, { ip: "192.168.2.1" });
    expectError(denied, 403, "ip_not_allowed");
  });

  test("a bare address allows exactly that address", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["203.0.113.7"] } });
    expect((await get(key.key, { ip: "203.0.113.7" })).statusCode).toBe(200);
    expectError(await get(key.key, { ip: "203.0.113.8" }), 403, "ip_not_allowed");
  });

  test("IPv6 CIDRs match IPv6 addresses", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["2001:db8::/32"] } });
    expect((await get(key.key, { ip: "2001:db8:1::5" })).statusCode).toBe(200);
    expectError(await get(key.key, { ip: "2001:db9::1" }), 403, "ip_not_allowed");
    expectError(await get(key.key, { ip: "192.0.2.1" }), 403, "ip_not_allowed");
  });

  test("an IPv4-mapped IPv6 source matches an IPv4 CIDR", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["127.0.0.0/8"] } });
    expect((await get(key.key, { ip: "::ffff:127.0.0.1" })).statusCode).toBe(200);
    expectError(await get(key.key, { ip: "::ffff:10.0.0.1" }), 403, "ip_not_allowed");
  });

  test("any one of several CIDRs is enough", async () => {
    const key = await emu.createKey({ restrictions: { ipAddresses: ["10.0.0.0/8", "2001:db8::/32"] } });
    expect((await get(key.key, { ip: "10.1.2.3" })).statusCode).toBe(200);
    expect((await get(key.key, { ip: "2001:db8::1" })).statusCode).toBe(200);
  });
});

describe("referrer restrictions", () => {
  const restrictions = { referrers: ["app.example.com", "*.example.org"] };

  test("an exact host matches", async () => {
    const key = await emu.createKey({ restrictions });
    expect((await get(key.key, { referer: "https://app.example.com/page?x=1" })).statusCode).toBe(200);
  });

  test("a wildcard matches sub-domains but not the bare domain", async () => {
    const key = await emu.createKey({ restrictions });
    expect((await get(key.key, { referer: "https://a.b.example.org/" })).statusCode).toBe(200);
    expectError(await get(key.key, { referer: "https://example.org/" }), 403, "referrer_not_allowed");
  });

  test("a foreign referrer is 403 referrer_not_allowed", async () => {
    const key = await emu.createKey({ restrictions });
    expectError(await get(key.key, { referer: "https://evil.example.net/" }), 403, "referrer_not_allowed");
    expectError(
      await get(key.key, { referer: "https://app.example.com.evil.net/" }),
      403,
      "referrer_not_allowed",
    );
  });

  test("a missing referrer is 403 referrer_not_allowed", async () => {
    const key = await emu.createKey({ restrictions });
    expectError(await get(key.key), 403, "referrer_not_allowed");
  });
});

describe("time windows", () => {
  // START is Monday 10:00 UTC = Monday 19:00 in Tokyo = Monday 05:00 in New York (EST).
  test("hours are evaluated in the key's time zone", async () => {
    const tokyo = await emu.createKey({
      restrictions: { timeRestrictions: { hoursOfDay: [19], timezone: "Asia/Tokyo" } },
    });
    const utc = await emu.createKey({ restrictions: { timeRestrictions: { hoursOfDay: [19] } } });
    expect((await get(tokyo.key)).statusCode).toBe(200);
    expectError(await get(utc.key), 403, "outside_allowed_time");
  });

  test("days are evaluated in the key's time zone", async () => {
    emu.clock.set(new Date("2026-03-02T02:00:00Z")); // Monday 02:00 UTC = Sunday 21:00 in New York
    const key = await emu.createKey({
      restrictions: { timeRestrictions: { daysOfWeek: ["monday"], timezone: "America/New_York" } },
    });
    expectError(await get(key.key), 403, "outside_allowed_time");
    emu.clock.advance(4 * 3_600_000); // 01:00 Monday in New York
    expect((await get(key.key)).statusCode).toBe(200);
  });

  test("business hours: both days and hours must match", async () => {
    const key = await emu.createKey({
      restrictions: {
        timeRestrictions: {
          daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
          hoursOfDay: [9, 10, 11, 12, 13, 14, 15, 16],
          timezone: "Europe/Berlin",
        },
      },
    });
    expect((await get(key.key)).statusCode).toBe(200); // Monday 11:00 in Berlin
    emu.clock.set(new Date("2026-03-07T10:00:00Z")); // Saturday
    expectError(await get(key.key), 403, "outside_allowed_time");
  });
});

describe("rate limits", () => {
  test("over the limit is 429 with Retry-After until a slot frees", async () => {
    const key = await emu.createKey({ restrictions: { rateLimit: { requests: 3, period: "minute" } } });
    for (let i = 0; i < 3; i++) {
      expect((await get(key.key)).statusCode).toBe(200);
      emu.clock.advance(10_000);
    }
    // Requests at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    const limited = await get(key.key);
    expectError(limited, 429, "rate_limited");
    expect(limited.headers["retry-after"]).toBe("30");

    emu.clock.advance(29_999);
    expectError(await get(key.key), 429, "rate_limited");
    emu.clock.advance(1);
    expect((await get(key.key)).statusCode).toBe(200);
  });

  test("the window slides: no double burst at a boundary", async () => {
    const key = await emu.createKey({ restrictions: { rateLimit: { requests: 2, period: "second" } } });
    emu.clock.advance(900);
    expect((await get(key.key)).statusCode).toBe(200);
    expect((await get(key.key)).statusCode).toBe(200);
    emu.clock.advance(200); // a fixed window would have reset at 1000 ms
    expectError(await get(key.key), 429, "rate_limited");
  });

  test("refused requests do not use up the quota", async () => {
    const key = await emu.createKey({ restrictions: { rateLimit: { requests: 1, period: "second" } } });
    expect((await get(key.key)).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expectError(await get(key.key), 429, "rate_limited");
    emu.clock.advance(1000);
    expect((await get(key.key)).statusCode).toBe(200);
  });

  test("limits are per key", async () => {
    const limited = await emu.createKey({ restrictions: { rateLimit: { requests: 1, period: "hour" } } });
    const other = await emu.createKey();
    await get(limited.key);
    expectError(await get(limited.key), 429, "rate_limited");
    expect((await get(other.key)).statusCode).toBe(200);
  });

  test("requests from a forbidden IP do not count against the limit", async () => {
    const key = await emu.createKey({
      restrictions: { ipAddresses: ["10.0.0.0/8"], rateLimit: { requests: 1, period: "minute" } },
    });
    expectError(await get(key.key, { ip: "192.0.2.1" }), 403, "ip_not_allowed");
    expect((await get(key.key, { ip: "10.0.0.1" })).statusCode).toBe(200);
  });
});

describe("projects", () => {
  test("a project-bound key needs the X-Admindo-Project header", async () => {
    const key = await emu.createKey({ projects: ["web", "api"] });
    const response = await get(key.key);
    expectError(response, 403, "project_required");
    expect(response.json().error.details).toEqual({ projects: ["web", "api"] });
  });

  test("a project-bound key may act in its projects only", async () => {
    const key = await emu.createKey({ projects: ["web"] });
    expect((await get(key.key, { project: "web" })).statusCode).toBe(200);
    expectError(await get(key.key, { project: "billing" }), 403, "project_not_allowed");
  });

  test("a key without projects may name any project", async () => {
    const key = await emu.createKey();
    expect((await get(key.key, { project: "anything" })).statusCode).toBe(200);
  });

  test("a malformed project header is a 400", async () => {
    const key = await emu.createKey();
    const response = await get(key.key, { project: "no spaces allowed" });
    expectError(response, 400, "invalid_request");
    expect(response.json().error.details[0].path).toBe("headers.x-admindo-project");
  });
});
