import ipaddr from "ipaddr.js";
import { cidrContains, normalizeCidr } from "../../client/schemas/network";

export interface Network {
  /** The network in canonical form, e.g. "10.0.0.0/8". */
  cidr: string;
  family: "ipv4" | "ipv6";
  prefix: number;
}

/** The IPv6 blocks that hold IPv4 addresses: IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d). */
const IPV4_BLOCKS = [ipaddr.parse("::ffff:0:0") as ipaddr.IPv6, ipaddr.parse("::") as ipaddr.IPv6];

/**
 * The IPv4 addresses an IPv6 range can match, as an IPv4 network: a range that contains a whole
 * IPv4 block (::/80, ::/64, ::ffff:0:0/95, ::ffff:0:0/96) matches every IPv4 address (0.0.0.0/0);
 * a range inside one (::ffff:10.0.0.0/104) matches the IPv4 network it maps (10.0.0.0/8).
 * Undefined for a range that holds no IPv4 address.
 */
function ipv4Coverage(address: ipaddr.IPv6, prefix: number): Network | undefined {
  for (const block of IPV4_BLOCKS) {
    if (prefix <= 96) {
      if (block.match(address, prefix)) return { cidr: "0.0.0.0/0", family: "ipv4", prefix: 0 };
    } else if (address.match(block, 96)) {
      const v4 = ipaddr.fromByteArray(address.toByteArray().slice(12));
      return { cidr: `${v4.toString()}/${prefix - 96}`, family: "ipv4", prefix: prefix - 96 };
    }
  }
  return undefined;
}

/**
 * The network an address or CIDR names, with host bits cleared. An IPv6 range that can match IPv4
 * addresses (IPv4-mapped or IPv4-compatible) is judged by the broadest IPv4 network it matches, so
 * it cannot sneak past an IPv4 limit: on a dual-stack listener, ::/80 admits every IPv4 client.
 * ::/0 stays "every IPv6 address". Undefined when the text is not an address or CIDR.
 */
export function parseNetwork(text: string): Network | undefined {
  const cidr = normalizeCidr(text);
  if (cidr === undefined) return undefined;
  const [address, prefixText] = cidr.split("/");
  const prefix = Number(prefixText);
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6") {
    if (prefix === 0) return { cidr, family: "ipv6", prefix };
    return ipv4Coverage(parsed as ipaddr.IPv6, prefix) ?? { cidr, family: "ipv6", prefix };
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
