import ipaddr from "ipaddr.js";
import { cidrContains, normalizeCidr } from "../client/schemas";

/**
 * The smallest set of networks that covers a set of client addresses. Each address is widened to
 * its network of the minimum prefix (`/32` and `/64` by default: a single IPv4 host; an IPv6
 * subnet, inside which clients pick new privacy addresses all the time), or kept in a narrower
 * configured network it lies in, so a suggestion is never wider than what the key allows today.
 * Networks inside others are dropped and two halves that are both present become their parent
 * (the same addresses, fewer entries), but never wider than /16 or /48, the widest networks the
 * policy pack accepts by default.
 */

export type Family = "ipv4" | "ipv6";

export interface PrefixOptions {
  /** Shortest suffix kept per address: each IPv4 address is covered by its /ipv4Prefix network. */
  ipv4Prefix: number;
  ipv6Prefix: number;
}

export const DEFAULT_PREFIXES: PrefixOptions = { ipv4Prefix: 32, ipv6Prefix: 64 };
/** Merging stops at these prefixes (policy pack: no network broader than /16 or /48). */
const WIDEST_PREFIX: Record<Family, number> = { ipv4: 16, ipv6: 48 };
const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

interface Network {
  family: Family;
  /** The network address as an unsigned integer. */
  base: bigint;
  prefix: number;
}

function parseAddress(text: string): { family: Family; value: bigint } | undefined {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(text.trim());
  } catch {
    return undefined;
  }
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; the API checks it as IPv4.
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  const bytes = address.toByteArray();
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return { family: address.kind() as Family, value };
}

function mask(family: Family, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

function networkOf(family: Family, value: bigint, prefix: number): Network {
  return { family, base: value & mask(family, prefix), prefix };
}

function addressText(family: Family, value: bigint): string {
  const bytes: number[] = [];
  for (let i = BITS[family] / 8 - 1; i >= 0; i--) bytes.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

function networkText(network: Network): string {
  return `${addressText(network.family, network.base)}/${network.prefix}`;
}

function parseNetwork(cidr: string): Network | undefined {
  const normalized = normalizeCidr(cidr);
  if (!normalized) return undefined;
  const [address, prefix] = normalized.split("/");
  const parsed = parseAddress(address);
  // A mapped network (::ffff:10.0.0.0/104) is not what anyone configures; ignore it.
  if (!parsed || (parsed.family === "ipv4") !== !address.includes(":")) return undefined;
  return networkOf(parsed.family, parsed.value, Number(prefix));
}

function contains(outer: Network, inner: Network): boolean {
  return (
    outer.family === inner.family &&
    outer.prefix <= inner.prefix &&
    (inner.base & mask(outer.family, outer.prefix)) === outer.base
  );
}

/**
 * Counts client addresses under networks: each address under its network of the minimum prefix,
 * or under the narrowest configured network that holds it when that one is narrower still.
 */
export class AddressGrouper {
  private readonly limits: Network[];
  private readonly cache = new Map<string, string | null>();

  constructor(
    private readonly options: PrefixOptions,
    configured: readonly string[] = [],
  ) {
    this.limits = configured.map(parseNetwork).filter((network): network is Network => !!network);
  }

  /**
   * The network (CIDR text) an address is counted under, e.g. "203.0.113.7" -> "203.0.113.7/32",
   * "2001:db8::1" -> "2001:db8::/64"; undefined for anything that is not an address. Cached: logs
   * repeat the same few addresses.
   */
  group(address: string): string | undefined {
    let group = this.cache.get(address);
    if (group === undefined) {
      group = this.compute(address) ?? null;
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(address, group);
    }
    return group ?? undefined;
  }

  private compute(address: string): string | undefined {
    const parsed = parseAddress(address);
    if (!parsed) return undefined;
    const host = networkOf(parsed.family, parsed.value, BITS[parsed.family]);
    let best = networkOf(
      parsed.family,
      parsed.value,
      parsed.family === "ipv4" ? this.options.ipv4Prefix : this.options.ipv6Prefix,
    );
    for (const limit of this.limits) if (limit.prefix > best.prefix && contains(limit, host)) best = limit;
    return networkText(best);
  }
}

/** The fewest networks covering every given network (CIDR text); sorted IPv4 first, then by address. */
export function coverNetworks(groups: Iterable<string>): string[] {
  const networks = [...groups].map(parseNetwork).filter((network): network is Network => !!network);
  return merge(networks).map(networkText);
}

function merge(input: Network[]): Network[] {
  const key = (network: Network) => `${network.family}|${network.prefix}|${network.base}`;
  let networks = [...new Map(input.map((network) => [key(network), network])).values()];
  // Drop networks inside others.
  networks.sort((a, b) => a.prefix - b.prefix);
  const kept: Network[] = [];
  for (const network of networks) if (!kept.some((outer) => contains(outer, network))) kept.push(network);
  networks = kept;
  // Merge sibling halves into their parent, longest prefixes first, until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    const present = new Map(networks.map((network) => [key(network), network]));
    for (const network of networks) {
      if (!present.has(key(network)) || network.prefix <= WIDEST_PREFIX[network.family]) continue;
      const bit = 1n << BigInt(BITS[network.family] - network.prefix);
      const sibling = { ...network, base: network.base ^ bit };
      if (!present.has(key(sibling))) continue;
      present.delete(key(network));
      present.delete(key(sibling));
      const parent = networkOf(network.family, network.base, network.prefix - 1);
      present.set(key(parent), parent);
      changed = true;
    }
    networks = [...present.values()];
  }
  return networks.sort(
    (a, b) =>
      (a.family === b.family ? 0 : a.family === "ipv4" ? -1 : 1) ||
      (a.base < b.base ? -1 : a.base > b.base ? 1 : 0) ||
      a.prefix - b.prefix,
  );
}

/** True when one of `networks` admits `address` (IPv4-mapped IPv6 as IPv4), as the API checks it. */
export function networksAdmit(networks: readonly string[], address: string): boolean {
  if (networks.length === 0) return true;
  return networks.some((network) => cidrContains(normalizeCidr(network) ?? network, address));
}

/**
 * True when every address of `group` (a CIDR from AddressGrouper) lies inside one of `networks`.
 * A group wider than a host counts as admitted only when a network holds all of it.
 */
export function networksAdmitGroup(networks: readonly string[], group: string): boolean {
  if (networks.length === 0) return true;
  const inner = parseNetwork(group);
  if (!inner) return false;
  return networks.some((text) => {
    const outer = parseNetwork(text);
    return !!outer && contains(outer, inner);
  });
}
