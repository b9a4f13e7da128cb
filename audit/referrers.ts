/**
 * What the audit keeps of a Referer: its host, as the API matches it against a key's referrers.
 * The log holds the Referer without query or fragment, but it can still carry credentials
 * (`https://user:password@host/…`) and paths; neither is ever printed or kept.
 */

const hosts = new Map<string, Parsed | null>();

interface Parsed {
  /** Host name, lower case, without port: what a referrer pattern without a port matches. */
  host: string;
  /** Scheme, host and port only: a Referer that the API matches exactly as it matched the original. */
  origin: string;
}

function parse(referrer: string): Parsed | null {
  let cached = hosts.get(referrer);
  if (cached === undefined) {
    try {
      const url = new URL(referrer.includes("://") ? referrer : `https://${referrer}`);
      cached = url.hostname
        ? { host: url.hostname.toLowerCase(), origin: `${url.protocol}//${url.host}/` }
        : null;
    } catch {
      cached = null;
    }
    if (hosts.size >= 10_000) hosts.clear();
    hosts.set(referrer, cached);
  }
  return cached;
}

/** The host of a logged Referer ("https://u:p@Shop.Example.com/cart" -> "shop.example.com"); undefined when unreadable. */
export function referrerHost(referrer: string | null): string | undefined {
  return referrer ? parse(referrer)?.host : undefined;
}

/**
 * A Referer to replay in place of the logged one: scheme, host and port, which is all the API
 * looks at; credentials and path dropped. An unreadable one stays unreadable (the API refuses it
 * wherever referrers are restricted, and so does this stand-in).
 */
export function replayReferrer(referrer: string | null): string | null {
  if (!referrer) return null;
  return parse(referrer)?.origin ?? "unreadable referrer";
}
