import ipaddr from "ipaddr.js";
import { cidrContains, normalizeCidr } from "../../client/schemas/network";

export interface Network {
  /** The network in canonical form, e.g. "10.0.0.0/8". */
  cidr: string;
  family: "ipv4" | "ipv6";
  prefix: number;
}

/**
 * The network an address or CIDR names, with host bits cleared. An IPv4-mapped IPv6 range
 * (::ffff:0:0/96) is the IPv4 range it maps (0.0.0.0/0), so it cannot sneak past an IPv4 limit.
 * Undefined when the text is not an address or CIDR.
 */
export function parseNetwork(text: string): Network | undefined {
  const cidr = normalizeCidr(text);
  if (cidr === undefined) return undefined;
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    const v6 = parsed as ipaddr.IPv6;
    if (prefix >= 96 && v6.isIPv4MappedAddress()) {
      return { cidr, family: "ipv4", prefix: prefix - 96 };
    }
    return { cidr, family: "ipv6", prefix };
  }
  return { cidr, family: "ipv4", prefix };
}

/**
 * True when `network` lies inside one of the `allowed` networks (an allowed 10.0.0.0/8 admits
 * 10.0.0.0/8 itself and every network within it). Entries covering every address are ignored.
 */
export function isWithinNetworks(network: Network, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const container = parseNetwork(entry);
    if (container === undefined || container.prefix === 0 || container.family !== network.family)
      return false;
    const [address] = network.cidr.split("/");
    return container.prefix <= network.prefix && cidrContains(container.cidr, address);
  });
}
