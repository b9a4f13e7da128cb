import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseDuration } from "../../client/schemas/common";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { apiKeyOf, listText, quote } from "../lib/resources";
import { matchesAny } from "../lib/scopes";
import { isUnknown, onUnknownValue, stringList } from "../lib/unknowns";

export interface ExecuteKeysRotateInPlaceConfig {
  /** Scope patterns of the keys this rule applies to. */
  scopes: string[];
  /** The shortest acceptable overlap, a duration such as "1h". */
  minOverlap: string;
  onUnknown: OnUnknown;
}

export const executeKeysRotateInPlaceDefaults: ExecuteKeysRotateInPlaceConfig = {
  scopes: ["*:execute"],
  minOverlap: "1h",
  onUnknown: "skip",
};

/**
 * Whether a scope matches a pattern. "*:<action>" matches that action of every service, and the
 * wildcard scopes that grant it ("<service>:*", "*").
 */
function matches(patterns: readonly string[], scope: string): boolean {
  return patterns.some((pattern) => {
    if (!pattern.startsWith("*:") || pattern.length <= 2) return matchesAny([pattern], scope);
    return scope === "*" || scope.endsWith(":*") || scope.endsWith(pattern.slice(1));
  });
}

/**
 * execute-keys-rotate-in-place (advisory, severity low): a key with an execute scope that rotates
 * (rotationPeriod, rotateBeforeExpiry or rotationTriggers) rotates in place with an overlap of at
 * least `minOverlap`, so that clients outside the program (a partner's integration, a pod that
 * read the secret at start-up) keep working while they pick up the new secret. Replacement ends
 * the old secret in the same `pulumi up`.
 */
export const executeKeysRotateInPlace: ResourceValidationPolicy = {
  name: "execute-keys-rotate-in-place",
  description:
    "API keys with execute scopes that rotate should rotate in place with an overlap (rotationOverlap), so that their clients never break.",
  enforcementLevel: "advisory",
  severity: "low",
  configSchema: {
    properties: {
      scopes: stringArraySchema(
        'Scope patterns of the keys the rule applies to: exact scopes, "<service>:*", "*:<action>" or "*".',
        executeKeysRotateInPlaceDefaults.scopes,
      ),
      minOverlap: {
        type: "string",
        pattern: "^[0-9]+[smhdw]$",
        default: executeKeysRotateInPlaceDefaults.minOverlap,
        description: 'The shortest acceptable rotationOverlap, e.g. "1h" or "1d".',
      },
      onUnknown: onUnknownSchema(executeKeysRotateInPlaceDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, executeKeysRotateInPlaceDefaults);
    const requirement = "it rotates in place with an overlap";
    const { rotationPeriod, rotateBeforeExpiry, rotationTriggers, rotationOverlap } = key.props;
    if (rotationPeriod === undefined && rotateBeforeExpiry === undefined && rotationTriggers === undefined) {
      return;
    }
    const scopes = stringList(key.props.scopes);
    const matching = scopes.items.map((item) => item.value).filter((scope) => matches(config.scopes, scope));
    if (matching.length === 0) {
      if (scopes.unknown)
        onUnknownValue(config.onUnknown, reportViolation, key.subject, "scopes", requirement);
      return;
    }
    if (isUnknown(rotationOverlap)) {
      onUnknownValue(config.onUnknown, reportViolation, key.subject, "rotationOverlap", requirement);
      return;
    }
    if (rotationOverlap === undefined) {
      reportViolation(
        `${key.subject} has execute scopes (${listText(matching)}) and must rotate in place: set rotationOverlap (e.g. "24h") so that the previous secret keeps working while clients outside this program pick up the new one; without it a rotation replaces the key and its secret stops at once.`,
      );
      return;
    }
    const overlap = typeof rotationOverlap === "string" ? parseDuration(rotationOverlap) : undefined;
    const minimum = parseDuration(config.minOverlap);
    if (overlap !== undefined && minimum !== undefined && overlap < minimum) {
      reportViolation(
        `${key.subject} has execute scopes (${listText(matching)}) and must rotate in place with an overlap of at least ${config.minOverlap}; rotationOverlap is ${quote(rotationOverlap)}.`,
      );
    }
  },
};
