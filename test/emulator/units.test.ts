import { RateLimiter } from "../../emulator/enforcement/rateLimiter";
import {
  ipAllowed,
  localTime,
  referrerAllowed,
  withinTimeWindow,
} from "../../emulator/enforcement/restrictions";
import { IDEMPOTENCY_TTL_MS, lookupId, open, requestHash, seal } from "../../emulator/idempotency";
import { hashSecret, newSecret } from "../../emulator/secrets";

describe("localTime", () => {
  test.each([
    ["2026-03-02T10:00:00Z", "UTC", "monday", 10],
    ["2026-03-02T10:00:00Z", "Asia/Kolkata", "monday", 15],
    ["2026-03-02T02:00:00Z", "America/Los_Angeles", "sunday", 18],
    ["2026-03-08T10:30:00Z", "America/New_York", "sunday", 6], // first day of DST
    ["2026-03-01T23:00:00Z", "Pacific/Kiritimati", "monday", 13],
  ])("%s in %s is %s, hour %i", (instant, zone, day, hour) => {
    expect(localTime(new Date(instant), zone)).toEqual({ day, hour });
  });

  test("midnight is hour 0, not 24", () => {
    expect(localTime(new Date("2026-03-02T00:00:00Z"), "UTC").hour).toBe(0);
  });
});

describe("restriction checks", () => {
  test("empty lists restrict nothing", () => {
    expect(ipAllowed([], "192.0.2.1")).toBe(true);
    expect(referrerAllowed([], undefined)).toBe(true);
    expect(withinTimeWindow({ daysOfWeek: [], hoursOfDay: [] }, new Date())).toBe(true);
  });

  test("host bits in a CIDR are ignored", () => {
    expect(ipAllowed(["192.168.1.1/24"], "192.168.1.200")).toBe(true);
  });

  test("a referrer pattern with a port matches that port only", () => {
    expect(referrerAllowed(["localhost:3000"], "http://localhost:3000/app")).toBe(true);
    expect(referrerAllowed(["localhost:3000"], "http://localhost:4000/app")).toBe(false);
  });
});

describe("RateLimiter", () => {
  test("Retry-After is at least one second", () => {
    const limiter = new RateLimiter();
    const limit = { requests: 1, period: "second" as const };
    limiter.check("k", limit, 0);
    expect(limiter.check("k", limit, 999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  test("a lowered limit takes effect at once", () => {
    const limiter = new RateLimiter();
    for (let t = 0; t < 5; t++) limiter.check("k", { requests: 10, period: "minute" }, t);
    expect(limiter.check("k", { requests: 2, period: "minute" }, 10)).toMatchObject({ allowed: false });
  });
});

describe("idempotency crypto", () => {
  test("only the same Idempotency-Key and caller open a sealed response", () => {
    const aad = Buffer.concat([lookupId("idem", "key_a"), requestHash("POST", "/x", { a: 1 })]);
    const sealed = seal("idem", "key_a", aad, '{"key":"adk_secret"}');
    expect(sealed.ciphertext.toString("latin1")).not.toContain("adk_secret");
    expect(open("idem", "key_a", aad, sealed)).toBe('{"key":"adk_secret"}');
    expect(() => open("other", "key_a", aad, sealed)).toThrow();
    expect(() => open("idem", "key_b", aad, sealed)).toThrow();
  });

  test("lookup ids differ per caller and reveal nothing of the key", () => {
    expect(lookupId("idem", "key_a").equals(lookupId("idem", "key_b"))).toBe(false);
    expect(lookupId("idem", "key_a").toString("latin1")).not.toContain("idem");
    expect(IDEMPOTENCY_TTL_MS).toBe(86_400_000);
  });
});

describe("secrets", () => {
  test("hashes are equal only when the secrets are", () => {
    const secret = newSecret();
    expect(hashSecret(secret).equals(hashSecret(secret))).toBe(true);
    expect(hashSecret(secret).equals(hashSecret(newSecret()))).toBe(false);
  });
});
