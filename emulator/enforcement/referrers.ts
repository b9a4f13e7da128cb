import { normalizeReferrer } from "../../client/schemas";

/*
 * Referrer patterns: `example.com` (that host), `*.example.org` (its sub-domains, not itself),
 * either optionally with a port (`example.com:8443`). A pattern without a port matches any port;
 * one with a port matches that port, where a URL without a port has its scheme's default (so
 * `example.com:443` matches `https://example.com/`).
 */

export interface ReferrerPattern {
  /** For `*.example.org`: true, host "example.org". */
  wildcard: boolean;
  host: string;
  port: string | undefined;
}

const DEFAULT_PORTS: Record<string, string> = { "http:": "80", "https:": "443", "ws:": "80", "wss:": "443" };

/** A pattern as validation accepts it (trimmed, any case, a trailing dot); undefined when malformed. */
export function parseReferrerPattern(text: string): ReferrerPattern | undefined {
  const normalized = normalizeReferrer(text);
  if (normalized === undefined) return undefined;
  const wildcard = normalized.startsWith("*.");
  const [host, port] = (wildcard ? normalized.slice(2) : normalized).split(":");
  return { wildcard, host, port };
}

/** Host and effective port of a Referer header value; undefined when it is not a URL. */
function refererOrigin(referer: string): { host: string; port: string } | undefined {
  try {
    const url = new URL(referer.includes("://") ? referer : `https://${referer}`);
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    return { host, port: url.port || DEFAULT_PORTS[url.protocol] || "" };
  } catch {
    return undefined;
  }
}

function hostMatches(pattern: ReferrerPattern, host: string): boolean {
  return pattern.wildcard ? host.endsWith(`.${pattern.host}`) : host === pattern.host;
}

/** True when the Referer header's host matches one of `patterns`; a missing header never does. */
export function referrerAllowed(
  patterns: readonly string[] | undefined,
  referer: string | undefined,
): boolean {
  if (!patterns || patterns.length === 0) return true;
  if (!referer) return false;
  const origin = refererOrigin(referer);
  if (!origin) return false;
  return patterns.some((text) => {
    const pattern = parseReferrerPattern(text);
    if (!pattern || !hostMatches(pattern, origin.host)) return false;
    return pattern.port === undefined || pattern.port === origin.port;
  });
}

/** True when every Referer `inner` matches is matched by `outer` too. */
export function referrerWithin(inner: ReferrerPattern, outer: ReferrerPattern): boolean {
  if (outer.port !== undefined && inner.port !== outer.port) return false;
  if (!outer.wildcard) return !inner.wildcard && inner.host === outer.host;
  return inner.host === outer.host ? inner.wildcard : inner.host.endsWith(`.${outer.host}`);
}
