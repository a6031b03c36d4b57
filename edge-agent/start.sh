#!/usr/bin/env bash
# Starts an edge agent with the memory settings it is measured with (README, Performance):
# - MALLOC_ARENA_MAX=2: glibc otherwise keeps a malloc arena per thread and the memory a replay's fetch
#   buffers used in each;
# - MALLOC_MMAP_THRESHOLD_=131072: allocations from 128 KB up (SQLite's sorter during a chain-view load's merge
#   and index build) get mappings of their own, given back when freed; glibc otherwise raises that threshold
#   as such blocks are freed and serves them from its heap, which then stays resident: an agent that loaded
#   1,000,000 items kept 50 MB in [heap] (/proc/<pid>/smaps), and 127-129 MB RSS after the fleet bench's writes
#   against 146-147 MB without, at the same load speed (two alternating pairs);
# - --max-semi-space-size=4 (MB): V8's young generation otherwise grows to 16 MB per semi-space under a replay
#   and stays there. 2 MB saves ~20 MB more but costs the replay ~10 % of its speed in extra scavenges.
# The first and last together took an agent that replayed 1,000,000 events over 100,000 items from ~162-189 MB to ~144 MB RSS,
# with the replay at ~100,000 events/s. Each can be overridden: the MALLOC_ settings from the environment, node
# options as arguments (later ones win), e.g. `edge-agent/start.sh --max-semi-space-size=16`. Runs on the
# project's Node.js 24 (deploy/node-runtime.sh) whatever node is first on PATH. Configuration as in
# edge-agent/src/env.ts.
set -euo pipefail
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072}
. "$(dirname "${BASH_SOURCE[0]}")/../deploy/node-runtime.sh"
exec node --max-semi-space-size=4 "$@" "$(dirname "${BASH_SOURCE[0]}")/dist/main.js"
