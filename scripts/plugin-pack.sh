#!/usr/bin/env bash
# plugin-pack.sh: builds a Pulumi plugin archive of the admindo provider, for machines that install
# plugins into PULUMI_HOME instead of pointing a program at node_modules/pulumi-admindo/bin:
#
#   npm run plugin:pack -- [OUT_DIR] [PACKAGE]
#   pulumi plugin install resource admindo <version> --file OUT_DIR/pulumi-resource-admindo-v<version>.tar.gz
#
# PACKAGE is anything `npm install` takes (a tarball from `npm pack`, `pulumi-admindo@0.2.0`);
# default: `npm pack` of this checkout (dist/ must be built). OUT_DIR defaults to the current folder.
# The LAST line on stdout is the archive's path.
#
# Why an archive of its own: `pulumi plugin install --file` unpacks an archive into
# PULUMI_HOME/plugins/resource-admindo-v<version>/ and runs pulumi-resource-admindo from that folder's
# root. The npm tarball has every file under package/ and no dependencies, so installed as is the
# engine finds no executable and fails with "loading PulumiPlugin.yaml: open .../PulumiPlugin.yaml:
# no such file or directory". This archive holds the package with its production dependencies in
# node_modules/ and a launcher at its root. It has no native code: one archive serves every platform
# with a POSIX shell; the plugin runs on the `node` found on PATH (22 or newer).
set -euo pipefail

out_dir="$(cd "${1:-.}" && pwd)"
package="${2:-}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/admindo-plugin-pack.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if [ -z "$package" ]; then
  [ -f "$root/dist/plugin/main.js" ] || { echo "plugin-pack: dist/ is not built: run npm run build" >&2; exit 1; }
  # --ignore-scripts: dist/ is built, so `prepare` need not build it again.
  name="$(cd "$root" && npm pack --ignore-scripts --silent --pack-destination "$work" | tail -n 1)"
  package="$work/$name"
fi

stage="$work/plugin"
mkdir -p "$stage"
printf '{ "name": "pulumi-resource-admindo", "private": true }\n' >"$stage/package.json"
# --ignore-scripts: no production dependency needs an install script (no native code).
(cd "$stage" && npm install --omit=dev --ignore-scripts --no-package-lock --no-audit --no-fund --silent "$package" >&2)

version="$(node -p 'require(process.argv[1]).version' "$stage/node_modules/pulumi-admindo/package.json")"
cat >"$stage/pulumi-resource-admindo" <<'EOF'
#!/bin/sh
# The admindo resource provider plugin, as `pulumi plugin install resource admindo ... --file` installs it.
here="$(dirname "$(readlink -f "$0")")"
exec node "$here/node_modules/pulumi-admindo/dist/plugin/main.js" "$@"
EOF
chmod 0755 "$stage/pulumi-resource-admindo"

archive="$out_dir/pulumi-resource-admindo-v$version.tar.gz"
tar -czf "$archive" --owner=0 --group=0 --numeric-owner -C "$stage" .
echo "plugin-pack: wrote $archive; install it with:" >&2
echo "  pulumi plugin install resource admindo $version --file $archive" >&2
echo "$archive"
