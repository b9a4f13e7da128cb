import type { ResourceValidationPolicy } from "@pulumi/policy";
import {
  onUnknownSchema,
  readConfig,
  stringArrayMapSchema,
  stringArraySchema,
  type OnUnknown,
} from "../lib/config";
import { apiKeyOf, keyNames, quote } from "../lib/resources";
import { isAdminScope, matchesAny } from "../lib/scopes";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface AdminScopesNeedApprovalConfig {
  /** Admin scopes (or patterns such as "admin:*") approved for every key. */
  allowedAdminScopes: string[];
  /** Admin scopes approved for one key, by resource name or key name. */
  approvedKeys: Record<string, string[]>;
  onUnknown: OnUnknown;
}

export const adminScopesNeedApprovalDefaults: AdminScopesNeedApprovalConfig = {
  allowedAdminScopes: [],
  approvedKeys: {},
  onUnknown: "fail",
};

/**
 * admin-scopes-need-approval (mandatory, severity critical): a key holds an admin:* scope only
 * when the policy config approves that scope, for every key (`allowedAdminScopes`) or for this
 * key (`approvedKeys`). No admin scope is approved by default, not even admin:read: it exposes the
 * organization's users, keys and usage, and a key that can read keys is a step from managing them.
 */
export const adminScopesNeedApproval: ResourceValidationPolicy = {
  name: "admin-scopes-need-approval",
  description: "API keys may hold admin:* scopes only when the policy config approves them.",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      allowedAdminScopes: stringArraySchema(
        'Admin scopes approved for every key, e.g. ["admin:read"]; "admin:*" approves them all.',
        [],
      ),
      approvedKeys: stringArrayMapSchema(
        'Admin scopes approved for one key, by resource name or key name: {"ops-bot": ["admin:projects"]}.',
      ),
      onUnknown: onUnknownSchema(adminScopesNeedApprovalDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, adminScopesNeedApprovalDefaults);
    const approved = [
      ...config.allowedAdminScopes,
      ...keyNames(key).flatMap((name) => config.approvedKeys[name] ?? []),
    ];
    const scopes = stringList(key.props.scopes);
    if (scopes.unknown) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        "scopes",
        "every admin scope is approved",
      );
    }
    for (const { index, value } of scopes.items) {
      if (isAdminScope(value) && !matchesAny(approved, value)) {
        reportViolation(
          `${key.subject} must not hold the admin scope ${quote(value)} unless the admin-scopes-need-approval config approves it (allowedAdminScopes, or approvedKeys for this key); scopes[${index}] is ${quote(value)}.`,
        );
      }
    }
  },
};
