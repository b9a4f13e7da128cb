#!/usr/bin/env bash
# ensure-pulumi.sh: make the Pulumi CLI, the Node.js language host and the
# pulumi-resource-pulumi-nodejs shim available, on machines that only reach the Go module proxy
# and the npm registry.
#
# Usage:
#   PULUMI_BIN="$(bash scripts/ensure-pulumi.sh | tail -n 1)"
#   export PATH="$PULUMI_BIN:$PATH"
#
# The LAST line on stdout is the bin dir to put on PATH; everything else goes to stderr.
# Idempotent: a second run only checks the cache (and refreshes the npm shims).
#
# Where the binaries come from:
#   pulumi                  built from github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at $PULUMI_VERSION,
#                           through the wrapper module in scripts/pulumi-cli/
#   pulumi-language-nodejs  built from scripts/pulumi-cli/nodejs-host (our own small host: the upstream
#                           host module is not served by the proxy; see that file's header)
#   admindo-gen-go-sdk      built from scripts/pulumi-cli/gen-go-sdk: Pulumi's Go SDK generator (the
#                           Go language host that `pulumi package gen-sdk` would call is not served)
#   pulumi-language-yaml    built from github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml at
#                           $YAML_VERSION, through the wrapper module in scripts/pulumi-cli/yaml/
#   pulumi-resource-pulumi-nodejs (and pulumi-analyzer-policy*, if a package ships them)
#                           copied from node_modules/@pulumi/pulumi (or @pulumi/policy), when present
#
# Environment:
#   PULUMI_ADMINDO_CACHE        cache root (default: $HOME/.cache/pulumi-admindo); binaries go to
#                               $PULUMI_ADMINDO_CACHE/pulumi-v<version>/bin
#   PULUMI_ADMINDO_IGNORE_PATH  set to 1 to ignore a matching `pulumi` already on PATH
#   GOCACHE, GOMODCACHE, GOPROXY are honoured as usual.
set -euo pipefail

# Keep stdout clean for the final line: everything else goes to stderr.
exec 3>&1 1>&2

# Must equal the github.com/pulumi/pulumi/{pkg,sdk}/v3 versions in scripts/pulumi-cli/go.mod.
PULUMI_VERSION="3.274.1"
# Must equal the github.com/pulumi/pulumi-yaml version in scripts/pulumi-cli/yaml/go.mod.
YAML_VERSION="1.25.0"

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
MOD_DIR="$SCRIPT_DIR/pulumi-cli"
CACHE_ROOT="${PULUMI_ADMINDO_CACHE:-${HOME:-/root}/.cache/pulumi-admindo}"
VERSION_DIR="$CACHE_ROOT/pulumi-v$PULUMI_VERSION"
BIN_DIR="$VERSION_DIR/bin"

log() { printf 'ensure-pulumi: %s\n' "$*" >&2; }
die() { printf 'ensure-pulumi: error: %s\n' "$*" >&2; exit 1; }

# Everything that goes into a build; a change in any of it (not only in the version) rebuilds.
build_stamp() {
  {
    echo "pulumi=$PULUMI_VERSION yaml=$YAML_VERSION"
    cat "$MOD_DIR/go.mod" "$MOD_DIR/go.sum" "$MOD_DIR/tools.go"
    cat "$MOD_DIR/yaml/go.mod" "$MOD_DIR/yaml/go.sum" "$MOD_DIR/yaml/tools.go"
    find "$MOD_DIR/nodejs-host" "$MOD_DIR/gen-go-sdk" -type f -name '*.go' | LC_ALL=C sort | xargs cat
  } | sha256sum | cut -d' ' -f1
}

# Copy the shell shims that npm packages ship into a bin dir (replacing stale copies).
install_shims() {
  local dest="$1" found=0 f name
  for f in "$ROOT_DIR"/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs \
           "$ROOT_DIR"/node_modules/@pulumi/pulumi/pulumi-analyzer-policy* \
           "$ROOT_DIR"/node_modules/@pulumi/policy/pulumi-analyzer-policy*; do
    [ -f "$f" ] || continue
    case "$f" in *.cmd) continue ;; esac
    name="$(basename "$f")"
    found=1
    if ! cmp -s "$f" "$dest/$name" 2>/dev/null; then
      cp "$f" "$dest/.$name.tmp.$$" && chmod 0755 "$dest/.$name.tmp.$$" && mv -f "$dest/.$name.tmp.$$" "$dest/$name"
      log "installed $name from ${f#"$ROOT_DIR"/}"
    fi
  done
  if [ "$found" = 0 ]; then
    if [ -x "$dest/pulumi-resource-pulumi-nodejs" ]; then
      log "node_modules/@pulumi/pulumi not found; keeping the shim already in $dest"
    else
      log "warning: node_modules/@pulumi/pulumi not found (run npm ci first, then run this script again):"
      log "         pulumi-resource-pulumi-nodejs (needed for dynamic providers) is not installed yet"
    fi
  fi
}

cache_ok() {
  [ -x "$BIN_DIR/pulumi" ] && [ -x "$BIN_DIR/pulumi-language-nodejs" ] && [ -x "$BIN_DIR/pulumi-language-yaml" ] &&
    [ -x "$BIN_DIR/admindo-gen-go-sdk" ] &&
    [ -f "$VERSION_DIR/.stamp" ] && [ "$(cat "$VERSION_DIR/.stamp")" = "$(build_stamp)" ]
}

pulumi_version_of() {
  PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null | head -n 1 || true
}

# 1. A complete cache for this version and these sources.
if cache_ok; then
  install_shims "$BIN_DIR"
  log "using cached Pulumi CLI v$PULUMI_VERSION in $BIN_DIR"
  echo "$BIN_DIR" >&3
  exit 0
fi

# 2. A matching pulumi (with the Node.js and YAML language hosts) already on PATH.
if [ "${PULUMI_ADMINDO_IGNORE_PATH:-0}" != 1 ] && existing="$(command -v pulumi 2>/dev/null)"; then
  existing_dir="$(cd "$(dirname "$existing")" && pwd)"
  if [ "$existing_dir" = "$BIN_DIR" ]; then
    : # our own cache, found stale above: rebuild it
  elif [ "$(pulumi_version_of "$existing")" = "v$PULUMI_VERSION" ]; then
    if { [ -x "$existing_dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; } &&
      { [ -x "$existing_dir/pulumi-language-yaml" ] || command -v pulumi-language-yaml >/dev/null 2>&1; }; then
      if [ -w "$existing_dir" ]; then
        install_shims "$existing_dir"
      elif ! command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1; then
        log "warning: $existing_dir is not writable and pulumi-resource-pulumi-nodejs is not on PATH"
      fi
      log "using pulumi v$PULUMI_VERSION already on PATH: $existing"
      echo "$existing_dir" >&3
      exit 0
    fi
    log "pulumi v$PULUMI_VERSION is on PATH ($existing) but a language host (nodejs, yaml) is not; building"
  else
    log "pulumi on PATH ($existing) is $(pulumi_version_of "$existing"), not v$PULUMI_VERSION; building"
  fi
fi

# 3. Build.
GO="$(command -v go 2>/dev/null || true)"
if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
if [ -z "$GO" ]; then
  die "the Go toolchain is needed to build the Pulumi CLI v$PULUMI_VERSION, and \`go\` was not found.
  Install Go 1.26.6 or newer (scripts/pulumi-cli/go.mod says 'go 1.26.6') at /usr/local/go, or any
  Go >= 1.21 on PATH (it then fetches the 1.26 toolchain through the Go module proxy), and run again.
  Alternatively put pulumi v$PULUMI_VERSION and pulumi-language-nodejs on PATH."
fi

mkdir -p "$CACHE_ROOT"
# One build at a time per version (parallel CI jobs on one machine share the cache).
exec 9>"$CACHE_ROOT/.pulumi-v$PULUMI_VERSION.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  # Another run may have finished the build while this one waited for the lock.
  if cache_ok; then
    install_shims "$BIN_DIR"
    log "using Pulumi CLI v$PULUMI_VERSION built by a concurrent run in $BIN_DIR"
    echo "$BIN_DIR" >&3
    exit 0
  fi
  # Holding the lock, any leftover build dir comes from a killed run.
  rm -rf "$CACHE_ROOT/.build-pulumi-v$PULUMI_VERSION."*
fi

TMP="$(mktemp -d "$CACHE_ROOT/.build-pulumi-v$PULUMI_VERSION.XXXXXX")"
# A killed run leaves no half cache: the build happens in $TMP, removed on exit (and, after a
# SIGKILL, by the next run). Builds run in the background and are waited for, so that a
# SIGINT/SIGTERM is acted on at once instead of after the build.
child=""
on_signal() {
  if [ -n "$child" ]; then kill "$child" 2>/dev/null || true; fi
  exit "$1"
}
trap 'rm -rf "$TMP"' EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
run_child() {
  "$@" &
  child=$!
  local rc=0
  wait "$child" || rc=$?
  child=""
  return "$rc"
}

mkdir -p "$TMP/src" "$TMP/out/bin"
# Build from a copy, so the go command never rewrites the checked-in go.mod/go.sum.
cp -R "$MOD_DIR/." "$TMP/src/"

LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
export GOFLAGS="-mod=mod -buildvcs=false"
log "building Pulumi CLI v$PULUMI_VERSION with $("$GO" version) (a cold build takes several minutes)"
start=$SECONDS
run_child "$GO" -C "$TMP/src" build -trimpath -ldflags "$LDFLAGS" -o "$TMP/out/bin/pulumi" \
  github.com/pulumi/pulumi/pkg/v3/cmd/pulumi || die "building pulumi failed (see the go output above)"
log "built pulumi in $((SECONDS - start))s; building pulumi-language-nodejs"
run_child "$GO" -C "$TMP/src" build -trimpath -ldflags "$LDFLAGS" -o "$TMP/out/bin/pulumi-language-nodejs" \
  ./nodejs-host || die "building pulumi-language-nodejs failed (see the go output above)"
run_child "$GO" -C "$TMP/src" build -trimpath -ldflags "-s -w" -o "$TMP/out/bin/admindo-gen-go-sdk" ./gen-go-sdk ||
  die "building admindo-gen-go-sdk failed (see the go output above)"
log "building pulumi-language-yaml v$YAML_VERSION"
run_child "$GO" -C "$TMP/src/yaml" build -trimpath \
  -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION" \
  -o "$TMP/out/bin/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml ||
  die "building pulumi-language-yaml failed (see the go output above)"

got="$(pulumi_version_of "$TMP/out/bin/pulumi")"
[ "$got" = "v$PULUMI_VERSION" ] || die "the freshly built pulumi reports '$got', expected v$PULUMI_VERSION"

install_shims "$TMP/out/bin"
build_stamp >"$TMP/out/.stamp"

# Swap in atomically: the version dir is either absent, the old complete one, or the new one.
if [ -e "$VERSION_DIR" ]; then mv "$VERSION_DIR" "$TMP/old"; fi
mv "$TMP/out" "$VERSION_DIR"
log "Pulumi CLI v$PULUMI_VERSION ready in $BIN_DIR ($((SECONDS - start))s)"
echo "$BIN_DIR" >&3
