import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** What a rule does with a value that is not known during preview. */
export type OnUnknown = "fail" | "skip";

/** The `onUnknown` entry of a policy's configSchema, with the rule's default. */
export function onUnknownSchema(defaultValue: OnUnknown): PolicyConfigJSONSchema {
  return {
    type: "string",
    enum: ["fail", "skip"],
    default: defaultValue,
    description:
      'A value not known during preview: "fail" reports a violation (fail closed), "skip" leaves the check to `pulumi up`, where policies run again with the value known.',
  };
}

export function stringArraySchema(description: string, defaultValue?: string[]): PolicyConfigJSONSchema {
  return {
    type: "array",
    items: { type: "string" },
    description,
    ...(defaultValue !== undefined && { default: defaultValue }),
  };
}

/** `{ [name]: string[] }`, e.g. approvals per key or allow-lists per organization. */
export function stringArrayMapSchema(description: string): PolicyConfigJSONSchema {
  return {
    type: "object",
    additionalProperties: { type: "array", items: { type: "string" } },
    description,
    default: {},
  };
}

interface HasConfig {
  getConfig<T extends object>(): T;
}

/**
 * The policy's config over its defaults. The CLI fills in configSchema defaults itself; merging
 * here as well keeps unit tests (and any engine that does not) on the documented defaults.
 */
export function readConfig<T extends object>(args: HasConfig, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && key !== "enforcementLevel") (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
