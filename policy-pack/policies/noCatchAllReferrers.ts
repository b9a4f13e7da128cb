import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { catchAllReferrer } from "../lib/referrers";
import { quote, restriction, viewOf } from "../lib/resources";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface NoCatchAllReferrersConfig {
  /** Public suffixes to reject besides the built-in list (e.g. your hosting provider's). */
  extraPublicSuffixes: string[];
  onUnknown: OnUnknown;
}

export const noCatchAllReferrersDefaults: NoCatchAllReferrersConfig = {
  extraPublicSuffixes: [],
  onUnknown: "fail",
};

/**
 * no-catch-all-referrers (mandatory, severity high): referrer restrictions, on an ApiKey or an
 * ApiKeyRestrictions, name sites the key's owner controls: never "*", "*.com", "*.github.io", a
 * wildcard over a single label, or a bare public suffix.
 */
export const noCatchAllReferrers: ResourceValidationPolicy = {
  name: "no-catch-all-referrers",
  description:
    'Referrer restrictions must name specific sites: no "*", "*.<public suffix>" or bare public suffix.',
  enforcementLevel: "mandatory",
  severity: "high",
  configSchema: {
    properties: {
      extraPublicSuffixes: stringArraySchema(
        'Public suffixes to reject besides the built-in list, e.g. ["myhost.example"].',
        [],
      ),
      onUnknown: onUnknownSchema(noCatchAllReferrersDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const view = viewOf(args);
    if (!view) return;
    const config = readConfig(args, noCatchAllReferrersDefaults);
    const path = `${view.restrictionsPath}referrers`;
    const referrers = stringList(restriction(view, "referrers"));
    if (referrers.unknown) {
      onUnknownValue(
        config.onUnknown,
        reportViolation,
        view.subject,
        path,
        "every referrer names specific sites",
      );
    }
    for (const { index, value } of referrers.items) {
      const catchAll = catchAllReferrer(value, config.extraPublicSuffixes);
      if (catchAll) {
        reportViolation(
          `${view.subject} must restrict referrers to sites its owner controls; ${path}[${index}] is ${quote(value)}, ${catchAll.reason}.`,
        );
      }
    }
  },
};
