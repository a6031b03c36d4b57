#!/usr/bin/env bash
# Stop the broker started by deploy/kafka/start.sh (pid file in the data dir):
# SIGTERM, wait up to KAFKA_STOP_TIMEOUT (30) s for a clean shutdown, then SIGKILL.
# Env: KAFKA_DATA_DIR (<repo>/.data/kafka), KAFKA_STOP_TIMEOUT (30).
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$script_dir/common.sh"

if ! pid=$(running_pid); then
  rm -f "$pid_file"
  exit 0   # not running: nothing to do
fi
kill_broker "$pid" "${KAFKA_STOP_TIMEOUT:-30}"
