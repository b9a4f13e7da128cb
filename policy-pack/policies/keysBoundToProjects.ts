import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { apiKeyOf, keyNames } from "../lib/resources";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface KeysBoundToProjectsConfig {
  /** Accept keys without projects everywhere. */
  allowOrganizationWideKeys: boolean;
  /** Keys (resource name or key name) that may be organization-wide. */
  organizationWideKeys: string[];
  onUnknown: OnUnknown;
}

export const keysBoundToProjectsDefaults: KeysBoundToProjectsConfig = {
  allowOrganizationWideKeys: false,
  organizationWideKeys: [],
  onUnknown: "skip",
};

/**
 * keys-bound-to-projects (advisory, severity medium): a key lists at least one project, so it
 * cannot reach every project of the organization; organization-wide keys are allowed only when
 * configured (for all keys, or by name).
 */
export const keysBoundToProjects: ResourceValidationPolicy = {
  name: "keys-bound-to-projects",
  description:
    "API keys should be limited to at least one project unless organization-wide keys are allowed.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      allowOrganizationWideKeys: {
        type: "boolean",
        default: false,
        description: "Accept keys that list no projects.",
      },
      organizationWideKeys: stringArraySchema(
        "Keys (resource name or key name) that may list no projects.",
        [],
      ),
      onUnknown: onUnknownSchema(keysBoundToProjectsDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, keysBoundToProjectsDefaults);
    if (config.allowOrganizationWideKeys) return;
    if (keyNames(key).some((name) => config.organizationWideKeys.includes(name))) return;
    const projects = stringList(key.props.projects);
    if (projects.items.length > 0) return;
    if (projects.unknown) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        "projects",
        "it names at least one project",
      );
      return;
    }
    reportViolation(
      `${key.subject} must be limited to at least one project: set projects (e.g. ["storefront"]); projects is ${projects.present ? "empty" : "not set"}.`,
    );
  },
};
