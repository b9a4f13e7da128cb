import ipaddr from "ipaddr.js";
import { normalizeCidr } from "../../client/schemas";

/*
 * IP networks as the emulator compares them: every address and network is taken into IPv6 space,
 * an IPv4 one as its IPv4-mapped form (10.0.0.0/8 is ::ffff:10.0.0.0/104). So an IPv6 range that
 * contains IPv4-mapped addresses (::/80, ::ffff:0:0/96) admits IPv4 clients whether the server
 * listens on IPv4 or dual-stack, and "is this network inside that one" has one answer across
 * families.
 */

export interface Network {
  address: ipaddr.IPv6;
  /** Prefix length in IPv6 space (an IPv4 /8 is /104). */
  prefix: number;
}

const networks = new Map<string, Network | null>();
const addresses = new Map<string, ipaddr.IPv6 | null>();

/** Keeps a parse cache small: the same few networks and clients recur on every request. */
function cached<T>(cache: Map<string, T | null>, text: string, parse: (text: string) => T | null): T | null {
  let value = cache.get(text);
  if (value === undefined) {
    value = parse(text);
    if (cache.size >= 1_000) cache.clear();
    cache.set(text, value);
  }
  return value;
}

function toV6(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv6 {
  return address.kind() === "ipv4"
    ? (address as ipaddr.IPv4).toIPv4MappedAddress()
    : (address as ipaddr.IPv6);
}

/**
 * An allow-list entry (address or CIDR, surrounding spaces ignored, as validation ignores them)
 * as a network in IPv6 space; null when it is neither.
 */
export function parseNetwork(entry: string): Network | null {
  return cached(networks, entry, (text) => {
    const cidr = normalizeCidr(text);
    if (cidr === undefined) return null;
    const [address, prefix] = ipaddr.parseCIDR(cidr);
    return { address: toV6(address), prefix: address.kind() === "ipv4" ? prefix + 96 : prefix };
  });
}

/** A client address in IPv6 space; null when it is not an address. */
export function parseAddress(ip: string): ipaddr.IPv6 | null {
  return cached(addresses, ip, (text) => {
    try {
      return toV6(ipaddr.parse(text));
    } catch {
      return null;
    }
  });
}

/** True when `ip` lies inside one of `entries`; an absent or empty list admits every address. */
export function ipAllowed(entries: readonly string[] | undefined, ip: string): boolean {
  if (!entries || entries.length === 0) return true;
  const address = parseAddress(ip);
  if (address === null) return false;
  return entries.some((entry) => {
    const network = parseNetwork(entry);
    return network !== null && address.match(network.address, network.prefix);
  });
}

/** True when every address of `inner` lies in `outer`. */
export function networkWithin(inner: Network, outer: Network): boolean {
  return inner.prefix >= outer.prefix && inner.address.match(outer.address, outer.prefix);
}
