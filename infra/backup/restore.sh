#!/usr/bin/env bash
# npm run restore -- FILE [--force]: puts a backup made by backup.sh back (docs/operations.md §13).
# Each database goes into the database its setting names today (DATABASE_URL, AUDIT_DATABASE_URL,
# TEMPORAL_DATABASE_URLS in order, TEMPORAL_SQLITE), created if missing. A database that already holds
# tables (or a SQLite file that exists) is refused, before anything is written, unless --force: then it
# is dropped and made again. Stop QuickCart and Temporal first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

file="" force=0
for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -*) fail "unknown option $arg. Usage: npm run restore -- FILE [--force]" ;;
    *) [ -z "$file" ] || fail "one backup file at a time. Usage: npm run restore -- FILE [--force]"; file="$arg" ;;
  esac
done
[ -n "$file" ] || fail "which backup? Usage: npm run restore -- FILE [--force]   e.g. npm run restore -- .data/backups/quickcart-20261207T030000Z.tar.gz"
[ -f "$file" ] || fail "no such file: $file"
need pg_restore psql tar gzip

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xzf "$file" || fail "$file is not a backup made by npm run backup (tar.gz)"
[ -f "$work/MANIFEST" ] || fail "$file has no MANIFEST: not a backup made by npm run backup"

# The target of each label, from today's settings.
declare -A target
while read -r label url; do target[$label]="$url"; done < <(databases)
sqlite_target="$TEMPORAL_SQLITE"

psql_at() { psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --dbname="$1" --command="$2"; }
exists() { [ "$(psql_at "$(admin_url "$1")" "SELECT count(*) FROM pg_database WHERE datname = '$(db_name "$1")'")" = 1 ]; }
# Tables, views and sequences outside PostgreSQL's own schemas: an empty database has none.
relations() {
  psql_at "$1" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
}

# First every check, so a refusal leaves everything as it was.
mapfile -t entries < <(grep -v '^#' "$work/MANIFEST")
for entry in "${entries[@]}"; do
  read -r kind label dump <<<"$entry"
  [ -f "$work/$dump" ] || fail "the backup lists $dump but does not hold it"
  if [ "$kind" = postgres ]; then
    url="${target[$label]:-}"
    [ -n "$url" ] || fail "the backup holds $label but no setting names its database (Temporal's: TEMPORAL_DATABASE_URLS)"
    [[ "$(db_name "$url")" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || fail "database name $(db_name "$url") must be letters, digits, _"
    if exists "$url" && [ "$(relations "$url")" != 0 ] && [ "$force" = 0 ]; then
      fail "$(where "$url") is not empty: restore into a fresh database, or add --force to drop it and replace it with the backup"
    fi
  elif [ "$kind" = sqlite ]; then
    [ "$sqlite_target" != none ] || fail "the backup holds Temporal's SQLite file but TEMPORAL_SQLITE is 'none'"
    if [ -s "$sqlite_target" ] && [ "$force" = 0 ]; then
      fail "$sqlite_target exists: stop Temporal and restore to a new TEMPORAL_SQLITE path, or add --force to replace it"
    fi
  else
    fail "unknown entry in MANIFEST: $entry"
  fi
done

for entry in "${entries[@]}"; do
  read -r kind label dump <<<"$entry"
  if [ "$kind" = postgres ]; then
    url="${target[$label]}" name="$(db_name "${target[$label]}")"
    if exists "$url" && [ "$force" = 1 ]; then
      say "dropping $(where "$url") (--force)"
      psql_at "$(admin_url "$url")" "DROP DATABASE \"$name\" WITH (FORCE)" >/dev/null
    fi
    exists "$url" || psql_at "$(admin_url "$url")" "CREATE DATABASE \"$name\"" >/dev/null
    say "restoring $label into $(where "$url")"
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$work/$dump" ||
      fail "pg_restore of $label into $(where "$url") failed; nothing of it was kept (one transaction)"
  else
    say "restoring Temporal's SQLite database to $sqlite_target"
    mkdir -p "$(dirname "$sqlite_target")"
    rm -f "$sqlite_target-wal" "$sqlite_target-shm" "$sqlite_target-journal"
    cp "$work/$dump" "$sqlite_target.restoring"
    mv "$sqlite_target.restoring" "$sqlite_target"
  fi
done
say "restored $file; start QuickCart (and Temporal) again"
