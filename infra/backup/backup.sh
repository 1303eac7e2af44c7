#!/usr/bin/env bash
# npm run backup: one compressed, timestamped file holding every database QuickCart needs to come back
# (docs/operations.md §13): the shop (orders and catalog schemas), the audit log, and Temporal's state,
# as pg_dump custom-format dumps and a consistent copy of the dev server's SQLite file. Keeps the newest
# BACKUP_KEEP files in BACKUP_DIR. Nothing half-written is ever left under a backup's name.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

need pg_dump tar gzip
[[ "$BACKUP_KEEP" =~ ^[1-9][0-9]*$ ]] || fail "BACKUP_KEEP must be a whole number of backups to keep, 1 or more (got '$BACKUP_KEEP')"
mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
name="quickcart-$stamp.tar.gz"
work="$(mktemp -d "$BACKUP_DIR/.partial-$stamp.XXXXXX")"
partial="$BACKUP_DIR/.$name.partial"
# Each run is recorded in the shop database for the owner's backup alert (docs/operations.md §16); best
# effort: a database that cannot take the row is what the alert is for.
record_run() {
  command -v psql >/dev/null 2>&1 || return 0
  psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname="$DATABASE_URL" \
    --command="INSERT INTO orders.backup_runs (ok, file) VALUES ($1, '$2')" >/dev/null 2>&1 || true
}
trap 'status=$?; rm -rf "$work" "$partial"; [ "$status" = 0 ] || record_run false ""' EXIT

{
  echo "# QuickCart backup $stamp: kind label file"
} >"$work/MANIFEST"
while read -r label url; do
  say "dumping $label ($(where "$url"))"
  # Custom format: compressed, and pg_restore can put it into a database of any name.
  pg_dump --format=custom --no-owner --no-privileges --file="$work/$label.dump" --dbname="$url" ||
    fail "pg_dump of $label ($(where "$url")) failed"
  echo "postgres $label $label.dump" >>"$work/MANIFEST"
done < <(databases)

if [ "${TEMPORAL_SQLITE}" != "none" ] && [ -f "$TEMPORAL_SQLITE" ]; then
  need sqlite3
  say "copying Temporal's SQLite database ($TEMPORAL_SQLITE)"
  # SQLite's online backup: a consistent snapshot while the dev server keeps writing (it waits up to
  # 30 s for the server's write lock rather than copying a file caught mid-write).
  sqlite3 -cmd ".timeout 30000" "$TEMPORAL_SQLITE" ".backup '$work/temporal.sqlite'" ||
    fail "sqlite3 .backup of $TEMPORAL_SQLITE failed"
  echo "sqlite temporal temporal.sqlite" >>"$work/MANIFEST"
elif [ -z "$TEMPORAL_DATABASE_URLS" ]; then
  say "no Temporal database to back up (TEMPORAL_SQLITE $TEMPORAL_SQLITE not found, TEMPORAL_DATABASE_URLS empty)"
fi

tar -C "$work" -czf "$partial" .
mv "$partial" "$BACKUP_DIR/$name"
say "wrote $BACKUP_DIR/$name ($(du -h "$BACKUP_DIR/$name" | cut -f1))"
record_run true "$name"

# Retention: the newest BACKUP_KEEP; names sort by time.
mapfile -t old < <(ls -1 "$BACKUP_DIR" | grep -E '^quickcart-[0-9]{8}T[0-9]{6}Z\.tar\.gz$' | sort -r | tail -n +"$((BACKUP_KEEP + 1))")
for f in "${old[@]}"; do
  rm -f "$BACKUP_DIR/$f"
  say "removed $f (BACKUP_KEEP=$BACKUP_KEEP)"
done
echo "$BACKUP_DIR/$name"
