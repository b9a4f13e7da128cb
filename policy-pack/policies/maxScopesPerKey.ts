import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, type OnUnknown } from "../lib/config";
import { apiKeyOf } from "../lib/resources";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface MaxScopesPerKeyConfig {
  maxScopes: number;
  onUnknown: OnUnknown;
}

export const maxScopesPerKeyDefaults: MaxScopesPerKeyConfig = { maxScopes: 8, onUnknown: "skip" };

/**
 * max-scopes-per-key (advisory, severity low): a key with many scopes usually serves several
 * purposes; one key per purpose limits what a leaked key can do.
 */
export const maxScopesPerKey: ResourceValidationPolicy = {
  name: "max-scopes-per-key",
  description: "API keys should hold at most a configured number of scopes (default 8).",
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      maxScopes: {
        type: "integer",
        minimum: 1,
        default: maxScopesPerKeyDefaults.maxScopes,
        description: "The most distinct scopes one key may hold.",
      },
      onUnknown: onUnknownSchema(maxScopesPerKeyDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, maxScopesPerKeyDefaults);
    const scopes = stringList(key.props.scopes);
    const count = new Set(scopes.items.map((item) => item.value)).size;
    if (count > config.maxScopes) {
      reportViolation(
        `${key.subject} must hold at most ${config.maxScopes} scopes (use one key per purpose); scopes lists ${count}.`,
      );
    } else if (scopes.unknown) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        "scopes",
        `it holds at most ${config.maxScopes} scopes`,
      );
    }
  },
};
