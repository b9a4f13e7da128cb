import fc from "fast-check";
import {
  ApiKeySchema,
  CidrSchema,
  CreateApiKeyParamsSchema,
  DAYS_OF_WEEK,
  DurationSchema,
  RATE_LIMIT_PERIODS,
  ReferrerSchema,
  RestrictionsRecordSchema,
  RestrictionsSchema,
  SCOPES,
  ScopeSchema,
  TimestampSchema,
  cidrContains,
  normalizeCidr,
  normalizeReferrer,
  parseDuration,
} from "pulumi-admindo/client";
import { apiKeyRecord } from "./helpers";

/** The message of the first issue, or undefined when `value` passes. */
function firstError(
  schema: { safeParse(value: unknown): { error?: { issues: { message: string }[] } } },
  value: unknown,
) {
  return schema.safeParse(value).error?.issues[0]?.message;
}

describe("scopes", () => {
  it("accepts every scope of the seed list", () => {
    const seed = [
      ...["read", "write", "execute"].flatMap((a) =>
        ["functions", "workflows", "agents"].map((s) => `${s}:${a}`),
      ),
      "data:read",
      "data:write",
      "events:read",
      "events:write",
      "events:trigger",
      ...["read", "write", "users", "organizations", "projects", "billing"].map((a) => `admin:${a}`),
    ];
    expect([...SCOPES].sort()).toEqual(seed.sort());
    for (const scope of seed) expect(ScopeSchema.safeParse(scope).success).toBe(true);
  });

  it.each(["functions:destroy", "admin:*", "*", "Functions:read", "functions", ""])(
    "rejects %j with a message naming the allowed list",
    (scope) => {
      const message = firstError(ScopeSchema, scope);
      expect(message).toContain(`unknown scope ${JSON.stringify(scope)}`);
      expect(message).toContain("functions:read, functions:write");
      expect(message).toContain("admin:billing");
    },
  );

  it("requires at least one scope on create", () => {
    const result = CreateApiKeyParamsSchema.safeParse({ name: "n", organization: "acme", scopes: [] });
    expect(result.error?.issues[0]).toMatchObject({
      path: ["scopes"],
      message: "must name at least one scope",
    });
  });
});

describe("CIDRs", () => {
  it.each([
    ["192.168.1.1/24", "192.168.1.0/24"],
    ["192.168.1.0/24", "192.168.1.0/24"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["10.0.0.1", "10.0.0.1/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    [" 172.16.0.0/12 ", "172.16.0.0/12"],
    ["2001:DB8::1/32", "2001:db8::/32"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1/128"],
    ["::1", "::1/128"],
    ["::/0", "::/0"],
  ])("normalizes %j to the network %j", (input, network) => {
    expect(normalizeCidr(input)).toBe(network);
    expect(CidrSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    "192.168.1.0/33",
    "300.1.1.1",
    "10.0.0.0/",
    "10.0.0.0/-1",
    "::/129",
    "1.2.3/24",
    "127.1",
    "010.0.0.1/8",
    "0x7f.0.0.1/8",
    "fe80::1%eth0/64",
    "example.com",
    "10.0.0.0/8/8",
    "",
  ])("rejects %j", (input) => {
    expect(normalizeCidr(input)).toBeUndefined();
    expect(firstError(CidrSchema, input)).toContain("is not an IPv4/IPv6 address or CIDR");
  });

  it("matches addresses by network, mapping IPv4-mapped IPv6 addresses", () => {
    expect(cidrContains("192.168.1.1/24", "192.168.1.200")).toBe(true);
    expect(cidrContains("192.168.1.0/24", "192.168.2.1")).toBe(false);
    expect(cidrContains("2001:db8::/32", "2001:db8:ffff::1")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "::ffff:10.1.2.3")).toBe(true);
    expect(cidrContains("10.0.0.0/8", "2001:db8::1")).toBe(false);
  });

  const ipv4Cidr = fc
    .tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 }))
    .map(([address, prefix]) => ({ address, cidr: `${address}/${prefix}` }));
  const ipv6Cidr = fc
    .tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 }))
    .map(([address, prefix]) => ({ address, cidr: `${address}/${prefix}` }));

  it("normalizeCidr is idempotent and keeps the address inside its network (property)", () => {
    fc.assert(
      fc.property(fc.oneof(ipv4Cidr, ipv6Cidr), ({ address, cidr }) => {
        const network = normalizeCidr(cidr);
        expect(network).toBeDefined();
        expect(normalizeCidr(network!)).toBe(network);
        expect(cidrContains(network!, address)).toBe(true);
      }),
    );
  });
});

describe("referrers", () => {
  it.each([
    ["example.com", "example.com"],
    ["*.example.org", "*.example.org"],
    ["App.Example.COM.", "app.example.com"],
    ["localhost:3000", "localhost:3000"],
  ])("accepts %j as %j", (input, normalized) => {
    expect(normalizeReferrer(input)).toBe(normalized);
    expect(ReferrerSchema.safeParse(input).success).toBe(true);
  });

  it.each([
    "*",
    "http://x",
    "https://example.com/path",
    "a..b",
    "*.",
    "*example.com",
    "a.*.com",
    "ex ample.com",
    "",
  ])("rejects %j", (input) => {
    expect(normalizeReferrer(input)).toBeUndefined();
    expect(firstError(ReferrerSchema, input)).toContain("is not a referrer pattern");
  });
});

describe("restrictions", () => {
  const timeRestrictions = (value: object) => RestrictionsSchema.safeParse({ timeRestrictions: value });

  it.each(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])(
    "accepts the time zone %j",
    (zone) => {
      expect(timeRestrictions({ timezone: zone }).success).toBe(true);
    },
  );

  it.each(["Mars/Olympus_Mons", "", "GMT+25", "Europe/Berlinn"])("rejects the time zone %j", (zone) => {
    expect(timeRestrictions({ timezone: zone }).error?.issues[0].message).toContain(
      "is not an IANA time zone",
    );
  });

  it("accepts hours 0 to 23 and rejects anything else", () => {
    expect(timeRestrictions({ hoursOfDay: Array.from({ length: 24 }, (_, h) => h) }).success).toBe(true);
    expect(timeRestrictions({ hoursOfDay: [24] }).error?.issues[0].message).toBe(
      "hour 24 is out of range: must be from 0 to 23",
    );
    expect(timeRestrictions({ hoursOfDay: [-1] }).error?.issues[0].message).toContain("out of range");
    expect(timeRestrictions({ hoursOfDay: [9.5] }).error?.issues[0].message).toBe(
      "must be a whole hour from 0 to 23",
    );
  });

  it("accepts the seven weekdays in lower case only", () => {
    expect(timeRestrictions({ daysOfWeek: [...DAYS_OF_WEEK] }).success).toBe(true);
    for (const day of ["Monday", "funday", "mon"]) {
      const message = timeRestrictions({ daysOfWeek: [day] }).error?.issues[0].message;
      expect(message).toBe(`"${day}" is not a weekday: must be one of ${DAYS_OF_WEEK.join(", ")}`);
    }
  });

  it("accepts the four rate-limit periods and at least one request", () => {
    for (const period of RATE_LIMIT_PERIODS) {
      expect(RestrictionsSchema.safeParse({ rateLimit: { requests: 1, period } }).success).toBe(true);
    }
    const week = RestrictionsSchema.safeParse({ rateLimit: { requests: 10, period: "week" } });
    expect(week.error?.issues[0].message).toBe(
      '"week" is not a rate-limit period: must be one of second, minute, hour, day',
    );
    const zero = RestrictionsSchema.safeParse({ rateLimit: { requests: 0, period: "hour" } });
    expect(zero.error?.issues[0]).toMatchObject({ path: ["rateLimit", "requests"] });
  });

  it("is strict in requests and tolerant in responses", () => {
    const withExtra = { rateLimit: { requests: 5, period: "second", burst: 10 }, geo: ["DE"] };
    expect(RestrictionsSchema.safeParse(withExtra).success).toBe(false);
    expect(RestrictionsRecordSchema.safeParse(withExtra).success).toBe(true);
    expect(ApiKeySchema.safeParse({ ...apiKeyRecord(), restrictions: withExtra, newField: 1 }).success).toBe(
      true,
    );
  });
});

describe("timestamps", () => {
  it.each([
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00+02:00",
    "2026-01-01T00:00:00.123Z",
    "2028-02-29T12:00:00Z",
  ])("accepts %j", (value) => expect(TimestampSchema.safeParse(value).success).toBe(true));

  it.each(["2026-01-01", "2026-01-01T00:00:00", "2026-01-01 00:00:00Z", "2026-02-30T00:00:00Z", "yesterday"])(
    "rejects %j with an example of the expected form",
    (value) => expect(firstError(TimestampSchema, value)).toContain("expected e.g. 2026-01-31T00:00:00Z"),
  );
});

describe("durations", () => {
  it("parses every unit", () => {
    expect(parseDuration("45s")).toBe(45_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("12h")).toBe(43_200_000);
    expect(parseDuration("90d")).toBe(90 * 86_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
  });

  it.each(["0d", "1.5h", "10", "h", "-1d", "1y", "7 d", ""])("rejects %j", (value) => {
    expect(firstError(DurationSchema, value)).toContain("is not a duration");
  });

  it("parses any positive count of any unit (property)", () => {
    const units = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(...Object.keys(units)),
        (count, unit) => {
          expect(parseDuration(`${count}${unit}`)).toBe(count * units[unit as keyof typeof units]);
          expect(DurationSchema.safeParse(`${count}${unit}`).success).toBe(true);
        },
      ),
    );
  });
});
