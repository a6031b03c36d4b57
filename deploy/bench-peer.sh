#!/usr/bin/env bash
# Runs this product and a peer, Medusa v2's inventory module, side by side (bench/src/peer/): builds
# everything, installs the peer's packages on first use into their own npm prefix under .data/peer (not a
# workspace: nothing enters the project's install or its package-lock), starts a PostgreSQL and a Kafka
# broker of its own on their own ports with fresh data under .data/bench-peer, then the orchestrator, which
# starts a hub and the peer's HTTP wrapper and loads both. Writes bench/results/peer.json and prints tables.
#
# Env: BENCH_PEER_RUNS (3), BENCH_PEER_DURATION_S (10 s per spread-load run), BENCH_PEER_CONNECTIONS (64),
#   BENCH_PEER_BUYERS (200), BENCH_PEER_UNITS (100), BENCH_PEER_ITEMS (1,000), BENCH_LOG_LEVEL (warn),
#   BENCH_PGPORT (22432), BENCH_KAFKA_PORT (22092), BENCH_KAFKA_CONTROLLER_PORT (22093), BENCH_DATA_DIR,
#   BENCH_PEER_PREFIX (.data/peer).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh
npx tsc -p bench

# The versions compared; a different install under the prefix is replaced.
peer_packages=(@medusajs/framework@2.21.2 @medusajs/inventory@2.21.2 @medusajs/locking@2.21.2)
prefix=${BENCH_PEER_PREFIX:-$PWD/.data/peer}
installed() {
  local spec name version
  for spec in "${peer_packages[@]}"; do
    name=${spec%@*}
    version=${spec##*@}
    [ "$(node -p "require('$prefix/node_modules/$name/package.json').version" 2>/dev/null)" = "$version" ] || return 1
  done
}
if ! installed; then
  echo "bench:peer: installing ${peer_packages[*]} into $prefix (once; ~600 packages)"
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "${peer_packages[@]}"
fi

data=${BENCH_DATA_DIR:-$PWD/.data/bench-peer}
# shellcheck source=private-infra.sh
. deploy/private-infra.sh
start_private_infra "$data" "${BENCH_PGPORT:-22432}" "${BENCH_KAFKA_PORT:-22092}" "${BENCH_KAFKA_CONTROLLER_PORT:-22093}"

export BENCH_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
export BENCH_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export BENCH_DATA_DIR="$data"
export BENCH_REPO_ROOT="$PWD"
export BENCH_PEER_PREFIX="$prefix"
node bench/dist/peer/main.js
