#!/usr/bin/env bash
# Runs the cluster suite (e2e/src/cluster/) against a real 3-node Kafka cluster with TLS, SASL/SCRAM and
# ACLs, and a private PostgreSQL, each started here on its own ports with fresh data under
# .data/test-cluster/. Prints "N passed, N failed" last. `npm run test:cluster`; .ci/run calls it after npm test.
# Env: TEST_CLUSTER_PGPORT (27290), TEST_CLUSTER_KAFKA_PORT_BASE (27190: clients 27191-27193),
#   TEST_CLUSTER_DATA_DIR (.data/test-cluster); arguments go to vitest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh

data=${TEST_CLUSTER_DATA_DIR:-$PWD/.data/test-cluster}
export PGPORT=${TEST_CLUSTER_PGPORT:-27290}
export PG_DATA_DIR="$data/postgres" PG_LOG_FILE="$data/postgres.log"
export KAFKA_CLUSTER_DIR="$data/kafka" KAFKA_CLUSTER_PORT_BASE=${TEST_CLUSTER_KAFKA_PORT_BASE:-27190}
export KAFKA_CLUSTER_STORES="S1 S2 S3"
stop_all() {
  bash deploy/kafka/cluster-stop.sh >/dev/null 2>&1 || true
  bash deploy/postgres/stop.sh >/dev/null 2>&1 || true
}
stop_all
rm -rf "$data"
mkdir -p "$data/logs"
trap stop_all EXIT
bash deploy/postgres/start.sh
bash deploy/kafka/cluster-start.sh

export TEST_PG_URL="postgres://inventory:inventory@127.0.0.1:$PGPORT"
base=$KAFKA_CLUSTER_PORT_BASE
export TEST_KAFKA_BROKERS="127.0.0.1:$((base + 1)),127.0.0.1:$((base + 2)),127.0.0.1:$((base + 3))"
export TEST_KAFKA_CLUSTER_DIR=$KAFKA_CLUSTER_DIR
export TEST_LOG_DIR="$data/logs" TEST_DATA_DIR="$data"

status=0
npx vitest run --config vitest.cluster.config.ts --reporter=default --reporter=json --outputFile="$data/results.json" "$@" || status=$?
RESULTS="$data/results.json" node -e '
  const r = require(process.env.RESULTS);
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || status=1
exit "$status"
