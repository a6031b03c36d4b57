#!/usr/bin/env bash
# Starts the whole local system: PostgreSQL, Kafka, the hub on :8080 (demo stores S1-S3 and SKUs
# seeded into an empty database) and the edge agent for store S1 on :8081. Ctrl-C stops what it started.
# OFFLINE_SALES=true npm run dev starts that agent with the offline sales journal (README, "Offline sales").
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

. deploy/node-runtime.sh
bash deploy/setup.sh
# shellcheck source=wait-ready.sh
. deploy/wait-ready.sh

started=()
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo "dev: stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for s in "${started[@]}"; do bash "deploy/$s/stop.sh" || true; done
}
trap cleanup INT TERM EXIT

port_open "${PGPORT:-5432}" || started+=(postgres)
bash deploy/postgres/start.sh
port_open "${KAFKA_PORT:-9092}" || started+=(kafka)
bash deploy/kafka/start.sh

mkdir -p .data
# The processes log JSON lines; here they are made readable (LOG_PRETTY=false keeps the JSON).
pretty() {
  if [ "${LOG_PRETTY:-true}" = true ]; then node_modules/.bin/pino-pretty --singleLine --translateTime "SYS:HH:MM:ss.l"; else cat; fi
}

SEED_DEMO=${SEED_DEMO:-true} ALLOW_DEV_TOKEN=${ALLOW_DEV_TOKEN:-true} CONSOLE_DEV_SIGN_IN=${CONSOLE_DEV_SIGN_IN:-true} PORT=${HUB_PORT:-8080} node hub/dist/main.js > >(pretty >>.data/hub.log) 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:${HUB_PORT:-8080}" "$!" .data/hub.log
STORE_ID=${STORE_ID:-S1} PORT=${AGENT_PORT:-8081} AGENT_TOKEN=${AGENT_TOKEN:-$(node hub/dist/print-dev-tokens.js agent --stores "${STORE_ID:-S1}" --hours 720)} HUB_URL="http://127.0.0.1:${HUB_PORT:-8080}" \
  bash edge-agent/start.sh > >(pretty >>.data/agent.log) 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:${AGENT_PORT:-8081}" "$!" .data/agent.log

cat <<MSG
dev: ready
  hub        http://127.0.0.1:${HUB_PORT:-8080}   (logs: $root/.data/hub.log)
  agent S1   http://127.0.0.1:${AGENT_PORT:-8081}   (logs: $root/.data/agent.log)
  console    http://127.0.0.1:${HUB_PORT:-8080}/console   (signed in with the development token)
  token      devtoken (development only), or a signed one per role: npm run tokens
  try        curl 'http://127.0.0.1:${AGENT_PORT:-8081}/v1/availability?sku=A1'
Ctrl-C stops everything this command started.
MSG
wait -n "${pids[@]}" || true
echo "dev: a process exited; see .data/hub.log and .data/agent.log" >&2
