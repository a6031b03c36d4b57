#!/usr/bin/env bash
# Stops the nodes of the cluster started by deploy/kafka/cluster-start.sh: SIGTERM, then SIGKILL after
# KAFKA_STOP_TIMEOUT (30) s. Usage: deploy/kafka/cluster-stop.sh [node numbers...]   (default: all three)
# Env: KAFKA_CLUSTER_DIR, as for cluster-start.sh.
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=cluster-common.sh
. "$script_dir/cluster-common.sh"
nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=("${cluster_nodes[@]}")
pids=()
for n in "${nodes[@]}"; do
  pid_file=$(node_pid_file "$n")
  if pid=$(running_pid); then
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$n:$pid")
  else
    rm -f "$pid_file"
  fi
done
# The nodes stop together: one alone would wait for a quorum to hand its partitions to.
deadline=$((SECONDS + ${KAFKA_STOP_TIMEOUT:-30}))
for entry in "${pids[@]}"; do
  n=${entry%%:*}; pid=${entry#*:}
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "kafka-cluster: node $n (pid $pid) still alive, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$(node_pid_file "$n")"
done
