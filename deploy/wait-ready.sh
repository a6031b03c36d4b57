# Sourced by dev.sh and dev-cluster.sh.
# wait_ready URL PID LOG: waits up to 60 s for URL/ready; gives up at once, showing the log's tail, if PID exits.
wait_ready() {
  for _ in $(seq 1 300); do
    curl -fsS --max-time 2 "$1/ready" >/dev/null 2>&1 && return 0
    if ! kill -0 "$2" 2>/dev/null; then
      echo "$(basename "$0" .sh): the process for $1 exited; last lines of $3:" >&2
      tail -n 20 "$3" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "$(basename "$0" .sh): $1 did not become ready in 60 s; see $3" >&2
  return 1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
