#!/usr/bin/env bash
# The outbox relay's own ceiling (bench/src/relay-ceiling.ts): a PostgreSQL and a Kafka broker of its own,
# fresh data under .data/bench-relay; writes bench/results/relay-ceiling.json.
# Env: RELAY_EVENTS (200000), RELAY_BATCH_SIZES ("500,2000"), RELAY_STORES (200),
#   BENCH_PGPORT (25532), BENCH_KAFKA_PORT (29192), BENCH_KAFKA_CONTROLLER_PORT (29193).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh
npx tsc -p bench

data=$PWD/.data/bench-relay
# shellcheck source=private-infra.sh
. deploy/private-infra.sh
start_private_infra "$data" "${BENCH_PGPORT:-25532}" "${BENCH_KAFKA_PORT:-29192}" "${BENCH_KAFKA_CONTROLLER_PORT:-29193}"

export BENCH_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
export BENCH_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export BENCH_DATA_DIR="$data"
export BENCH_REPO_ROOT="$PWD"
node bench/dist/relay-ceiling.js
