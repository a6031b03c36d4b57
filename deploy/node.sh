#!/usr/bin/env bash
# Runs a command with the project's Node.js (24 LTS, see node-runtime.sh) first on PATH, for npm scripts that
# would otherwise take whatever node the machine has first (e.g. `deploy/node.sh turbo run build`).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/node-runtime.sh"
exec "$@"
