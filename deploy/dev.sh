#!/usr/bin/env bash
# Starts the whole local system: PostgreSQL, Kafka, the hub on :8080 (demo stores S1-S3 and SKUs
# seeded into an empty database) and the edge agent for store S1 on :8081. Ctrl-C stops what it started.
# OFFLINE_SALES=true npm run dev starts that agent with the offline sales journal (README, "Offline sales").
# Other ports: PGPORT, KAFKA_PORT (and KAFKA_CONTROLLER_PORT), HUB_PORT, AGENT_PORT; the hub and the agent are pointed
# at that PostgreSQL and Kafka unless DATABASE_URL / KAFKA_BROKERS say otherwise. DEV_LOG_DIR: where the logs go (.data).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

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
trap cleanup EXIT
# Stopped by a signal: exit (which cleans up) rather than go on as if a process had exited.
trap 'exit 130' INT
trap 'exit 143' TERM

port_open "${PGPORT:-5432}" || started+=(postgres)
bash deploy/postgres/start.sh
port_open "${KAFKA_PORT:-9092}" || started+=(kafka)
bash deploy/kafka/start.sh

export DATABASE_URL=${DATABASE_URL:-postgres://inventory:inventory@127.0.0.1:${PGPORT:-5432}/inventory}
export KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}}
mkdir -p "${DEV_LOG_DIR:-.data}"
logs=$(cd "${DEV_LOG_DIR:-.data}" && pwd)
# The processes log JSON lines; here they are made readable (LOG_PRETTY=false keeps the JSON).
pretty() {
  if [ "${LOG_PRETTY:-true}" = true ]; then node_modules/.bin/pino-pretty --singleLine --translateTime "SYS:HH:MM:ss.l"; else cat; fi
}

SEED_DEMO=${SEED_DEMO:-true} ALLOW_DEV_TOKEN=${ALLOW_DEV_TOKEN:-true} CONSOLE_DEV_SIGN_IN=${CONSOLE_DEV_SIGN_IN:-true} PORT=${HUB_PORT:-8080} bash hub/start.sh > >(pretty >>"$logs/hub.log") 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:${HUB_PORT:-8080}" "$!" "$logs/hub.log"
STORE_ID=${STORE_ID:-S1} PORT=${AGENT_PORT:-8081} AGENT_TOKEN=${AGENT_TOKEN:-$(node hub/dist/print-dev-tokens.js agent --stores "${STORE_ID:-S1}" --hours 720)} HUB_URL="http://127.0.0.1:${HUB_PORT:-8080}" \
  bash edge-agent/start.sh > >(pretty >>"$logs/agent.log") 2>&1 &
pids+=($!)
wait_ready "http://127.0.0.1:${AGENT_PORT:-8081}" "$!" "$logs/agent.log"

cat <<MSG
dev: ready
  hub        http://127.0.0.1:${HUB_PORT:-8080}   (logs: $logs/hub.log)
  agent S1   http://127.0.0.1:${AGENT_PORT:-8081}   (logs: $logs/agent.log)
  console    http://127.0.0.1:${HUB_PORT:-8080}/console   (signed in with the development token)
  token      devtoken (development only), or a signed one per role: npm run tokens
  try        curl 'http://127.0.0.1:${AGENT_PORT:-8081}/v1/availability?sku=A1'
Ctrl-C stops everything this command started.
MSG
wait -n "${pids[@]}" || true
echo "dev: a process exited; see $logs/hub.log and $logs/agent.log" >&2
