#!/usr/bin/env bash
# Runs every test CI runs: makes the Pulumi CLI available (building it once if needed), runs jest on
# this Node, then (for a whole run) the unit suites on the other supported Node lines. Ends with the
# line "N passed, N failed[, N skipped]" computed from jest's JSON results of every run.
set -uo pipefail
cd "$(dirname "$0")/.."

SUPPORTED_LINES="22 24 26"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 22 ]; then
  echo "npm test needs Node.js 22 or newer; this is $(node --version). Fetch one with:" >&2
  echo "  export PATH=\"\$(bash scripts/ensure-node.sh 22 | tail -n 1)/bin:\$PATH\"" >&2
  exit 1
fi

# The engine runs the built provider (dist/), so make sure it matches the sources.
npm run --silent build || exit 1

bin_dir=$(bash scripts/ensure-pulumi.sh | tail -n 1) || { echo "could not provide the Pulumi CLI" >&2; exit 1; }
export PATH="$bin_dir:$PATH"

# The installed-package e2e test installs the tarball on each of these lines too.
export ADMINDO_TEST_NODE_LINES="${ADMINDO_TEST_NODE_LINES-$SUPPORTED_LINES}"

rm -f test-results*.json
npx jest --json --outputFile=test-results.json "$@"
status=$?

# A whole run (no jest arguments) also proves the unit suites on the other supported lines.
if [ $# -eq 0 ]; then
  for line in $ADMINDO_TEST_NODE_LINES; do
    [ "$line" = "$major" ] && continue
    if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
      echo "test: skipping the Node $line unit run (Node builds are fetched for Linux x64 only)" >&2
      continue
    fi
    bash scripts/test-on-node.sh "$line" || status=1
  done
fi

node scripts/summarize-jest.js test-results*.json || status=1
exit $status
