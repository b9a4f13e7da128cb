import type { StackValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, type OnUnknown } from "../lib/config";
import { listText } from "../lib/resources";
import { isAdminScope } from "../lib/scopes";
import { keysInStack } from "../lib/stack";
import { stringList } from "../lib/unknowns";

export interface MaxAdminKeysPerStackConfig {
  maxAdminKeys: number;
  onUnknown: OnUnknown;
}

export const maxAdminKeysPerStackDefaults: MaxAdminKeysPerStackConfig = {
  maxAdminKeys: 1,
  onUnknown: "fail",
};

/**
 * max-admin-keys-per-stack (mandatory, severity high): a stack declares at most one key (by
 * default) with an admin scope, so admin access has one owner per stack. With `onUnknown: "fail"`
 * a key whose scopes are not known at preview counts as an admin key.
 */
export const maxAdminKeysPerStack: StackValidationPolicy = {
  name: "max-admin-keys-per-stack",
  description: "A stack may declare at most a configured number of API keys with admin scopes (default 1).",
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      maxAdminKeys: {
        type: "integer",
        minimum: 0,
        default: maxAdminKeysPerStackDefaults.maxAdminKeys,
        description: "The most API keys with admin scopes one stack may declare.",
      },
      onUnknown: onUnknownSchema(maxAdminKeysPerStackDefaults.onUnknown),
    },
  },
  validateStack: (args, reportViolation) => {
    const config = readConfig(args, maxAdminKeysPerStackDefaults);
    const counted: string[] = [];
    // By resource name, so that the message does not depend on the order resources registered in.
    const keys = keysInStack(args.resources).sort((a, b) => a.key.name.localeCompare(b.key.name));
    for (const { key } of keys) {
      const scopes = stringList(key.props.scopes);
      const admin = scopes.items.map((item) => item.value).filter(isAdminScope);
      if (admin.length > 0) counted.push(`${key.subject} (${listText(admin)})`);
      else if (scopes.unknown && config.onUnknown === "fail") {
        counted.push(`${key.subject} (scopes not known at preview, counted because onUnknown is "fail")`);
      }
    }
    if (counted.length > config.maxAdminKeys) {
      const allowed = config.maxAdminKeys === 1 ? "1 API key" : `${config.maxAdminKeys} API keys`;
      reportViolation(
        `This stack must declare at most ${allowed} with admin scopes; it declares ${counted.length}: ${listText(counted)}.`,
      );
    }
  },
};
