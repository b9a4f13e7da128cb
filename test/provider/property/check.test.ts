import fc from "fast-check";
import { check as checkApiKey } from "../../../provider/apiKey";
import { check as checkRestrictions } from "../../../provider/apiKeyRestrictions";
import { API_KEY, API_KEY_RESTRICTIONS } from "../../../resource";
import {
  anyValue,
  keySpec,
  mutated,
  restrictionsSpec,
  spelling,
  spellKey,
  spellRestrictions,
} from "./arbitraries";

/**
 * `check` runs on every preview with whatever the program passes, unknown values included. It
 * must never throw: every problem is a failure naming a property and a reason. Valid inputs pass
 * without failures, and the inputs it returns are already canonical (checking them again changes
 * nothing).
 */

/** Every input of each resource in the model, the provider's own `rotation` included. */
const API_KEY_FIELDS = Object.keys(API_KEY.inputs);
const RESTRICTIONS_FIELDS = Object.keys(API_KEY_RESTRICTIONS.inputs);

const validKey = fc
  .tuple(keySpec, spelling)
  .map(([spec, how]) => spellKey(spec, how, Date.now()) as unknown as Record<string, unknown>);
const validRestrictions = fc
  .tuple(restrictionsSpec, spelling, fc.string({ minLength: 1, maxLength: 24 }), fc.option(fc.boolean()))
  .map(([spec, how, keyId, overwrite]) => ({
    keyId,
    ...(overwrite !== null && { overwrite }),
    ...spellRestrictions(spec, how),
  }));

/** Anything the engine could send: random objects, and valid inputs with fields broken at random. */
function anyInputs(valid: fc.Arbitrary<Record<string, unknown>>, fields: string[]) {
  return fc.oneof(
    fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom(...fields), anyValue),
    mutated(valid, fields),
  );
}

function expectWellFormed(result: { inputs?: unknown; failures?: unknown[] }) {
  expect(typeof result.inputs).toBe("object");
  for (const failure of result.failures ?? []) {
    expect(Object.keys(failure as object).sort()).toEqual(["property", "reason"]);
    const { property, reason } = failure as { property: unknown; reason: unknown };
    expect(typeof property === "string" && property.length > 0).toBe(true);
    expect(typeof reason === "string" && reason.length > 0).toBe(true);
  }
}

describe("ApiKey check", () => {
  test("never throws on any input; only returns failures with a property and a reason", async () => {
    await fc.assert(
      fc.asyncProperty(anyValue, anyInputs(validKey, API_KEY_FIELDS), async (olds, news) => {
        const oldInputs = typeof olds === "object" && olds !== null && !Array.isArray(olds) ? olds : {};
        expectWellFormed(await checkApiKey(oldInputs as Record<string, unknown>, news));
      }),
      { numRuns: 300 },
    );
  });

  test("passes every valid input, and returns inputs that check again unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(validKey, async (news) => {
        const first = await checkApiKey({}, news);
        expect(first.failures).toBeUndefined();
        // As the next run checks them: its old inputs are these (and keep their rotation marker).
        const inputs = first.inputs as Record<string, unknown>;
        const second = await checkApiKey(inputs, inputs);
        expect(second).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  test("a key rotated in place always carries a rotation marker; a key replaced on rotation never does", async () => {
    await fc.assert(
      fc.asyncProperty(validKey, async (news) => {
        const inputs = (await checkApiKey({}, news)).inputs as Record<string, unknown>;
        if (news.rotationOverlap === undefined) expect(inputs).not.toHaveProperty("rotation");
        else expect(inputs.rotation).toMatchObject({ reason: "created", at: expect.any(String) });
      }),
      { numRuns: 200 },
    );
  });
});

describe("ApiKeyRestrictions check", () => {
  test("never throws on any input; only returns failures with a property and a reason", async () => {
    await fc.assert(
      fc.asyncProperty(anyInputs(validRestrictions, RESTRICTIONS_FIELDS), async (news) => {
        expectWellFormed(await checkRestrictions({}, news));
      }),
      { numRuns: 300 },
    );
  });

  test("passes every valid input, and returns inputs that check again unchanged", async () => {
    await fc.assert(
      fc.asyncProperty(validRestrictions, async (news) => {
        const first = await checkRestrictions({}, news);
        expect(first.failures).toBeUndefined();
        const second = await checkRestrictions({}, first.inputs as Record<string, unknown>);
        expect(second).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });
});
