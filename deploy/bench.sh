#!/usr/bin/env bash
# Runs the benchmarks (bench/): builds everything, starts a PostgreSQL and a Kafka broker of its own on
# their own ports with fresh data under .data/bench (never touching a dev or test system), then the
# orchestrator, which starts a hub and an agent, seeds them through the API and loads them with autocannon
# and pgbench. Writes bench/results/latest.json and prints a markdown table.
#
# Env: BENCH_QUICK=1 (a ~3-minute smoke run), BENCH_DURATION_S (seconds per load run; 30, quick 3),
#   BENCH_RUNS (3), BENCH_ONLY (comma-separated figures: spreadWrites,hotSku,flashSale,replicationLag,
#   agentReads,rebuild), BENCH_SKUS, BENCH_REBUILD_EVENTS, BENCH_FOOTPRINT_ITEMS, BENCH_LOG_LEVEL (info),
#   BENCH_CPU_PROF=1, BENCH_HUB_ENV and BENCH_AGENT_ENV ("NAME=value ..." added to their environments),
#   BENCH_AGENT_NODE_ARGS (node options after edge-agent/start.sh's own),
#   BENCH_PGPORT (25432), BENCH_KAFKA_PORT (29092), BENCH_KAFKA_CONTROLLER_PORT (29093), BENCH_DATA_DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh
npx tsc -p bench

data=${BENCH_DATA_DIR:-$PWD/.data/bench}
# shellcheck source=private-infra.sh
. deploy/private-infra.sh
# The replication-lag figure reads each probe's commit time from PostgreSQL.
export PG_EXTRA_CONF="track_commit_timestamp = on"
start_private_infra "$data" "${BENCH_PGPORT:-25432}" "${BENCH_KAFKA_PORT:-29092}" "${BENCH_KAFKA_CONTROLLER_PORT:-29093}"

export BENCH_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
export BENCH_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export BENCH_DATA_DIR="$data"
export BENCH_REPO_ROOT="$PWD"
node bench/dist/main.js
