#!/bin/sh
# docker-compose's temporal-schema (temporalio/admin-tools image): creates Temporal's two databases in
# QuickCart's PostgreSQL and brings their schemas to this server version, as Temporal's own compose
# example does. Safe to run at every `docker compose up`: an existing database is kept, and
# update-schema applies only what is missing. A failure (PostgreSQL not accepting yet) is retried every
# 5 s until it succeeds, so the Temporal server, which waits for this to complete, never starts on a
# half-made schema.
set -u
: "${SQL_HOST:?}" "${SQL_USER:?}" "${SQL_PASSWORD:?}"
SCHEMA=/etc/temporal/schema/postgresql/v12

sql() { temporal-sql-tool --plugin postgres12 --ep "$SQL_HOST" -p "${SQL_PORT:-5432}" -u "$SQL_USER" "$@"; }

# setup DB SCHEMA_DIR: the database (created when missing), its schema, then every versioned update.
setup() {
  sql --db "$1" create || echo "[temporal-schema] $1: not created (it may exist already)"
  sql --db "$1" setup-schema -v 0.0 || return 1
  sql --db "$1" update-schema -d "$SCHEMA/$2/versioned" || return 1
}

until setup temporal temporal && setup temporal_visibility visibility; do
  echo '[temporal-schema] setup failed; retrying in 5 s' >&2
  sleep 5
done
echo '[temporal-schema] schema up to date'
