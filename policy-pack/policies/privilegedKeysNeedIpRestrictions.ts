import type { StackValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { keyNames, listText, quote, restriction, type ResourceView } from "../lib/resources";
import { isPrivileged } from "../lib/scopes";
import { keysInStack, type KeyInStack } from "../lib/stack";
import { stringList, unknownMessage } from "../lib/unknowns";

export interface PrivilegedKeysNeedIpRestrictionsConfig {
  /** Keys (resource name or key name) whose restrictions are managed in another stack. */
  externallyRestrictedKeys: string[];
  onUnknown: OnUnknown;
}

export const privilegedKeysNeedIpRestrictionsDefaults: PrivilegedKeysNeedIpRestrictionsConfig = {
  externallyRestrictedKeys: [],
  onUnknown: "fail",
};

/**
 * privileged-keys-need-ip-restrictions (mandatory, severity critical): a key with a write,
 * execute, trigger or admin scope may be used only from listed networks.
 *
 * A stack policy, because the IP list may live on the key (`restrictions.ipAddresses`) or on an
 * ApiKeyRestrictions resource that targets it, and only a stack policy sees both. Each place that
 * sets the key's restrictions replaces the whole set when applied, so every one of them must list
 * IP addresses. Keys restricted from another stack are exempted by name in
 * `externallyRestrictedKeys`. Stack policies run at the end of a preview (a mandatory violation
 * fails it) and after an update.
 */
export const privilegedKeysNeedIpRestrictions: StackValidationPolicy = {
  name: "privileged-keys-need-ip-restrictions",
  description:
    "API keys with write, execute, trigger or admin scopes must be restricted to IP addresses (on the key or by an ApiKeyRestrictions resource).",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      externallyRestrictedKeys: stringArraySchema(
        "Keys (resource name or key name) whose IP restrictions are managed in another stack.",
        [],
      ),
      onUnknown: onUnknownSchema(privilegedKeysNeedIpRestrictionsDefaults.onUnknown),
    },
  },
  validateStack: (args, reportViolation) => {
    const config = readConfig(args, privilegedKeysNeedIpRestrictionsDefaults);
    for (const entry of keysInStack(args.resources)) {
      const { key } = entry;
      if (keyNames(key).some((name) => config.externallyRestrictedKeys.includes(name))) continue;
      const scopes = stringList(key.props.scopes);
      const privileged = scopes.items.map((item) => item.value).filter(isPrivileged);
      if (privileged.length === 0 && !scopes.unknown) continue;

      const { missing, unknownPaths } = ipRestrictionGaps(entry);
      const report = (message: string) => reportViolation(message, entry.urn);
      if (missing.length > 0 && privileged.length > 0) {
        report(
          `${key.subject} has privileged scopes (${listText(privileged)}) and must be restricted to IP addresses, in restrictions.ipAddresses or in an ApiKeyRestrictions resource for this key; ${listText(missing)}.`,
        );
      } else if (config.onUnknown === "fail" && missing.length > 0) {
        report(
          unknownMessage(key.subject, "scopes", "a key without IP restrictions has no privileged scope"),
        );
      } else if (config.onUnknown === "fail" && unknownPaths.length > 0) {
        report(
          unknownMessage(key.subject, unknownPaths[0], "the privileged key is restricted to IP addresses"),
        );
      }
    }
  },
};

/** What each restriction source of the key lacks, and which IP lists are unknown. */
function ipRestrictionGaps(entry: KeyInStack): { missing: string[]; unknownPaths: string[] } {
  if (entry.sources.length === 0) return { missing: ["no restrictions are set"], unknownPaths: [] };
  const missing: string[] = [];
  const unknownPaths: string[] = [];
  for (const source of entry.sources) {
    const addresses = stringList(restriction(source, "ipAddresses"));
    if (addresses.items.length > 0) continue;
    if (addresses.unknown) unknownPaths.push(pathOf(entry.key, source));
    else missing.push(`${pathOf(entry.key, source)} is ${addresses.present ? "empty" : "not set"}`);
  }
  return { missing, unknownPaths };
}

function pathOf(key: ResourceView, source: ResourceView): string {
  return source === key
    ? "restrictions.ipAddresses"
    : `ipAddresses of ApiKeyRestrictions ${quote(source.name)}`;
}
