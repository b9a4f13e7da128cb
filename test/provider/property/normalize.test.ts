import fc from "fast-check";
import { DAYS_OF_WEEK, RATE_LIMIT_PERIODS, type Restrictions } from "../../../client/schemas";
import { normalizeApiKeyInputs } from "../../../provider/apiKeyCheck";
import { normalizeRestrictions } from "../../../provider/normalize";
import { keySpec, restrictionsSpec, spelling, spellKey, spellRestrictions } from "./arbitraries";
import { ApiKeyInputsSchema, type ApiKeyInputs } from "../../../resource";

/**
 * Normalization is what keeps diffs quiet: it must be idempotent (normalizing twice is normalizing
 * once), and every spelling of the same key must normalize to the same value.
 */

const NOW = Date.now();
const parsedKey = (inputs: ApiKeyInputs) => ApiKeyInputsSchema.parse(inputs);

/** Restrictions-shaped values with any strings in the lists, valid or not (normalize must not care). */
const rawRestrictions: fc.Arbitrary<Restrictions> = fc.record(
  {
    ipAddresses: fc.array(fc.oneof(fc.string(), fc.ipV4(), fc.ipV6())),
    referrers: fc.array(fc.oneof(fc.string(), fc.domain())),
    rateLimit: fc.record({ requests: fc.integer(), period: fc.constantFrom(...RATE_LIMIT_PERIODS) }),
    timeRestrictions: fc.record(
      {
        daysOfWeek: fc.array(fc.constantFrom(...DAYS_OF_WEEK)),
        hoursOfDay: fc.array(fc.integer({ min: -5, max: 30 })),
        timezone: fc.string(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

describe("normalizeApiKeyInputs", () => {
  test("is idempotent", () => {
    fc.assert(
      fc.property(keySpec, spelling, (spec, how) => {
        const once = normalizeApiKeyInputs(parsedKey(spellKey(spec, how, NOW)));
        expect(normalizeApiKeyInputs(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  test("maps every spelling of a key to the same value", () => {
    fc.assert(
      fc.property(keySpec, spelling, spelling, (spec, a, b) => {
        expect(normalizeApiKeyInputs(parsedKey(spellKey(spec, a, NOW)))).toEqual(
          normalizeApiKeyInputs(parsedKey(spellKey(spec, b, NOW))),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("normalizeRestrictions", () => {
  test("is idempotent on valid restrictions", () => {
    fc.assert(
      fc.property(restrictionsSpec, spelling, (spec, how) => {
        const once = normalizeRestrictions(spellRestrictions(spec, how));
        expect(normalizeRestrictions(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  test("is idempotent on anything restrictions-shaped, invalid entries included", () => {
    fc.assert(
      fc.property(rawRestrictions, (raw) => {
        const once = normalizeRestrictions(raw);
        expect(normalizeRestrictions(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  test("maps every spelling of the same restrictions to the same value", () => {
    fc.assert(
      fc.property(restrictionsSpec, spelling, spelling, (spec, a, b) => {
        expect(normalizeRestrictions(spellRestrictions(spec, a))).toEqual(
          normalizeRestrictions(spellRestrictions(spec, b)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
