import type { ResourceValidationPolicy } from "@pulumi/policy";
import { onUnknownSchema, readConfig, stringArraySchema, type OnUnknown } from "../lib/config";
import { isWithinNetworks, parseNetwork } from "../lib/networks";
import { quote, restriction, viewOf } from "../lib/resources";
import { onUnknownValue, stringList } from "../lib/unknowns";

export interface NoOpenNetworksConfig {
  /** The broadest IPv4 network allowed, as a prefix length. */
  minPrefixV4: number;
  /** The broadest IPv6 network allowed, as a prefix length. */
  minPrefixV6: number;
  /** Networks within which any prefix is allowed (e.g. a corporate 10.0.0.0/8); never 0.0.0.0/0 or ::/0. */
  allowedNetworks: string[];
  onUnknown: OnUnknown;
}

export const noOpenNetworksDefaults: NoOpenNetworksConfig = {
  minPrefixV4: 16,
  minPrefixV6: 48,
  allowedNetworks: [],
  onUnknown: "fail",
};

/**
 * no-open-networks (mandatory, severity critical): IP restrictions, on an ApiKey or an
 * ApiKeyRestrictions, never allow every address (0.0.0.0/0, ::/0, ::ffff:0:0/96) nor a network
 * broader than /16 (IPv4) or /48 (IPv6), except inside networks listed in `allowedNetworks`.
 */
export const noOpenNetworks: ResourceValidationPolicy = {
  name: "no-open-networks",
  description:
    "IP restrictions must not allow every address, nor networks broader than a configured prefix (default /16 IPv4, /48 IPv6).",
  enforcementLevel: "mandatory",
  severity: "critical",
  configSchema: {
    properties: {
      minPrefixV4: {
        type: "integer",
        minimum: 1,
        maximum: 32,
        default: noOpenNetworksDefaults.minPrefixV4,
        description: "The shortest IPv4 prefix allowed (16 allows a /16, rejects a /8).",
      },
      minPrefixV6: {
        type: "integer",
        minimum: 1,
        maximum: 128,
        default: noOpenNetworksDefaults.minPrefixV6,
        description: "The shortest IPv6 prefix allowed.",
      },
      allowedNetworks: stringArraySchema(
        "Networks inside which any prefix is allowed, e.g. a corporate 10.0.0.0/8 (admits 10.0.0.0/8 and every network within it).",
        [],
      ),
      onUnknown: onUnknownSchema(noOpenNetworksDefaults.onUnknown),
    },
  },
  validateResource: (args, reportViolation) => {
    const view = viewOf(args);
    if (!view) return;
    const config = readConfig(args, noOpenNetworksDefaults);
    const path = `${view.restrictionsPath}ipAddresses`;
    const addresses = stringList(restriction(view, "ipAddresses"));
    if (addresses.unknown) {
      onUnknownValue(config.onUnknown, reportViolation, view.subject, path, "no network is too broad");
    }
    for (const { index, value } of addresses.items) {
      const network = parseNetwork(value);
      const at = `${path}[${index}] is ${quote(value)}`;
      if (network === undefined) {
        reportViolation(
          `${view.subject} must restrict IP addresses to addresses or CIDRs; ${at}, which is neither.`,
        );
      } else if (network.prefix === 0) {
        reportViolation(
          `${view.subject} must not allow every ${network.family === "ipv4" ? "IPv4" : "IPv6"} address; ${at}.`,
        );
      } else {
        const minimum = network.family === "ipv4" ? config.minPrefixV4 : config.minPrefixV6;
        if (network.prefix < minimum && !isWithinNetworks(network, config.allowedNetworks)) {
          reportViolation(
            `${view.subject} must not allow an ${network.family === "ipv4" ? "IPv4" : "IPv6"} network broader than /${minimum}; ${at}.`,
          );
        }
      }
    }
  },
};
