import fc from "fast-check";
import type { Scope } from "../../client/schemas";
import { SCOPES } from "../../client/schemas";
import { check as checkApiKey } from "../../provider/apiKey";
import { diffApiKey } from "../../provider/apiKeyDiff";
import type { ApiKeyInputs } from "../../provider/apiKeyInputs";
import type { ApiKeyOutputs } from "../../provider/apiKeyState";
import { check as checkRestrictions, diff as diffRestrictions } from "../../provider/apiKeyRestrictions";
import { expiryFor, rotationPoint } from "../../provider/rotation";
import { keySpec, restrictionsSpec, spelling, spellKey, spellRestrictions } from "./arbitraries";

/**
 * Set-equal inputs never produce a diff: state written from one spelling of a key (sets in any
 * order and with duplicates, CIDRs with other host bits of the same network, referrers in any
 * case) and a program holding another spelling give `changes: false`, both as the engine runs it
 * (state and news both went through `check`) and with neither side normalized.
 */

/** What state holds after creating a key from `inputs` at `createdAt`, as the provider writes it. */
function stateOf(inputs: ApiKeyInputs, createdAt: number): ApiKeyOutputs {
  const created = new Date(createdAt).toISOString();
  const expiresAt = expiryFor(inputs, created);
  const rotateAt = rotationPoint(inputs, created, expiresAt);
  return {
    ...inputs,
    keyId: "key_0123456789abcdefghij",
    key: "adk_0123456789abcdefghijklmnopqrstuv",
    prefix: "adk_012345",
    lastFour: "stuv",
    status: "active",
    createdAt: created,
    ...(expiresAt && { expiresAt }),
    ...(rotateAt && { rotateAt }),
  };
}

const NO_CHANGES = { changes: false, replaces: [], deleteBeforeReplace: false };

describe("ApiKey diff", () => {
  test("state from one spelling and a program holding another give no changes", async () => {
    await fc.assert(
      fc.asyncProperty(keySpec, spelling, spelling, async (spec, a, b) => {
        const now = Date.now();
        // As in a real run: state holds what create got (checked inputs), diff gets checked news.
        const oldInputs = await checkApiKey({}, spellKey(spec, a, now) as unknown as Record<string, unknown>);
        const newInputs = await checkApiKey({}, spellKey(spec, b, now) as unknown as Record<string, unknown>);
        const olds = stateOf(oldInputs.inputs as ApiKeyInputs, now - 1_000);
        expect(diffApiKey(olds, newInputs.inputs as ApiKeyInputs, new Date(now))).toEqual(NO_CHANGES);
        // Also when neither side was normalized (state written by a provider that did not normalize).
        const rawOlds = stateOf(spellKey(spec, a, now), now - 1_000);
        expect(diffApiKey(rawOlds, spellKey(spec, b, now), new Date(now))).toEqual(NO_CHANGES);
      }),
      { numRuns: 300 },
    );
  });

  test("control: a scope outside the set is a change (the property above is not vacuous)", () => {
    fc.assert(
      fc.property(keySpec, spelling, spelling, (spec, a, b) => {
        const missing = SCOPES.find((scope) => !spec.scopes.includes(scope));
        fc.pre(missing !== undefined);
        const now = Date.now();
        const olds = stateOf(spellKey(spec, a, now), now - 1_000);
        const news = spellKey({ ...spec, scopes: [...spec.scopes, missing as Scope] }, b, now);
        expect(diffApiKey(olds, news, new Date(now))).toMatchObject({ changes: true, replaces: [] });
      }),
      { numRuns: 100 },
    );
  });
});

describe("ApiKeyRestrictions diff", () => {
  test("olds from one spelling and news from another give no changes (news raw or checked)", async () => {
    await fc.assert(
      fc.asyncProperty(restrictionsSpec, spelling, spelling, async (spec, a, b) => {
        const keyId = "key_0123456789abcdefghij";
        const olds = { keyId, ...spellRestrictions(spec, a) };
        const raw = { keyId, ...spellRestrictions(spec, b) };
        expect(await diffRestrictions(keyId, olds, raw)).toMatchObject({ changes: false, replaces: [] });
        const checked = await checkRestrictions({}, raw);
        expect(await diffRestrictions(keyId, olds, checked.inputs as typeof raw)).toMatchObject({
          changes: false,
          replaces: [],
        });
      }),
      { numRuns: 300 },
    );
  });
});
