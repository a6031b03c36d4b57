#!/usr/bin/env bash
# Runs the API collection (docs/postman.json, "Run in order") with newman against a fresh `npm run dev` system of its
# own: PostgreSQL, Kafka, hub and agent on their own ports with fresh data, stopped at the end. Exits non-zero when
# the collection is not what openapi.yaml generates or when any request or test fails.
# Ports: TEST_PGPORT, TEST_KAFKA_PORT, TEST_KAFKA_CONTROLLER_PORT, TEST_HUB_PORT, TEST_AGENT_PORT; data: TEST_DATA_DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. deploy/node-runtime.sh
bash deploy/setup.sh
# shellcheck source=wait-ready.sh
. deploy/wait-ready.sh
node deploy/postman/generate.mjs --check

data=$(mkdir -p "${TEST_DATA_DIR:-.data/postman}" && cd "${TEST_DATA_DIR:-.data/postman}" && pwd)
export PGPORT=${TEST_PGPORT:-15532} KAFKA_PORT=${TEST_KAFKA_PORT:-19192} KAFKA_CONTROLLER_PORT=${TEST_KAFKA_CONTROLLER_PORT:-19193}
export HUB_PORT=${TEST_HUB_PORT:-18080} AGENT_PORT=${TEST_AGENT_PORT:-18081}
for port in "$PGPORT" "$KAFKA_PORT" "$HUB_PORT" "$AGENT_PORT"; do
  if port_open "$port"; then echo "test-postman: port $port is taken; choose others (TEST_*PORT)" >&2; exit 1; fi
done
rm -rf "$data"
mkdir -p "$data"
export PG_DATA_DIR="$data/postgres" PG_LOG_FILE="$data/postgres.log" KAFKA_DATA_DIR="$data/kafka" KAFKA_LOG_FILE="$data/kafka.log"
export HUB_REPLICA_PATH="$data/hub-replica.sqlite" AGENT_REPLICA_PATH="$data/agent-S1.sqlite" OFFLINE_JOURNAL_PATH="$data/agent-S1-offline.sqlite"
export DEV_LOG_DIR="$data" LOG_PRETTY=false OFFLINE_SALES=true
# Webhook subscriptions in the run point at this host (run-plan.mjs).
export WEBHOOK_ALLOW_PRIVATE_TARGETS=127.0.0.0/8

# dev.sh stops what it started when it is stopped, which this script does when it exits.
bash deploy/dev.sh >"$data/dev.log" 2>&1 &
dev=$!
stop_dev() {
  kill -TERM "$dev" 2>/dev/null || true
  wait "$dev" 2>/dev/null || true
}
trap stop_dev EXIT
for _ in $(seq 1 900); do
  grep -q '^dev: ready' "$data/dev.log" && break
  kill -0 "$dev" 2>/dev/null || { echo "test-postman: the dev system did not start:" >&2; tail -n 30 "$data/dev.log" >&2; exit 1; }
  sleep 0.2
done
grep -q '^dev: ready' "$data/dev.log" || { echo "test-postman: the dev system was not ready in 180 s; see $data" >&2; exit 1; }

start=$(date +%s)
status=0
node_modules/.bin/newman run docs/postman.json --folder "Run in order" --bail failure \
  --env-var "hubUrl=http://127.0.0.1:$HUB_PORT" --env-var "agentUrl=http://127.0.0.1:$AGENT_PORT" \
  --env-var "token=$(node hub/dist/print-dev-tokens.js admin --hours 1)" \
  --timeout-request 10000 --reporters cli --color off || status=$?
echo "test-postman: newman ran in $(( $(date +%s) - start )) s (logs: $data)"
exit "$status"
