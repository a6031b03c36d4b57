#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration and end-to-end tests against a real
# PostgreSQL and a real Kafka broker that this script starts on its own ports with fresh data,
# so it never touches a running dev system. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash deploy/setup.sh

# Two runs on one machine need their own ports and TEST_DATA_DIR.
data=${TEST_DATA_DIR:-$PWD/.data/test}
export PGPORT=${TEST_PGPORT:-15432}
export PG_DATA_DIR="$data/postgres"
export PG_LOG_FILE="$data/postgres.log"
export KAFKA_PORT=${TEST_KAFKA_PORT:-19092}
export KAFKA_CONTROLLER_PORT=${TEST_KAFKA_CONTROLLER_PORT:-19093}
export KAFKA_DATA_DIR="$data/kafka"
export KAFKA_LOG_FILE="$data/kafka.log"

stop_infra() {
  bash deploy/kafka/stop.sh >/dev/null 2>&1 || true
  bash deploy/postgres/stop.sh >/dev/null 2>&1 || true
}
stop_infra
rm -rf "$data"
mkdir -p "$data/logs"
trap stop_infra EXIT
bash deploy/postgres/start.sh
bash deploy/kafka/start.sh

export TEST_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
export TEST_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export TEST_LOG_DIR="$data/logs"
export TEST_DATA_DIR="$data"

status=0
npx vitest run --reporter=default --reporter=json --outputFile="$data/results.json" "$@" || status=$?
RESULTS="$data/results.json" node -e '
  const r = require(process.env.RESULTS);
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || status=1
exit "$status"
