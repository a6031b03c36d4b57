#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration and end-to-end tests against a real
# PostgreSQL and a real Kafka broker that this script starts on its own ports with fresh data,
# so it never touches a running dev system. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash deploy/setup.sh

export PGPORT=${TEST_PGPORT:-15432}
export PG_DATA_DIR="$PWD/.data/test/postgres"
export PG_LOG_FILE="$PWD/.data/test/postgres.log"
export KAFKA_PORT=${TEST_KAFKA_PORT:-19092}
export KAFKA_CONTROLLER_PORT=${TEST_KAFKA_CONTROLLER_PORT:-19093}
export KAFKA_DATA_DIR="$PWD/.data/test/kafka"
export KAFKA_LOG_FILE="$PWD/.data/test/kafka.log"

stop_infra() {
  bash deploy/kafka/stop.sh >/dev/null 2>&1 || true
  bash deploy/postgres/stop.sh >/dev/null 2>&1 || true
}
stop_infra
rm -rf .data/test
mkdir -p .data/test/logs
trap stop_infra EXIT
bash deploy/postgres/start.sh
bash deploy/kafka/start.sh

export TEST_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
export TEST_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"
export TEST_LOG_DIR="$PWD/.data/test/logs"

status=0
npx vitest run --reporter=default --reporter=json --outputFile=.data/test/results.json "$@" || status=$?
node -e '
  const r = require("./.data/test/results.json");
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || status=1
exit "$status"
