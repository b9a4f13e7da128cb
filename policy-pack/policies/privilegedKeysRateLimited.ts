import type { StackValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { convertRate, isPeriod, perSecond, type Period } from "../lib/rates";
import { listText, quote, restriction } from "../lib/resources";
import { actionOf, isWildcardScope } from "../lib/scopes";
import { keysInStack } from "../lib/stack";
import { containsUnknown, field, stringList, unknownMessage } from "../lib/unknowns";

export interface PrivilegedKeysRateLimitedConfig {
  /** The highest rate allowed, `maxRequests` per `period`; limits in other periods are converted. */
  maxRequests: number;
  period: Period;
  /** Scope actions that make a key need a rate limit. */
  actions: string[];
  onUnknown: OnUnknown;
}

export const privilegedKeysRateLimitedDefaults: PrivilegedKeysRateLimitedConfig = {
  maxRequests: 1000,
  period: "minute",
  actions: ["write", "execute"],
  onUnknown: "skip",
};

/**
 * privileged-keys-rate-limited (advisory, severity medium): a key with a write or execute scope
 * has a rate limit no higher than 1000 requests per minute (limits in other periods are converted:
 * 100 per second is 6000 per minute). Like privileged-keys-need-ip-restrictions, a stack policy:
 * the limit may be set on the key or by an ApiKeyRestrictions resource, and every place that sets
 * the key's restrictions must carry a compliant limit.
 */
export const privilegedKeysRateLimited: StackValidationPolicy = {
  name: "privileged-keys-rate-limited",
  description:
    "API keys with write or execute scopes should have a rate limit at or below a configured maximum (default 1000 per minute).",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      maxRequests: {
        type: "integer",
        minimum: 1,
        default: privilegedKeysRateLimitedDefaults.maxRequests,
        description: "The most requests allowed per `period`.",
      },
      period: {
        type: "string",
        enum: ["second", "minute", "hour", "day"],
        default: privilegedKeysRateLimitedDefaults.period,
        description: "The period of maxRequests.",
      },
      actions: stringArraySchema(
        'Scope actions that require a rate limit, e.g. ["write", "execute", "trigger"].',
        privilegedKeysRateLimitedDefaults.actions,
      ),
      onUnknown: onUnknownSchema(privilegedKeysRateLimitedDefaults.onUnknown),
    },
  },
  validateStack: (args, reportViolation) => {
    const config = readConfig(args, privilegedKeysRateLimitedDefaults);
    const limit = `at most ${config.maxRequests} requests per ${config.period}`;
    for (const { key, urn, sources } of keysInStack(args.resources)) {
      const report = (message: string) => reportViolation(message, urn);
      const scopes = stringList(key.props.scopes);
      const needing = scopes.items
        .map((item) => item.value)
        .filter((scope) => isWildcardScope(scope) || config.actions.includes(actionOf(scope)));
      if (needing.length === 0) {
        if (scopes.unknown && config.onUnknown === "fail") {
          report(unknownMessage(key.subject, "scopes", `a key that needs a rate limit has one of ${limit}`));
        }
        continue;
      }
      const intro = `${key.subject} has scopes ${listText(needing)} and must be rate limited to ${limit}`;
      if (sources.length === 0) {
        report(`${intro}; no restrictions are set.`);
        continue;
      }
      for (const source of sources) {
        const path =
          source === key ? "restrictions.rateLimit" : `rateLimit of ApiKeyRestrictions ${quote(source.name)}`;
        const rateLimit = restriction(source, "rateLimit");
        if (containsUnknown(rateLimit)) {
          if (config.onUnknown === "fail") report(unknownMessage(key.subject, path, `it allows ${limit}`));
          continue;
        }
        const problem = rateLimitProblem(rateLimit, config);
        if (problem) report(`${intro}; ${path} ${problem}.`);
      }
    }
  },
};

function rateLimitProblem(rateLimit: unknown, config: PrivilegedKeysRateLimitedConfig): string | undefined {
  if (rateLimit === undefined || rateLimit === null) return "is not set";
  const requests = field(rateLimit, "requests");
  const period = field(rateLimit, "period");
  if (typeof requests !== "number" || !isPeriod(period))
    return `is ${quote(rateLimit)}, which is not a rate limit`;
  if (perSecond(requests, period) <= perSecond(config.maxRequests, config.period)) return undefined;
  const converted =
    period === config.period ? "" : ` (${convertRate(requests, period, config.period)} per ${config.period})`;
  return `is ${requests} per ${period}${converted}`;
}
