#!/bin/bash
# The `postgres-replica` service: on its first start (empty data directory) a copy of the primary
# by pg_basebackup, whose -R writes standby.signal and primary_conninfo, so that PostgreSQL starts
# as a hot standby streaming from the primary; then the official image's entrypoint, which skips
# initialisation on an existing cluster and runs PostgreSQL as the postgres user.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -q; do sleep 1; done
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres \
    pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -R -X stream --progress
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
