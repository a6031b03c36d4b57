#!/usr/bin/env bash
# Create extra database(s) owned by "inventory" if missing, on the server at
# 127.0.0.1:$PGPORT (e.g. one database per test file). Idempotent and safe to
# run concurrently for the same name.
# Usage: deploy/postgres/create-db.sh NAME [NAME...]
# Env: PGPORT (5432), PG_BIN (/usr/lib/postgresql/15/bin).
set -euo pipefail
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=common.sh
. "$script_dir/common.sh"

[ "$#" -ge 1 ] || die "usage: $0 NAME [NAME...]"
for name in "$@"; do
  [[ "$name" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{0,62}$ ]] \
    || die "invalid database name '$name' (letters, digits, _ and -, max 63)"
done
accepting || die "no PostgreSQL accepting connections on 127.0.0.1:$PGPORT (run deploy/postgres/start.sh)"
find_admin || die "cannot log in as 'postgres' or '$PG_DB' with CREATEDB on 127.0.0.1:$PGPORT"

exists() { [ "$(psql_as "$pg_admin" postgres -Atc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

for name in "$@"; do
  exists "$name" && continue
  if ! out=$(psql_as "$pg_admin" postgres -c "CREATE DATABASE \"$name\" OWNER $PG_DB" 2>&1); then
    exists "$name" || die "CREATE DATABASE $name failed:"$'\n'"$out"   # else: lost a race, fine
  fi
done
