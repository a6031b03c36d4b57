# Sourced by test.sh and bench.sh: a PostgreSQL and a Kafka broker of their own, on their own ports, with
# fresh data, stopped when the calling script exits. Ports stay below 32768, out of the kernel's range for
# outgoing connections, which could otherwise hold them.
# Usage: start_private_infra <data dir> <postgres port> <kafka port> <kafka controller port>
start_private_infra() {
  local data=$1
  export PGPORT=$2
  export PG_DATA_DIR="$data/postgres"
  export PG_LOG_FILE="$data/postgres.log"
  export KAFKA_PORT=$3
  export KAFKA_CONTROLLER_PORT=$4
  export KAFKA_DATA_DIR="$data/kafka"
  export KAFKA_LOG_FILE="$data/kafka.log"
  stop_private_infra
  rm -rf "$data"
  mkdir -p "$data/logs"
  trap stop_private_infra EXIT
  bash deploy/postgres/start.sh
  bash deploy/kafka/start.sh
}

stop_private_infra() {
  bash deploy/kafka/stop.sh >/dev/null 2>&1 || true
  bash deploy/postgres/stop.sh >/dev/null 2>&1 || true
}
