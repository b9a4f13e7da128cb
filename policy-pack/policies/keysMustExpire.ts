import type { ResourceValidationPolicy } from "@pulumi/policy";
import { parseDuration } from "../../client/schemas/common";
import { onUnknownSchema, readConfig, type OnUnknown } from "../lib/config";
import { apiKeyOf, quote } from "../lib/resources";
import { isUnknown, onUnknownValue } from "../lib/unknowns";

export interface KeysMustExpireConfig {
  maxLifetimeDays: number;
  onUnknown: OnUnknown;
}

export const keysMustExpireDefaults: KeysMustExpireConfig = { maxLifetimeDays: 90, onUnknown: "fail" };

const DAY_MS = 86_400_000;

/**
 * keys-must-expire (mandatory, severity high): every key sets `expiresIn` (a lifetime, renewed by
 * each rotation) or `expiresAt` (a fixed time), at most `maxLifetimeDays` ahead. `expiresAt` is
 * measured from the time the policy runs.
 */
export const keysMustExpire: ResourceValidationPolicy = {
  name: "keys-must-expire",
  description:
    "API keys must expire (expiresIn or expiresAt) within a configured number of days (default 90).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      maxLifetimeDays: {
        type: "number",
        exclusiveMinimum: 0,
        default: keysMustExpireDefaults.maxLifetimeDays,
        description: "The longest lifetime a key may have, in days.",
      },
      onUnknown: onUnknownSchema(keysMustExpireDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, keysMustExpireDefaults);
    const days = config.maxLifetimeDays;
    const requirement = `it expires within ${days} days`;
    const { expiresIn, expiresAt } = key.props;

    if (isUnknown(expiresIn) || isUnknown(expiresAt)) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        key.subject,
        isUnknown(expiresIn) ? "expiresIn" : "expiresAt",
        requirement,
      );
      return;
    }
    if (expiresIn === undefined && expiresAt === undefined) {
      reportViolation(
        `${key.subject} must expire within ${days} days: set expiresIn (e.g. "${Math.min(days, 90)}d") or expiresAt; neither is set.`,
      );
      return;
    }
    if (expiresIn !== undefined) {
      const lifetime = typeof expiresIn === "string" ? parseDuration(expiresIn) : undefined;
      if (lifetime === undefined) {
        reportViolation(
          `${key.subject} must expire within ${days} days; expiresIn is ${quote(expiresIn)}, which is not a duration such as "30d".`,
        );
      } else if (lifetime > days * DAY_MS) {
        reportViolation(`${key.subject} must expire within ${days} days; expiresIn is ${quote(expiresIn)}.`);
      }
    }
    if (expiresAt !== undefined) {
      const time = typeof expiresAt === "string" ? Date.parse(expiresAt) : NaN;
      if (Number.isNaN(time)) {
        reportViolation(
          `${key.subject} must expire within ${days} days; expiresAt is ${quote(expiresAt)}, which is not an ISO 8601 time.`,
        );
      } else if (time - Date.now() > days * DAY_MS) {
        const ahead = Math.ceil((time - Date.now()) / DAY_MS);
        reportViolation(
          `${key.subject} must expire within ${days} days; expiresAt is ${quote(expiresAt)}, ${ahead} days from now.`,
        );
      }
    }
  },
};
