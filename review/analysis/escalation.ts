import { isPrivilegedScope } from "../../client/schemas";
import { isOpaque, SECRET_TEXT, type Field } from "../input/values";
import {
  SETTING_LABELS,
  SettingSchema,
  type Escalation,
  type Operation,
  type Setting,
} from "../output/model";
import type { Finding } from "./compare/finding";
import { code, formatList } from "./describe";

/**
 * The escalation rules: a change is an escalation when, after it, the key may do something it
 * could not before — a privileged scope (admin:*, *:write, *:execute, *:trigger), another
 * organization, more projects, more networks, referrers, requests or hours — or lives longer.
 * Creating a key with privileged scopes is new access too. A security-relevant value known only
 * after apply is an escalation as well: the review cannot rule one out.
 */

export interface EscalationContext {
  op: Operation;
  /** The key's scopes after the change (for an ApiKey); decides whether an organization move matters. */
  scopesAfter?: Field<string[]>;
}

/** Settings whose unknown value could hide an escalation. */
const GUARDED: ReadonlySet<Setting> = new Set(
  SettingSchema.options.filter((setting) => !["name", "description", "keyId"].includes(setting)),
);

/** "the IP ranges": a setting as the subject of a sentence. */
const subject = (setting: Setting) =>
  `the ${setting === "rotation" ? "rotation schedule" : SETTING_LABELS[setting]}`;

const quoted = (items: readonly string[]) => formatList(items.map(code));

function was(finding: Finding): string {
  const before = Array.isArray(finding.before) ? finding.before.join(", ") : finding.before;
  return before ? `; was ${before}` : "";
}

export function escalationOf(finding: Finding, context: EscalationContext): Escalation | null {
  if (finding.effect === "unknown") {
    if (!GUARDED.has(finding.setting)) return null;
    const why = finding.after === SECRET_TEXT ? "is secret in the preview" : "is known only after apply";
    return {
      rule: "unknown-at-preview",
      reason: `the new value of ${subject(finding.setting)} ${why}, so this review cannot rule out an escalation`,
    };
  }
  const grants = finding.grants;
  if (grants.length === 0) return null;
  const created = finding.effect === "new";
  switch (finding.setting) {
    case "scopes": {
      const privileged = grants.filter(isPrivilegedScope);
      if (privileged.length === 0) return null;
      return created
        ? { rule: "new-privileged-key", reason: `new key with privileged scopes ${quoted(privileged)}` }
        : { rule: "privileged-scope-granted", reason: `grants privileged scopes ${quoted(privileged)}` };
    }
    case "organization": {
      if (created || context.scopesAfter === undefined) return null;
      const scopes = context.scopesAfter;
      if (isOpaque(scopes)) {
        return { rule: "organization-changed", reason: `moves the key to organization ${code(grants[0])}` };
      }
      const privileged = scopes.filter(isPrivilegedScope);
      return privileged.length === 0
        ? null
        : {
            rule: "organization-changed",
            reason: `moves a key with privileged scopes ${quoted(privileged)} to organization ${code(grants[0])}`,
          };
    }
    case "projects":
      if (created) return null;
      return grants.includes("every project")
        ? {
            rule: "project-access-widened",
            reason: `no longer limited to projects: the key works in every project of its organization${was(finding)}`,
          }
        : { rule: "project-access-widened", reason: `gains access to projects ${quoted(grants)}` };
    case "ipAddresses":
      if (created) return null;
      return grants.includes("any address")
        ? {
            rule: "network-widened",
            reason: `removes the IP restriction: any address may use the key${was(finding)}`,
          }
        : {
            rule: "network-widened",
            reason: `widens the IP ranges: admits ${quoted(grants)}${was(finding)}`,
          };
    case "referrers":
      if (created) return null;
      return grants.includes("any referrer")
        ? {
            rule: "referrers-widened",
            reason: `removes the referrer restriction: any site may use the key${was(finding)}`,
          }
        : {
            rule: "referrers-widened",
            reason: `widens the referrers: admits ${quoted(grants)}${was(finding)}`,
          };
    case "rateLimit":
      return finding.after === "no limit"
        ? { rule: "rate-limit-raised", reason: `removes the rate limit${was(finding)}` }
        : { rule: "rate-limit-raised", reason: `raises the rate limit to ${grants[0]}${was(finding)}` };
    case "timeRestrictions":
      return finding.after === "any time"
        ? {
            rule: "time-window-widened",
            reason: `removes the time window: the key works at any time${was(finding)}`,
          }
        : { rule: "time-window-widened", reason: `widens the time window to ${grants[0]}${was(finding)}` };
    case "restrictions":
    case "keyId":
      return { rule: "restrictions-removed", reason: grants[0] };
    case "expiry":
      return finding.after === "never expires"
        ? { rule: "lifetime-lengthened", reason: `removes the expiry: the key never expires${was(finding)}` }
        : { rule: "lifetime-lengthened", reason: `lengthens the lifetime to ${grants[0]}${was(finding)}` };
    case "rotation":
      return { rule: "lifetime-lengthened", reason: `rotates the secret later: ${grants[0]}${was(finding)}` };
    default:
      return null;
  }
}
