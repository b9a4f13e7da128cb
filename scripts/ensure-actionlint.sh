#!/usr/bin/env bash
# ensure-actionlint.sh: build the GitHub Actions workflow linter from its Go module (the Go module
# proxy is reachable where GitHub releases are not), cached by version. The LAST line on stdout is
# the binary's path; everything else goes to stderr.
set -euo pipefail
exec 3>&1 1>&2

VERSION="1.7.12"
cache_root="${PULUMI_ADMINDO_CACHE:-${HOME:-/root}/.cache/pulumi-admindo}"
bin_dir="$cache_root/actionlint-v$VERSION"
binary="$bin_dir/actionlint"

if [ ! -x "$binary" ] || [ "$("$binary" -version 2>/dev/null | head -n 1)" != "v$VERSION" ]; then
  GO="$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)"
  [ -x "$GO" ] || { echo "ensure-actionlint: Go is needed to build actionlint v$VERSION" >&2; exit 1; }
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "ensure-actionlint: building actionlint v$VERSION (about 20 s with a warm Go cache)" >&2
  GOBIN="$tmp" GOFLAGS="-buildvcs=false" "$GO" install "github.com/rhysd/actionlint/cmd/actionlint@v$VERSION"
  mkdir -p "$bin_dir"
  mv -f "$tmp/actionlint" "$binary"
fi
echo "$binary" >&3
