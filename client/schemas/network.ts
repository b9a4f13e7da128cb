import ipaddr from "ipaddr.js";
import { z } from "zod";

/**
 * Parses an IPv4/IPv6 address or CIDR and returns it as the network it names, so that
 * "192.168.1.1/24" and "192.168.1.0/24" compare equal. A bare address becomes /32 or /128.
 * Returns undefined for anything that is not an address or CIDR.
 */
export function normalizeCidr(value: string): string | undefined {
  const text = value.trim();
  // ipaddr.js also reads legacy IPv4 forms ("127.1", "0x7f.0.0.1", octal "010.0.0.1" = 8.0.0.1),
  // which would silently allow a different network than the author meant; zone ids ("%eth0")
  // mean nothing in an allow-list. Accept dotted-quad decimal and plain IPv6 only.
  const address = text.split("/")[0];
  if (text.includes("%") || (!address.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(address))) {
    return undefined;
  }
  try {
    if (!text.includes("/")) {
      const address = ipaddr.parse(text);
      return `${canonical(address)}/${address.kind() === "ipv4" ? 32 : 128}`;
    }
    const [address, prefix] = ipaddr.parseCIDR(text);
    const network =
      address.kind() === "ipv4"
        ? ipaddr.IPv4.networkAddressFromCIDR(text)
        : ipaddr.IPv6.networkAddressFromCIDR(text);
    return `${canonical(network)}/${prefix}`;
  } catch {
    return undefined;
  }
}

/** RFC 5952 text for IPv6 (compressed, lower case), dotted quad for IPv4. */
function canonical(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  return address.toString();
}

/** True when `ip` (an address, v4 or v6) lies inside the CIDR `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    address = ipaddr.parse(ip);
    range = ipaddr.parseCIDR(cidr);
  } catch {
    return false;
  }
  if (
    address.kind() === "ipv6" &&
    (address as ipaddr.IPv6).isIPv4MappedAddress() &&
    range[0].kind() === "ipv4"
  ) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  if (address.kind() !== range[0].kind()) return false;
  return address.match(range);
}

/** The prefix length of a CIDR ("10.0.0.0/8" -> 8) and its family. */
export function cidrPrefix(cidr: string): { family: "ipv4" | "ipv6"; prefix: number } | undefined {
  const normalized = normalizeCidr(cidr);
  if (!normalized) return undefined;
  const [address, prefix] = normalized.split("/");
  return { family: address.includes(":") ? "ipv6" : "ipv4", prefix: Number(prefix) };
}

export const CidrSchema = z.string().refine((value) => normalizeCidr(value) !== undefined, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not an IPv4/IPv6 address or CIDR (expected e.g. 192.168.1.0/24 or 2001:db8::/32)`,
});

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const REFERRER_PATTERN = new RegExp(`^(\\*\\.)?${LABEL}(\\.${LABEL})*(:\\d{1,5})?$`);

/** Lower-cases a referrer pattern and drops a trailing dot; returns undefined when it is malformed. */
export function normalizeReferrer(value: string): string | undefined {
  const text = value.trim().toLowerCase().replace(/\.$/, "");
  return REFERRER_PATTERN.test(text) ? text : undefined;
}

/** True when the host of a Referer header value matches `pattern` ("*.example.org" matches sub-domains only). */
export function referrerMatches(pattern: string, referrer: string): boolean {
  let host: string;
  try {
    const url = new URL(referrer.includes("://") ? referrer : `https://${referrer}`);
    host = pattern.includes(":") ? url.host : url.hostname;
  } catch {
    return false;
  }
  host = host.toLowerCase();
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

export const ReferrerSchema = z.string().refine((value) => normalizeReferrer(value) !== undefined, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a referrer pattern (expected a host name such as example.com, optionally starting with "*." as in *.example.org)`,
});
