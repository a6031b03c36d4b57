#!/usr/bin/env bash
# Runs the benchmarks (bench/): builds everything, starts a PostgreSQL and a Kafka broker of its own on
# their own ports with fresh data under .data/bench (never touching a dev or test system), then the
# orchestrator, which starts a hub and an agent, seeds them through the API and loads them with autocannon
# and pgbench. Writes bench/results/latest.json and prints a markdown table.
#
# Env: BENCH_QUICK=1 (a ~3-minute smoke run), BENCH_DURATION_S (seconds per load run; 30, quick 3),
#   BENCH_RUNS (3), BENCH_ONLY (comma-separated figures: spreadWrites,hotSku,flashSale,replicationLag,
#   agentReads,rebuild,fleet), BENCH_SKUS, BENCH_REBUILD_EVENTS, BENCH_FOOTPRINT_ITEMS, BENCH_LOG_LEVEL (info),
#   BENCH_CPU_PROF=1, BENCH_HUB_ENV and BENCH_AGENT_ENV ("NAME=value ..." added to their environments),
#   BENCH_AGENT_NODE_ARGS (node options after edge-agent/start.sh's own), BENCH_HUB_NODE_ARGS (the hub's),
#   BENCH_HOT_SKU_RATE (the hot-SKU latency run's rate; half the saturated rate without it), BENCH_SYSTEM_ROOT
#   (see below),
#   BENCH_PGPORT (25432), BENCH_KAFKA_PORT (29092), BENCH_KAFKA_CONTROLLER_PORT (29093), BENCH_DATA_DIR
#   (.data/bench), BENCH_HUB_PORT (28080), BENCH_AGENT_PORT (28081), BENCH_REBUILD_AGENT_PORT (28082),
#   BENCH_CEILING_PORT (28090); two benchmarks on one machine need different ones of each.
# The fleet figure (its own hub and agent, a synthetic chain seeded straight into PostgreSQL): BENCH_FLEET_STORES
#   (200, quick 40), BENCH_FLEET_SKUS (5000, quick 2000), BENCH_FLEET_WRITING_STORES (20),
#   BENCH_FLEET_WRITES_PER_S (250), BENCH_FLEET_PARTITIONS (stores / 4), BENCH_FLEET_WINDOW_S (30, quick 10),
#   BENCH_FLEET_RESTARTS (5), BENCH_FLEET_HUB_PORT (28083), BENCH_FLEET_AGENT_PORT (28084).
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
# BENCH_SYSTEM_ROOT: another built checkout whose hub and agents this bench measures, for a before/after pair.
export BENCH_REPO_ROOT="$PWD"
node bench/dist/main.js
