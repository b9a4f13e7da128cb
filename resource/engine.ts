/**
 * How the Pulumi engine encodes the values a program cannot see yet: a value not known until the
 * update (an output of a resource still to be created) and a secret. Defined once here; each
 * consumer derives its own view: the provider compares with UNKNOWN (provider/unknowns.ts), the
 * policy pack turns every sentinel into a symbol (policy-pack/lib/unknowns.ts), and the review
 * treats both as opaque (review/input/values.ts).
 */

/**
 * A value not known during preview, as dynamic providers receive it in `check` and `diff` and as
 * `pulumi preview --json` prints it.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The same marker as @pulumi/policy passes it to policies, one per kind of value (string, boolean,
 * number, array, asset, archive, object); the string one is UNKNOWN. (@pulumi/policy's own
 * constants are internal.)
 */
export const UNKNOWN_SENTINELS: readonly string[] = [
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** The key that marks a secret value in the engine's JSON (state files, some tools' output). */
export const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";
