import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, type OnUnknown } from "../lib/config";
import { apiKeyOf, listText } from "../lib/resources";
import { isPrivileged } from "../lib/scopes";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface PrivilegedKeysRotateConfig {
  onUnknown: OnUnknown;
}

export const privilegedKeysRotateDefaults: PrivilegedKeysRotateConfig = { onUnknown: "skip" };

/**
 * privileged-keys-rotate (advisory, severity medium): a key with a write, execute, trigger or
 * admin scope rotates on a schedule: `rotationPeriod`, or `rotateBeforeExpiry` with `expiresIn`.
 * Either strategy counts: replaced on rotation, or rotated in place with `rotationOverlap`.
 */
export const privilegedKeysRotate: ResourceValidationPolicy = {
  name: "privileged-keys-rotate",
  description:
    "API keys with write, execute, trigger or admin scopes should rotate (rotationPeriod or rotateBeforeExpiry), replaced or in place.",
  enforcementLevel: "advisory",
  severity: "medium",
  configSchema: {
    properties: {
      onUnknown: onUnknownSchema(privilegedKeysRotateDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const key = apiKeyOf(args);
    if (!key) return;
    const config = readConfig(args, privilegedKeysRotateDefaults);
    const { rotationPeriod, rotateBeforeExpiry } = key.props;
    if (rotationPeriod !== undefined || rotateBeforeExpiry !== undefined) return;
    const scopes = stringList(key.props.scopes);
    const privileged = scopes.items.map((item) => item.value).filter(isPrivileged);
    if (privileged.length > 0) {
      reportViolation(
        `${key.subject} has privileged scopes (${listText(privileged)}) and must rotate: set rotationPeriod (e.g. "30d") or rotateBeforeExpiry with expiresIn (and rotationOverlap to rotate it in place); neither is set.`,
      );
    } else if (scopes.unknown) {
      onUnknownValue(config.onUnknown, reportViolation, key.subject, "scopes", "a privileged key rotates");
    }
  },
};
