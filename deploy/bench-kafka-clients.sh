#!/usr/bin/env bash
# Compares the Kafka clients (kafkajs and @platformatic/kafka) as the relay's producer and a replica's
# consumer: builds the harness, and unless BENCH_KAFKA_BROKERS names a broker, starts a private PostgreSQL
# and Kafka on their own ports with fresh data under .data/bench-kafka-clients (stopped on exit; the
# comparison needs only Kafka). Writes bench/results/kafka-clients.json and prints a markdown table.
#
# Env: BENCH_KAFKA_BROKERS (host:port,... of a broker to use instead of a private one), BENCH_QUICK=1 (one
#   short run), BENCH_KAFKA_CLIENTS_MESSAGES (200000), BENCH_KAFKA_CLIENTS_BATCH (500 per send),
#   BENCH_KAFKA_CLIENTS_PARTITIONS (6), BENCH_KAFKA_CLIENTS_RUNS (3), BENCH_KAFKA_CLIENTS_LATENCY_RATE (200 msg/s),
#   BENCH_KAFKA_CLIENTS_LATENCY_S (10), BENCH_PGPORT (27432), BENCH_KAFKA_PORT (27092),
#   BENCH_KAFKA_CONTROLLER_PORT (27093), BENCH_DATA_DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules/@platformatic/kafka ] || [ ! -d node_modules/kafkajs ]; then
  . deploy/node-runtime.sh
  bash deploy/setup.sh
fi
npx tsc -p bench

if [ -z "${BENCH_KAFKA_BROKERS:-}" ]; then
  data=${BENCH_DATA_DIR:-$PWD/.data/bench-kafka-clients}
  # shellcheck source=private-infra.sh
  . deploy/private-infra.sh
  start_private_infra "$data" "${BENCH_PGPORT:-27432}" "${BENCH_KAFKA_PORT:-27092}" "${BENCH_KAFKA_CONTROLLER_PORT:-27093}"
  export BENCH_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
fi
export BENCH_REPO_ROOT="$PWD"
# The product keeps kafkajs's default (Java-compatible) partitioner; its notice about that default is noise here.
export KAFKAJS_NO_PARTITIONER_WARNING=1
node bench/dist/kafka-clients/compare.js
