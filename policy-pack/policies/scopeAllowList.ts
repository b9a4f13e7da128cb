import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  onUnknownSchema,
  readConfig,
  stringArrayMapSchema,
  stringArraySchema,
  type OnUnknown,
} from "../lib/config";
import { apiKeyOf, quote } from "../lib/resources";
import { matchesAny } from "../lib/scopes";
import { isUnknown, onUnknownValue, stringList } from "../lib/unknowns";

export interface ScopeAllowListConfig {
  /** Scopes (exact, "<service>:*" or "*") every key may use; unset means no allow-list. */
  allowedScopes?: string[];
  /** Allow-lists per organization (a team's keys live in its organization); wins over allowedScopes. */
  allowedScopesByOrganization: Record<string, string[]>;
  onUnknown: OnUnknown;
}

export const scopeAllowListDefaults: ScopeAllowListConfig = {
  allowedScopes: undefined,
  allowedScopesByOrganization: {},
  onUnknown: "fail",
};

/**
 * scope-allow-list (mandatory when configured, severity high): a team narrows the scopes its keys
 * may use. Does nothing until `allowedScopes` or `allowedScopesByOrganization` is configured;
 * give each team's pipeline its own config file, or key the lists by organization.
 */
export const scopeAllowList: ResourceValidationPolicy = {
  name: "scope-allow-list",
  description: "API keys may use only the scopes the policy config allows (no-op until configured).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      allowedScopes: stringArraySchema(
        'Scopes every key may use: exact ("functions:read") or per service ("functions:*"). Unset: no allow-list.',
      ),
      allowedScopesByOrganization: stringArrayMapSchema(
        "Allow-lists by the key's organization; an organization listed here ignores allowedScopes.",
      ),
      onUnknown: onUnknownSchema(scopeAllowListDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, scopeAllowListDefaults);
    const byOrganization = config.allowedScopesByOrganization;
    if (config.allowedScopes === undefined && Object.keys(byOrganization).length === 0) return;

    const organization = key.props.organization;
    if (isUnknown(organization) && Object.keys(byOrganization).length > 0) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        "organization",
        "its scopes are on the organization's allow-list",
      );
      return;
    }
    const organizationList =
      typeof organization === "string" && Object.hasOwn(byOrganization, organization)
        ? byOrganization[organization]
        : undefined;
    const allowed = organizationList ?? config.allowedScopes;
    if (allowed === undefined) return;
    const listName =
      organizationList !== undefined
        ? `the allow-list of organization ${quote(organization)}`
        : "the configured allow-list";

    const scopes = stringList(key.props.scopes);
    if (scopes.unknown) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        "scopes",
        `its scopes are on ${listName}`,
      );
    }
    for (const { index, value } of scopes.items) {
      if (!matchesAny(allowed, value)) {
        reportViolation(
          `${key.subject} must use only scopes on ${listName} (${allowed.join(", ") || "empty"}); scopes[${index}] is ${quote(value)}.`,
        );
      }
    }
  },
};
