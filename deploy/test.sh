#!/usr/bin/env bash
# Runs the whole test suite: unit tests, and integration and end-to-end tests against a real
# PostgreSQL and a real Kafka broker that this script starts on its own ports with fresh data,
# so it never touches a running dev system. Prints "N passed, N failed" last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh

# Two runs on one machine need their own ports (TEST_PGPORT, TEST_KAFKA_PORT, TEST_KAFKA_CONTROLLER_PORT) and TEST_DATA_DIR.
data=${TEST_DATA_DIR:-$PWD/.data/test}
# shellcheck source=private-infra.sh
. deploy/private-infra.sh
start_private_infra "$data" "${TEST_PGPORT:-15432}" "${TEST_KAFKA_PORT:-19092}" "${TEST_KAFKA_CONTROLLER_PORT:-19093}"

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
