#!/usr/bin/env bash
# Runs a script on the project's Node.js (24 LTS, see node-runtime.sh), for npm scripts that would otherwise
# take whatever node the machine has first on PATH.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/node-runtime.sh"
exec node "$@"
