/** Type tokens of the resources this pack checks (dynamic resources: match on `args.type`). */
export const API_KEY_TYPE = "pulumi-nodejs:dynamic/admindo:ApiKey";
export const API_KEY_RESTRICTIONS_TYPE = "pulumi-nodejs:dynamic/admindo:ApiKeyRestrictions";

/** A resource's properties as plain data: objects, arrays, scalars and {@link UNKNOWN} markers. */
export type Props = Record<string, unknown>;
