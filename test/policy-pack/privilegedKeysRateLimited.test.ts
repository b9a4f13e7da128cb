import { privilegedKeysRateLimited } from "../../policy-pack/policies";
import {
  UNKNOWN,
  compliantKey,
  keyEntry,
  keyUrn,
  keyWith,
  restrictionsEntry,
  restrictionsWith,
  validateStack,
} from "./helpers";

const withRateLimit = (rateLimit: unknown) =>
  keyWith((key) => ((key.restrictions as Record<string, unknown>).rateLimit = rateLimit));
const check = (props: Record<string, unknown>, config: Record<string, unknown> = {}) =>
  validateStack(privilegedKeysRateLimited, [keyEntry("storefront-caller", props)], config);

describe("privileged-keys-rate-limited", () => {
  test("accepts an execute key limited to 600 per minute", async () => {
    expect(await check(compliantKey())).toEqual([]);
  });

  test("accepts exactly the maximum, and an equivalent rate in another period", async () => {
    expect(await check(withRateLimit({ requests: 1000, period: "minute" }))).toEqual([]);
    expect(await check(withRateLimit({ requests: 60000, period: "hour" }))).toEqual([]);
  });

  test("rejects an execute key without a rate limit", async () => {
    expect(await check(withRateLimit(undefined))).toEqual([
      {
        message:
          'API key "storefront-caller" has scopes functions:execute and must be rate limited to at most 1000 requests per minute; restrictions.rateLimit is not set.',
        urn: keyUrn("storefront-caller"),
      },
    ]);
  });

  test("rejects a key without any restrictions", async () => {
    expect(await check(keyWith((key) => delete key.restrictions))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("; no restrictions are set.") }),
    ]);
  });

  test("normalizes periods: 100 per second is 6000 per minute", async () => {
    expect(await check(withRateLimit({ requests: 100, period: "second" }))).toEqual([
      expect.objectContaining({
        message:
          'API key "storefront-caller" has scopes functions:execute and must be rate limited to at most 1000 requests per minute; restrictions.rateLimit is 100 per second (6000 per minute).',
      }),
    ]);
  });

  test("maxRequests and period change the limit", async () => {
    const props = withRateLimit({ requests: 100, period: "second" });
    expect(await check(props, { maxRequests: 500000, period: "hour" })).toEqual([]);
    expect(await check(compliantKey(), { maxRequests: 10, period: "second" })).toEqual([]);
    expect(await check(compliantKey(), { maxRequests: 100 })).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("restrictions.rateLimit is 600 per minute."),
      }),
    ]);
  });

  test("accepts read-only and trigger-only keys without a rate limit by default; actions widens it", async () => {
    const reader = keyWith((key) => {
      delete key.restrictions;
      key.scopes = ["functions:read", "events:trigger"];
    });
    expect(await check(reader)).toEqual([]);
    expect(await check(reader, { actions: ["write", "execute", "trigger"] })).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("has scopes events:trigger and must be rate limited"),
      }),
    ]);
  });

  test("checks the limit set by an ApiKeyRestrictions for the key", async () => {
    const key = keyWith((props) => delete props.restrictions);
    const restrictions = restrictionsWith((props) => (props.rateLimit = { requests: 20, period: "second" }));
    expect(
      await validateStack(privilegedKeysRateLimited, [
        keyEntry("ingest", key),
        restrictionsEntry("ingest-network", restrictions, "ingest"),
      ]),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'rateLimit of ApiKeyRestrictions "ingest-network" is 20 per second (1200 per minute)',
        ),
      }),
    ]);
  });

  test("skips unknown rate limits by default; fails with onUnknown fail", async () => {
    const props = withRateLimit({ requests: UNKNOWN, period: "minute" });
    expect(await check(props)).toEqual([]);
    expect(await check(props, { onUnknown: "fail" })).toEqual([
      expect.objectContaining({
        message: expect.stringContaining("must have restrictions.rateLimit known at preview"),
      }),
    ]);
  });
});
