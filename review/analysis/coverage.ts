import ipaddr from "ipaddr.js";
import { normalizeCidr, normalizeReferrer } from "../../client/schemas";

/**
 * Which entries of an allow-list another allow-list does not cover: the networks or referrers a
 * change newly admits (uncovered(after, before)) or newly refuses (uncovered(before, after)).
 * Lists are compared by what they admit, so 10.0.0.0/25 + 10.0.0.128/25 covers 10.0.0.0/24.
 */

interface Interval {
  family: "ipv4" | "ipv6";
  start: bigint;
  end: bigint;
}

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
}

/** The addresses a CIDR (or bare address) names, or undefined when it is not one. */
export function cidrInterval(cidr: string): Interval | undefined {
  const normalized = normalizeCidr(cidr);
  if (!normalized) return undefined;
  const [network, prefixLength] = ipaddr.parseCIDR(normalized);
  const family = network.kind();
  const bits = family === "ipv4" ? 32 : 128;
  const start = toBigInt(network.toByteArray());
  const size = 1n << BigInt(bits - prefixLength);
  return { family, start, end: start + size - 1n };
}

/** Sorted, merged intervals (overlapping or adjacent ones joined), per family. */
function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) =>
    a.family !== b.family
      ? a.family.localeCompare(b.family)
      : a.start < b.start
        ? -1
        : a.start > b.start
          ? 1
          : 0,
  );
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === interval.family && interval.start <= last.end + 1n) {
      if (interval.end > last.end) last.end = interval.end;
    } else {
      merged.push({ ...interval });
    }
  }
  return merged;
}

/** Entries of `networks` that admit an address no entry of `by` admits. */
export function uncoveredNetworks(networks: readonly string[], by: readonly string[]): string[] {
  const cover = merge(by.map(cidrInterval).filter((interval): interval is Interval => !!interval));
  return networks.filter((network) => {
    const interval = cidrInterval(network);
    if (!interval) return !by.includes(network);
    return !cover.some(
      (range) =>
        range.family === interval.family && range.start <= interval.start && interval.end <= range.end,
    );
  });
}

function splitPort(pattern: string): { host: string; port?: string } {
  const match = /^(.*):(\d{1,5})$/.exec(pattern);
  return match ? { host: match[1], port: match[2] } : { host: pattern };
}

/** True when every referrer `pattern` admits, `by` admits too ("*.example.org" covers "a.example.org"). */
export function referrerCovers(by: string, pattern: string): boolean {
  const outer = splitPort(normalizeReferrer(by) ?? by);
  const inner = splitPort(normalizeReferrer(pattern) ?? pattern);
  if (outer.port !== undefined && outer.port !== inner.port) return false;
  if (outer.host === inner.host) return true;
  return outer.host.startsWith("*.") && inner.host.endsWith(outer.host.slice(1));
}

/** Entries of `referrers` that admit a site no entry of `by` admits. */
export function uncoveredReferrers(referrers: readonly string[], by: readonly string[]): string[] {
  return referrers.filter((referrer) => !by.some((outer) => referrerCovers(outer, referrer)));
}
