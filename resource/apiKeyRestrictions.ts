import { z } from "zod";
import { defineResource, programSchema, property, type ValuesOf } from "./define";
import { RESTRICTION_PROPERTIES } from "./restrictions";

const keyId = {
  /** The id of the key whose restrictions this resource owns (e.g. `apiKey.keyId`); changing it replaces the resource. */
  keyId: property(z.string().min(1, { error: "must name the key whose restrictions this resource owns" }), {
    replaceOnChange: true,
  }),
};

/** The restrictions of one key managed elsewhere; deleting the resource clears them. */
export const API_KEY_RESTRICTIONS = defineResource({
  module: "admindo",
  name: "ApiKeyRestrictions",
  inputs: {
    ...RESTRICTION_PROPERTIES,
    ...keyId,
    /** Take over a key that already has restrictions instead of failing. Default: false. */
    overwrite: property(z.boolean().optional()),
  },
  outputs: { ...keyId, ...RESTRICTION_PROPERTIES },
});

/** Why an ApiKeyRestrictions is replaced: its key changed (the input marked replaceOnChange). */
export const API_KEY_RESTRICTIONS_REPLACE_REASONS = ["keyId"] as const;

export type ApiKeyRestrictionsReplaceReason = (typeof API_KEY_RESTRICTIONS_REPLACE_REASONS)[number];

/** The inputs `check` validates: the restriction fields in their wire order, then keyId and overwrite. */
export const ApiKeyRestrictionsInputsSchema = programSchema(API_KEY_RESTRICTIONS.inputs);

/** Checked inputs; state holds the same. */
export type ApiKeyRestrictionsInputs = ValuesOf<typeof API_KEY_RESTRICTIONS.inputs>;
