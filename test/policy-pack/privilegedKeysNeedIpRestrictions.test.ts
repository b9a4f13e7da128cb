import { privilegedKeysNeedIpRestrictions } from "../../policy-pack/policies";
import {
  UNKNOWN,
  compliantKey,
  compliantRestrictions,
  keyEntry,
  keyUrn,
  keyWith,
  restrictionsEntry,
  restrictionsWith,
  validateStack,
} from "./helpers";

const unrestricted = () => keyWith((key) => delete key.restrictions);
const check = (...entries: Parameters<typeof validateStack>[1]) =>
  validateStack(privilegedKeysNeedIpRestrictions, entries);

describe("privileged-keys-need-ip-restrictions", () => {
  test("accepts a privileged key with IP addresses in its own restrictions", async () => {
    expect(await check(keyEntry("caller", compliantKey()))).toEqual([]);
  });

  test("rejects a privileged key without restrictions, reported against the key", async () => {
    expect(await check(keyEntry("caller", unrestricted()))).toEqual([
      {
        message:
          'API key "storefront-caller" (resource "caller") has privileged scopes (functions:execute) and must be restricted to IP addresses, in restrictions.ipAddresses or in an ApiKeyRestrictions resource for this key; no restrictions are set.',
        urn: keyUrn("caller"),
      },
    ]);
  });

  test("rejects restrictions without IP addresses", async () => {
    const props = keyWith((key) => delete (key.restrictions as Record<string, unknown>).ipAddresses);
    expect(await check(keyEntry("storefront-caller", props))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("; restrictions.ipAddresses is not set.") }),
    ]);
  });

  test("accepts a read-only key without restrictions", async () => {
    const props = keyWith((key) => {
      delete key.restrictions;
      key.scopes = ["functions:read", "data:read"];
    });
    expect(await check(keyEntry("reader", props))).toEqual([]);
  });

  test("accepts IP addresses from an ApiKeyRestrictions that depends on the key's keyId (preview: keyId unknown)", async () => {
    const key = keyWith((props) => {
      delete props.restrictions;
      props.keyId = UNKNOWN;
    });
    const restrictions = restrictionsWith((props) => (props.keyId = UNKNOWN));
    expect(
      await check(keyEntry("ingest", key), restrictionsEntry("ingest-network", restrictions, "ingest")),
    ).toEqual([]);
  });

  test("accepts IP addresses from an ApiKeyRestrictions with the key's keyId (after up)", async () => {
    const key = keyWith((props) => {
      delete props.restrictions;
      props.keyId = "key_123";
      props.key = "sk_live_secret";
    });
    expect(
      await check(keyEntry("ingest", key), restrictionsEntry("ingest-network", compliantRestrictions())),
    ).toEqual([]);
  });

  test("rejects an ApiKeyRestrictions for the key that sets no IP addresses, naming it", async () => {
    const key = keyWith((props) => delete props.restrictions);
    const restrictions = restrictionsWith((props) => delete props.ipAddresses);
    expect(
      await check(keyEntry("ingest", key), restrictionsEntry("ingest-limits", restrictions, "ingest")),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('; ipAddresses of ApiKeyRestrictions "ingest-limits" is not set.'),
        urn: keyUrn("ingest"),
      }),
    ]);
  });

  test("requires IP addresses of every place that sets the key's restrictions: each replaces the whole set", async () => {
    const restrictions = restrictionsWith((props) => (props.ipAddresses = []));
    expect(
      await check(
        keyEntry("storefront-caller", compliantKey()),
        restrictionsEntry("limits", restrictions, "storefront-caller"),
      ),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('; ipAddresses of ApiKeyRestrictions "limits" is empty.'),
      }),
    ]);
  });

  test("ignores ApiKeyRestrictions that target another key", async () => {
    const key = keyWith((props) => {
      delete props.restrictions;
      props.keyId = "key_999";
    });
    expect(
      await check(keyEntry("ingest", key), restrictionsEntry("other-network", compliantRestrictions())),
    ).toHaveLength(1);
  });

  test("externallyRestrictedKeys exempts keys restricted from another stack", async () => {
    const config = { externallyRestrictedKeys: ["storefront-caller"] };
    expect(
      await validateStack(privilegedKeysNeedIpRestrictions, [keyEntry("caller", unrestricted())], config),
    ).toEqual([]);
  });

  test("fails closed on unknown IP addresses by default; skip defers them", async () => {
    const key = keyWith((props) => delete props.restrictions);
    const restrictions = restrictionsWith((props) => (props.ipAddresses = UNKNOWN));
    const entries = [keyEntry("ingest", key), restrictionsEntry("ingest-network", restrictions, "ingest")];
    expect(await validateStack(privilegedKeysNeedIpRestrictions, entries)).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'must have ipAddresses of ApiKeyRestrictions "ingest-network" known at preview so that this policy can check that the privileged key is restricted to IP addresses',
        ),
      }),
    ]);
    expect(await validateStack(privilegedKeysNeedIpRestrictions, entries, { onUnknown: "skip" })).toEqual([]);
  });

  test("fails closed on unknown scopes of a key without IP restrictions", async () => {
    const key = keyWith((props) => {
      delete props.restrictions;
      props.scopes = UNKNOWN;
    });
    expect(await check(keyEntry("mystery", key))).toEqual([
      expect.objectContaining({ message: expect.stringContaining("must have scopes known at preview") }),
    ]);
    expect(
      await validateStack(privilegedKeysNeedIpRestrictions, [keyEntry("mystery", key)], {
        onUnknown: "skip",
      }),
    ).toEqual([]);
  });

  test("never prints the key's secret, which stack policies see in plaintext", async () => {
    const key = keyWith((props) => {
      delete props.restrictions;
      props.key = "sk_live_0123456789abcdef";
    });
    const [violation] = await check(keyEntry("caller", key));
    expect(violation.message).not.toContain("sk_live");
  });
});
