#!/usr/bin/env bash
# Installs the npm dependencies when they are missing, stale or built for another Node.js, and builds every
# package, on the Node.js that node-runtime.sh puts on PATH. Called by dev.sh, test.sh and bench.sh; safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=node-runtime.sh
. deploy/node-runtime.sh

built_for=node_modules/.built-for-node
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ "$(cat "$built_for" 2>/dev/null)" != "$(node --version)" ]; then
  echo "setup: installing npm dependencies for Node.js $(node --version) (better-sqlite3 13 ships its addon prebuilt in the npm package)"
  npm ci --no-audit --no-fund --loglevel=error
  node --version >"$built_for"
fi
npx turbo run build --output-logs=errors-only
