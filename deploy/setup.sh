#!/usr/bin/env bash
# Installs the npm dependencies when they are missing or stale, and builds every package.
# Called by dev.sh, test.sh and bench.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (better-sqlite3 compiles from source; about two minutes the first time)"
  npm ci --no-audit --no-fund --loglevel=error
fi
npx turbo run build --output-logs=errors-only
