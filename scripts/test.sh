#!/usr/bin/env bash
# Runs every test CI runs: makes the Pulumi CLI available (building it once if needed), then jest.
# Ends with the line "N passed, N failed[, N skipped]" computed from jest's JSON results.
set -uo pipefail
cd "$(dirname "$0")/.."

# The engine runs the built provider (dist/), so make sure it matches the sources.
npm run --silent build

bin_dir=$(bash scripts/ensure-pulumi.sh | tail -n 1) || { echo "could not provide the Pulumi CLI" >&2; exit 1; }
export PATH="$bin_dir:$PATH"

rm -f test-results.json
npx jest --json --outputFile=test-results.json "$@"
status=$?
node scripts/summarize-jest.js test-results.json || status=1
exit $status
