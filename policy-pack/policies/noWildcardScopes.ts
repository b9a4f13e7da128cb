import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { apiKeyOf, quote } from "../lib/resources";
import { isDocumentedScope, isWildcardScope } from "../lib/scopes";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface NoWildcardScopesConfig {
  /** Scopes the API added after this pack's list was written; accepted as documented. */
  extraScopes: string[];
  onUnknown: OnUnknown;
}

export const noWildcardScopesDefaults: NoWildcardScopesConfig = { extraScopes: [], onUnknown: "fail" };

/**
 * no-wildcard-scopes (mandatory, severity high): every scope of an API key is one the Admin.do
 * API documents, named in full. "*", "<service>:*" and unknown scopes are rejected, so a key
 * never gains a permission that the API adds later.
 */
export const noWildcardScopes: ResourceValidationPolicy = {
  name: "no-wildcard-scopes",
  description:
    'API keys must list documented scopes by name: no "*", no "<service>:*", no scope outside the documented list.',
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      extraScopes: stringArraySchema(
        "Scopes to accept besides the documented list (for scopes newer than this pack).",
        [],
      ),
      onUnknown: onUnknownSchema(noWildcardScopesDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, noWildcardScopesDefaults);
    const scopes = stringList(key.props.scopes);
    if (scopes.unknown) {
      onUnknownValue(config.onUnknown, reportViolation, key.subject, "scopes", "no scope is a wildcard");
    }
    for (const { index, value } of scopes.items) {
      if (isWildcardScope(value)) {
        reportViolation(
          `${key.subject} must list each scope it needs by name instead of a wildcard; scopes[${index}] is ${quote(value)}.`,
        );
      } else if (!isDocumentedScope(value, config.extraScopes)) {
        reportViolation(
          `${key.subject} must use only scopes the Admin.do API documents; scopes[${index}] is ${quote(value)}, which is not one of them.`,
        );
      }
    }
  },
};
