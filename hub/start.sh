#!/usr/bin/env bash
# Starts the hub with the memory settings it is measured with (README, Performance, footprint):
# - --max-semi-space-size=8 (MB): V8 otherwise grows the young generation to its own limit under write load,
#   and a hub kept 150-230 MB of heap committed for 10-40 MB of live objects (--trace-gc); its peak RSS under
#   the benchmark's spread writes went from 326-368 MB to 263-270 MB at the same write rate. 4 MB took it to
#   243 MB but cost ~15 % of the write rate in extra collections.
# - MALLOC_MMAP_THRESHOLD_=131072: blocks from 128 KB up get mappings of their own, given back when freed; glibc
#   otherwise raises that threshold as such blocks are freed and keeps later ones in its heap, resident. Peak RSS
#   under the same spread writes: 263-270 MB against 286-296 MB without, in two alternating pairs.
# MALLOC_MMAP_THRESHOLD_ can be overridden from the environment; node options given as arguments come after the
# script's (later ones win), e.g. `hub/start.sh --max-semi-space-size=16`.
# Runs on the project's Node.js 24 (deploy/node-runtime.sh) whatever node is first on PATH. Configuration as
# in hub/src/env.ts.
set -euo pipefail
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
. "$(dirname "${BASH_SOURCE[0]}")/../deploy/node-runtime.sh"
exec node --max-semi-space-size=8 "$@" "$(dirname "${BASH_SOURCE[0]}")/dist/main.js"
