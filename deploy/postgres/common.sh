# Shared helpers for deploy/postgres/*.sh. Sourced, not executed.
# shellcheck shell=bash disable=SC2034  # variables here are used by the sourcing scripts

die() { printf 'postgres: error: %s\n' "$*" >&2; exit 1; }
note() { printf 'postgres: %s\n' "$*" >&2; }

script_dir=${script_dir:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
repo_root=$(cd "$script_dir/../.." && pwd)

PGPORT=${PGPORT:-5432}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_DB=inventory   # role = database = password = "inventory"
[ -x "$PG_BIN/postgres" ] || die "no PostgreSQL server binaries in PG_BIN=$PG_BIN (apt-get install postgresql-15)"
[[ "$PGPORT" =~ ^[0-9]+$ ]] || die "PGPORT must be a number, got '$PGPORT'"

# Don't let the caller's libpq environment redirect our admin connections.
unset PGHOST PGHOSTADDR PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS PGSSLMODE PGPASSFILE
export PGCONNECT_TIMEOUT=5

is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as the server's OS user: "postgres" when we are root (the
# server refuses to run as root), else ourselves. cwd / so the tools never
# trip over a working directory they cannot read.
as_pg() {
  if is_root; then
    (cd / && exec setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- "$@")
  else
    (cd / && exec "$@")
  fi
}

pg_can_reach() {  # pg_can_reach DIR: can the server user search/write DIR?
  if is_root; then
    (cd / && setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$1" -a -w "$1")
  else
    test -x "$1" -a -w "$1"
  fi
}

# Decide where the cluster lives. Sets pg_data, pg_log_file.
#   PG_DATA_DIR set      -> exactly there (error if the postgres user can't reach it)
#   unset (default)      -> <repo>/.data/postgres, or /tmp/inventory-pg-<uid>/data
#                           when running as root and the postgres OS user cannot
#                           traverse the repo path (e.g. a root-only /work).
# $1 = 1 to print the fallback notice.
resolve_data_dir() {
  local verbose=${1:-0} parent base
  if is_root && ! getent passwd postgres >/dev/null; then
    die "running as root but there is no 'postgres' OS user to run the server as"
  fi
  if [ -n "${PG_DATA_DIR:-}" ]; then
    pg_data=$PG_DATA_DIR
    parent=$(dirname "$pg_data")
    mkdir -p "$parent" || die "cannot create $parent"
    if is_root && ! (cd / && setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$parent"); then
      die "the postgres OS user cannot reach PG_DATA_DIR=$pg_data (chmod o+x its parent dirs, or pick another dir)"
    fi
  else
    pg_data="$repo_root/.data/postgres"
    parent=$(dirname "$pg_data")
    mkdir -p "$parent" 2>/dev/null || true
    if is_root && ! (cd / && setpriv --reuid=postgres --regid=postgres --init-groups -- test -x "$parent" 2>/dev/null); then
      base="/tmp/inventory-pg-$(id -u)"
      [ "$verbose" = 1 ] && note "the postgres OS user cannot reach $parent; using $base/data instead (set PG_DATA_DIR to choose)"
      pg_data="$base/data"
      parent=$base
      mkdir -p "$base"
      chmod 755 "$base"
      [ -O "$base" ] || die "$base exists but is not owned by $(id -un); remove it or set PG_DATA_DIR"
    fi
  fi
  pg_data=$(cd "$parent" && pwd)/$(basename "$pg_data")
  pg_log_file=${PG_LOG_FILE:-$(dirname "$pg_data")/postgres.log}
}

accepting() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -t 2; }

# Wait until the server accepts connections; $1 = timeout s, $2 = pid to watch (optional).
wait_ready() {
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    accepting && return 0
    if [ -n "${2:-}" ] && ! kill -0 "$2" 2>/dev/null; then return 2; fi
    sleep 0.3
  done
  return 1
}

psql_as() {  # psql_as USER DB [psql args...]
  local user=$1 db=$2; shift 2
  PGPASSWORD=$PG_DB "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U "$user" -d "$db" "$@"
}

# Pick a role that may create roles/databases: "postgres" on our own cluster
# (trust auth), or "inventory" on e.g. the docker-compose server where it is
# the superuser. Sets pg_admin.
find_admin() {
  local u
  for u in postgres "$PG_DB"; do
    if [ "$(psql_as "$u" postgres -Atc "select rolsuper or rolcreatedb from pg_roles where rolname = current_user" 2>/dev/null)" = t ]; then
      pg_admin=$u
      return 0
    fi
  done
  return 1
}

ensure_inventory_db() {
  if ! find_admin; then
    # Maybe all we can do is log in as inventory: good enough if the db is there.
    psql_as "$PG_DB" "$PG_DB" -Atc 'select 1' >/dev/null 2>&1 && return 0
    die "a server accepts connections on 127.0.0.1:$PGPORT but neither 'postgres' nor '$PG_DB' can log in to create the '$PG_DB' database"
  fi
  local out
  out=$(psql_as "$pg_admin" postgres 2>&1 <<SQL
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$PG_DB') AS need_role \gset
\if :need_role
CREATE ROLE $PG_DB LOGIN PASSWORD '$PG_DB' CREATEDB;
\endif
SELECT format('CREATE DATABASE %I OWNER %I', '$PG_DB', '$PG_DB')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$PG_DB') \gexec
SQL
) || die "creating role/database '$PG_DB' failed:"$'\n'"$out"
}
