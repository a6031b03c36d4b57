#!/usr/bin/env bash
# Stop the private cluster started by deploy/postgres/start.sh (pg_ctl stop -m fast).
# Quiet no-op if it is not running.
# Env: PG_DATA_DIR (same default as start.sh), PG_BIN, PG_STOP_TIMEOUT (60).
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$script_dir/common.sh"

resolve_data_dir 0
[ -f "$pg_data/postmaster.pid" ] || exit 0
# pg_ctl status: 0 = running, 3 = not running (stale pid file is handled by pg_ctl).
st=0; as_pg "$PG_BIN/pg_ctl" -D "$pg_data" status >/dev/null 2>&1 || st=$?
[ "$st" = 0 ] || exit 0
out=$(as_pg "$PG_BIN/pg_ctl" -D "$pg_data" -m fast -w -t "${PG_STOP_TIMEOUT:-60}" -s stop 2>&1) \
  || die "pg_ctl stop failed:"$'\n'"$out"
