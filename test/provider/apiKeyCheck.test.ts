import { check } from "../../provider/apiKey";
import { UNKNOWN } from "../../resource";

const valid = {
  name: "svc",
  organization: "acme",
  scopes: ["functions:read"],
  __provider: "exports.handler = ...",
};

async function failuresOf(news: Record<string, unknown>) {
  return (await check({}, { ...valid, ...news })).failures ?? [];
}

describe("ApiKey check", () => {
  test("accepts valid inputs and returns them normalized, without engine-internal keys", async () => {
    const result = await check(
      {},
      { ...valid, scopes: ["functions:read", "data:read", "functions:read"], projects: ["b", "a"] },
    );
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({
      name: "svc",
      organization: "acme",
      scopes: ["data:read", "functions:read"],
      projects: ["a", "b"],
    });
  });

  test.each([
    [
      "an unknown scope",
      { scopes: ["functions:read", "functions:*"] },
      "scopes[1]",
      /unknown scope "functions:\*": must be one of functions:read/,
    ],
    ["empty scopes", { scopes: [] }, "scopes", /at least one scope/],
    [
      "a malformed CIDR",
      { restrictions: { ipAddresses: ["10.0.0.0/33"] } },
      "restrictions.ipAddresses[0]",
      /not an IPv4\/IPv6 address or CIDR/,
    ],
    [
      "a bad referrer pattern",
      { restrictions: { referrers: ["https://*"] } },
      "restrictions.referrers[0]",
      /not a referrer pattern/,
    ],
    [
      "an unknown time zone",
      { restrictions: { timeRestrictions: { timezone: "Mars/Olympus" } } },
      "restrictions.timeRestrictions.timezone",
      /not an IANA time zone/,
    ],
    [
      "an hour out of range",
      { restrictions: { timeRestrictions: { hoursOfDay: [9, 24] } } },
      "restrictions.timeRestrictions.hoursOfDay[1]",
      /hour 24 is out of range: must be from 0 to 23/,
    ],
    [
      "an unknown weekday",
      { restrictions: { timeRestrictions: { daysOfWeek: ["funday"] } } },
      "restrictions.timeRestrictions.daysOfWeek[0]",
      /not a weekday/,
    ],
    [
      "a bad rate-limit period",
      { restrictions: { rateLimit: { requests: 5, period: "fortnight" } } },
      "restrictions.rateLimit.period",
      /not a rate-limit period/,
    ],
    ["an expiry in the past", { expiresAt: "2020-01-01T00:00:00Z" }, "expiresAt", /is in the past/],
    [
      "both expiresAt and expiresIn",
      { expiresAt: "2099-01-01T00:00:00Z", expiresIn: "30d" },
      "expiresIn",
      /either expiresAt .* or expiresIn .*, not both/,
    ],
    ["a malformed duration", { expiresIn: "90 days" }, "expiresIn", /not a duration/],
    ["rotation without a lifetime", { rotateBeforeExpiry: "7d" }, "rotateBeforeExpiry", /needs expiresIn/],
    [
      "rotation as long as the lifetime",
      { expiresIn: "7d", rotateBeforeExpiry: "7d" },
      "rotateBeforeExpiry",
      /must be shorter than expiresIn/,
    ],
    ["a misspelt input", { scope: ["functions:read"] }, "(inputs)", /unknown input scope/],
    [
      "a malformed overlap",
      { rotationPeriod: "30d", rotationOverlap: "a day" },
      "rotationOverlap",
      /not a duration/,
    ],
    [
      "an overlap with nothing to overlap",
      { expiresIn: "30d", rotationOverlap: "1h" },
      "rotationOverlap",
      /needs a rotation to overlap: set rotationPeriod, rotateBeforeExpiry \(with expiresIn\) or rotationTriggers/,
    ],
    [
      "an overlap as long as the rotation lead time",
      { expiresIn: "90d", rotateBeforeExpiry: "7d", rotationOverlap: "7d" },
      "rotationOverlap",
      /must be shorter than rotateBeforeExpiry \(7d\): the previous secret must stop working before the expiry it was issued with/,
    ],
    [
      "an overlap as long as the rotation period",
      { rotationPeriod: "1d", rotationOverlap: "24h" },
      "rotationOverlap",
      /must be shorter than rotationPeriod \(1d\): .*two overlaps would stack/,
    ],
    [
      "an overlap longer than the time between rotations",
      { expiresIn: "30d", rotateBeforeExpiry: "20d", rotationOverlap: "12d" },
      "rotationOverlap",
      /must be shorter than the time between rotations, expiresIn - rotateBeforeExpiry \(30d - 20d = 10d\)/,
    ],
    [
      "an overlap as long as the lifetime",
      { expiresIn: "2h", rotationTriggers: { v: 1 }, rotationOverlap: "120m" },
      "rotationOverlap",
      /must be shorter than expiresIn \(2h\): the previous secret must not outlive the key's own lifetime/,
    ],
  ])("rejects %s, naming the field and the rule", async (_case, news, property, reason) => {
    const failures = await failuresOf(news);
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  test("reports every problem of a key in one check, field errors and overlap rules together", async () => {
    const failures = await failuresOf({
      scopes: ["functions:*"],
      expiresIn: "30d",
      rotateBeforeExpiry: "7d",
      rotationPeriod: "7d",
      rotationOverlap: "7d",
    });
    expect(failures.map((failure) => failure.property)).toEqual([
      "scopes[0]",
      "rotationOverlap",
      "rotationOverlap",
    ]);
    expect(failures[1].reason).toMatch(/shorter than rotateBeforeExpiry/);
    expect(failures[2].reason).toMatch(/shorter than rotationPeriod/);
  });

  test("accepts an overlap shorter than every bound, and never judges one against unknown settings", async () => {
    expect(
      await failuresOf({
        expiresIn: "90d",
        rotateBeforeExpiry: "14d",
        rotationPeriod: "30d",
        rotationOverlap: "24h",
      }),
    ).toEqual([]);
    expect(await failuresOf({ rotationTriggers: UNKNOWN, rotationOverlap: "24h" })).toEqual([]);
    expect(await failuresOf({ expiresIn: UNKNOWN, rotateBeforeExpiry: "7d", rotationOverlap: "1d" })).toEqual(
      [],
    );
  });

  test("does not judge values that are unknown during preview", async () => {
    const result = await check({}, { ...valid, scopes: ["functions:read", UNKNOWN], organization: UNKNOWN });
    expect(result.failures).toBeUndefined();
  });

  test("still judges the known values next to unknown ones", async () => {
    const failures = await failuresOf({ organization: UNKNOWN, scopes: ["nope:read"] });
    expect(failures).toEqual([{ property: "scopes[0]", reason: expect.stringContaining("unknown scope") }]);
  });
});
