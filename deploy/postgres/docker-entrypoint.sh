#!/bin/sh
# Entrypoint of deploy/postgres/Dockerfile: on the first start (empty PGDATA) creates the cluster with the
# superuser POSTGRES_USER (default postgres) and password POSTGRES_PASSWORD, and the database POSTGRES_DB
# (default POSTGRES_USER); then runs postgres listening on every address. As in the official image, arguments
# that start with `-` are options for postgres, any other command is run as given.
set -eu
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi
shift

user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo 'error: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one)' >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  initdb --pgdata="$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host="$auth" >/dev/null
  rm -f "$pwfile"
  # initdb only lets in loopback clients over TCP; the container's port is reached from other addresses.
  printf 'host all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    # Single-user mode: no server listens until the cluster is complete, so readiness checks never see it early.
    quoted=$(printf '%s' "$database" | sed 's/"/""/g')
    echo "CREATE DATABASE \"$quoted\"" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "PostgreSQL init process complete; user $user, database $database"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
