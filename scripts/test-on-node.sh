#!/usr/bin/env bash
# test-on-node.sh <major> [jest args...]: run the unit suites (everything but test/e2e) on another
# supported Node line in this checkout, and write test-results-node<major>.json. The only native
# module, better-sqlite3 13, is a Node-API addon: one binary serves every Node line.
set -euo pipefail
cd "$(dirname "$0")/.."

major="$1"
shift
node_home="$(bash scripts/ensure-node.sh "$major" | tail -n 1)"
echo "test-on-node: unit suites on Node $("$node_home/bin/node" --version)" >&2
PATH="$node_home/bin:$PATH" npx jest --json --outputFile="test-results-node$major.json" \
  --testPathIgnorePatterns '/test/e2e/' "$@"
