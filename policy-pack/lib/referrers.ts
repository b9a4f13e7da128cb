/**
 * Public suffixes under which anyone can register or host a site: a referrer pattern that covers
 * one of them (`*.com`, `*.github.io`) or names one bare (`co.uk`) does not restrict a key to sites
 * its owner controls. A small built-in list of common suffixes; the policy config adds more.
 */
const PUBLIC_SUFFIXES: readonly string[] = [
  // Generic top-level domains.
  ..."com net org io co dev app ai info biz xyz online site tech cloud me tv edu gov".split(" "),
  // Country codes and their common second levels.
  ..."us uk co.uk org.uk ac.uk gov.uk de fr eu nl es it ch se jp co.jp cn com.cn in co.in".split(" "),
  ..."br com.br au com.au net.au ca nz co.nz za co.za".split(" "),
  // Shared hosting where every customer gets a sub-domain.
  ..."github.io gitlab.io pages.dev workers.dev vercel.app netlify.app herokuapp.com web.app".split(" "),
  ..."firebaseapp.com appspot.com azurewebsites.net cloudfront.net s3.amazonaws.com".split(" "),
  ..."blogspot.com onrender.com fly.dev".split(" "),
];

export interface CatchAll {
  /** Why the pattern is too broad, as the end of a sentence. */
  reason: string;
}

/** Lower case, no trailing dot, no port. */
function hostPart(pattern: string): string {
  return pattern.trim().toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
}

/**
 * Undefined when `pattern` names sites its owner can control; otherwise why it does not:
 * `*` (every site), `*.<public suffix>` or `*.<single label>` (every site under a suffix), or a bare
 * public suffix (not a site at all).
 */
export function catchAllReferrer(
  pattern: string,
  extraSuffixes: readonly string[] = [],
): CatchAll | undefined {
  const host = hostPart(pattern);
  const suffixes = new Set([...PUBLIC_SUFFIXES, ...extraSuffixes.map(hostPart)]);
  if (host === "*" || host === "" || host === "*.") return { reason: "which matches every site" };
  if (host.startsWith("*.")) {
    const rest = host.slice(2);
    if (rest.includes("*")) return { reason: "which uses more than one wildcard" };
    if (suffixes.has(rest) || !rest.includes(".")) {
      return { reason: `which matches every site under the public suffix ${JSON.stringify(rest)}` };
    }
    return undefined;
  }
  if (host.includes("*")) return { reason: 'which uses a wildcard other than a leading "*."' };
  if (suffixes.has(host)) return { reason: "which is a public suffix, not a site" };
  return undefined;
}
