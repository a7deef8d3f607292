#!/bin/bash
# Run once by the official postgres image when it creates the primary's cluster
# (/docker-entrypoint-initdb.d): the role a streaming replica connects with, and the pg_hba.conf
# line that lets it in (replication connections match no "all" database line). A primary made
# before this script existed needs the same two steps by hand.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
