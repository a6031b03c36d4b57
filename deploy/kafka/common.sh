# Shared helpers for deploy/kafka/{start,stop}.sh. Sourced, not executed.
# shellcheck shell=bash disable=SC2034  # variables here are used by the sourcing scripts

die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

script_dir=${script_dir:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
repo_root=$(cd "$script_dir/../.." && pwd)

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_DATA_DIR=${KAFKA_DATA_DIR:-$repo_root/.data/kafka}
mkdir -p "$KAFKA_DATA_DIR" 2>/dev/null || die "cannot create KAFKA_DATA_DIR=$KAFKA_DATA_DIR"
KAFKA_DATA_DIR=$(cd "$KAFKA_DATA_DIR" && pwd)
KAFKA_LOG_FILE=${KAFKA_LOG_FILE:-$(dirname "$KAFKA_DATA_DIR")/kafka.log}

libs_dir="$script_dir/libs"
pid_file="$KAFKA_DATA_DIR/kafka.pid"
cluster_id_file="$KAFKA_DATA_DIR/cluster-id"
log_dirs="$KAFKA_DATA_DIR/kraft-logs"

find_java() {
  local j
  if [ -n "${JAVA:-}" ]; then j=$JAVA
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then j=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then j=$(command -v java)
  elif [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]; then j=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
  else die "no java found (install a JDK 11+ or set JAVA_HOME)"
  fi
  printf '%s\n' "$j"
}

# True if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  # shellcheck disable=SC2016
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# Print the pid from the pid file if that process is alive and is a Kafka broker.
running_pid() {
  local pid
  [ -s "$pid_file" ] || return 1
  pid=$(tr -d '[:space:]' <"$pid_file")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against pid reuse: the process must be our broker (or the tiny
  # bash that is about to exec it).
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  fi
  printf '%s\n' "$pid"
}

# Wait (up to KAFKA_START_TIMEOUT s) for the broker port.
# Returns 0 when up, 1 on timeout, 2 as soon as process $1 has exited.
wait_for_port() {
  local pid=$1 deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  while [ "$SECONDS" -lt "$deadline" ]; do
    port_open "$KAFKA_PORT" && return 0
    kill -0 "$pid" 2>/dev/null || return 2
    sleep 0.5
  done
  return 1
}

fail_with_log() {
  {
    printf 'kafka: error: %s\n' "$*"
    if [ -f "$KAFKA_LOG_FILE" ]; then
      printf -- '--- last 50 lines of %s ---\n' "$KAFKA_LOG_FILE"
      tail -n 50 "$KAFKA_LOG_FILE"
    fi
  } >&2
  exit 1
}

# kill_broker PID TIMEOUT: SIGTERM, wait up to TIMEOUT s, then SIGKILL.
kill_broker() {
  local pid=$1 t=$2 deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + t))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "kafka: broker (pid $pid) still alive after ${t}s, sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$pid_file"
}

# Download the broker jars into deploy/kafka/libs if missing, empty, or
# fetched with a different pom.xml. Atomic: a failed download leaves nothing.
ensure_libs() {
  local stamp want tmp out
  stamp="$libs_dir/.pom-cksum"
  want=$(cksum <"$script_dir/pom.xml")
  if compgen -G "$libs_dir/*.jar" >/dev/null && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "deploy/kafka/libs is empty and mvn is not installed (apt-get install maven)"
  tmp="$script_dir/.libs.tmp.$$"
  rm -rf "$tmp"
  if ! out=$(mvn -B -q -Dstyle.color=never -f "$script_dir/pom.xml" \
               dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime 2>&1); then
    rm -rf "$tmp"
    die "fetching Kafka jars with Maven failed:"$'\n'"$out"
  fi
  compgen -G "$tmp/*.jar" >/dev/null || { rm -rf "$tmp"; die "Maven succeeded but copied no jars"; }
  printf '%s\n' "$want" >"$tmp/.pom-cksum"
  rm -rf "$libs_dir"
  mv "$tmp" "$libs_dir"
}
