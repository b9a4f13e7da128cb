import fc from "fast-check";
import type { Scope } from "../../../client/schemas";
import { SCOPES } from "../../../client/schemas";
import { check as checkApiKey } from "../../../provider/apiKey";
import { diffApiKey, scheduleStart } from "../../../provider/apiKeyDiff";
import { check as checkRestrictions, diff as diffRestrictions } from "../../../provider/apiKeyRestrictions";
import { expiryFor, rotationPoint } from "../../../provider/rotation";
import { keySpec, restrictionsSpec, spelling, spellKey, spellRestrictions } from "./arbitraries";
import { type ApiKeyInputs, type ApiKeyState } from "../../../resource";

/**
 * Set-equal inputs never produce a diff: state written from one spelling of a key (sets in any
 * order and with duplicates, CIDRs with other host bits of the same network, referrers in any
 * case) and a program holding another spelling give `changes: false`, both as the engine runs it
 * (state and news both went through `check`) and with neither side normalized.
 */

/** What state holds after creating a key from `inputs` at `createdAt`, as the provider writes it. */
function stateOf(inputs: ApiKeyInputs, createdAt: number): ApiKeyState {
  const created = new Date(createdAt).toISOString();
  // A key rotated in place counts its lifetime from the rotation marker check wrote.
  const start = scheduleStart({ createdAt: created }, inputs);
  const expiresAt = expiryFor(inputs, start);
  const rotateAt = rotationPoint(inputs, start, expiresAt);
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
        // As in a real run: state holds what create got (checked inputs), diff gets news checked
        // against those inputs (which is how a key rotated in place keeps its rotation marker).
        const oldInputs = await checkApiKey({}, spellKey(spec, a, now) as unknown as Record<string, unknown>);
        const newInputs = await checkApiKey(
          oldInputs.inputs as Record<string, unknown>,
          spellKey(spec, b, now) as unknown as Record<string, unknown>,
        );
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

describe("ApiKey diff of a key rotated in place", () => {
  test("past its rotation point check writes a new marker and diff plans an update, never a replacement", async () => {
    await fc.assert(
      fc.asyncProperty(keySpec, spelling, async (spec, how) => {
        fc.pre(spec.rotationOverlap !== undefined);
        const now = Date.now();
        const created = await checkApiKey({}, spellKey(spec, how, now) as unknown as Record<string, unknown>);
        const olds = stateOf(created.inputs as ApiKeyInputs, now);
        // A rotation point after the expiry never comes: the expired key is replaced instead.
        fc.pre(olds.rotateAt !== undefined && (!olds.expiresAt || olds.rotateAt < olds.expiresAt));
        const later = new Date(Date.parse(olds.rotateAt!) + 1);
        const news = (await checkApiKey(created.inputs as Record<string, unknown>, {
          ...(spellKey(spec, how, now) as unknown as Record<string, unknown>),
        })) as { inputs: ApiKeyInputs };
        // check ran before the rotation point: nothing due. Checked again after it: a new marker.
        expect(news.inputs.rotation).toEqual(olds.rotation);
        jest.useFakeTimers({ now: later, doNotFake: ["nextTick", "setImmediate"] });
        try {
          const due = (await checkApiKey(created.inputs as Record<string, unknown>, {
            ...(spellKey(spec, how, now) as unknown as Record<string, unknown>),
          })) as { inputs: ApiKeyInputs };
          expect(due.inputs.rotation).toEqual({ reason: expect.any(String), at: later.toISOString() });
          expect(diffApiKey(olds, due.inputs, later)).toEqual({
            changes: undefined,
            replaces: [],
            deleteBeforeReplace: false,
          });
        } finally {
          jest.useRealTimers();
        }
      }),
      { numRuns: 150 },
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
