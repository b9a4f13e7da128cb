#!/usr/bin/env bash
# Lints the GitHub Actions workflow users copy (examples/ci/) with actionlint; with shellcheck on
# PATH, actionlint also checks every `run:` script.
set -euo pipefail
cd "$(dirname "$0")/.."
actionlint="$(bash scripts/ensure-actionlint.sh | tail -n 1)"
command -v shellcheck >/dev/null || echo "lint-workflows: shellcheck not found; run: scripts are not checked" >&2
"$actionlint" -no-color examples/ci/*.yml
echo "lint-workflows: examples/ci/*.yml passed actionlint"
