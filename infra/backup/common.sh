# Shared by backup.sh and restore.sh: settings, the tools they need, and what a backup holds.
# Settings come from the environment or .env (as `npm start` reads them), with `npm start`'s defaults.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The environment wins over .env: what is exported now is put back after reading it.
if [ -f "$ROOT/.env" ]; then
  exported="$(export -p)"
  set -a; source "$ROOT/.env"; set +a
  eval "$exported"
fi

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/quickcart}"
AUDIT_DATABASE_URL="${AUDIT_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/quickcart_audit}"
# Temporal's own state. docker-compose: its PostgreSQL databases (auto-setup makes `temporal` and
# `temporal_visibility`), comma-separated URLs. `npm start`: the dev server's SQLite file.
TEMPORAL_DATABASE_URLS="${TEMPORAL_DATABASE_URLS:-}"
TEMPORAL_SQLITE="${TEMPORAL_SQLITE:-$ROOT/.data/temporal/temporal.sqlite}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/.data/backups}"
BACKUP_KEEP="${BACKUP_KEEP:-14}"

say() { echo "[backup] $*" >&2; }
fail() { say "$*"; exit 1; }

# Each tool, and where it comes from when it is missing.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    case "$tool" in
      pg_dump | pg_restore | psql)
        fail "$tool is missing: install the PostgreSQL client, the server's major version or newer (Debian/Ubuntu: apt-get install postgresql-client; macOS: brew install libpq)" ;;
      sqlite3) fail "sqlite3 is missing (needed for Temporal's SQLite file): apt-get install sqlite3, or brew install sqlite" ;;
      *) fail "$tool is missing: install it (Debian/Ubuntu: apt-get install $tool)" ;;
    esac
  done
}

# A database URL without its password, for messages: host, port and name only.
where() { echo "$1" | sed -E 's#^[a-z]+://([^@/]*@)?##'; }

# The database's name: the URL's path without query.
db_name() { echo "$1" | sed -E 's#^[a-z]+://[^/]*/##; s#\?.*$##'; }

# The same server's maintenance database `postgres`, to create or drop another.
admin_url() {
  local url="$1" query=""
  case "$url" in *\?*) query="?${url#*\?}" ;; esac
  echo "${url%%/$(db_name "$url")*}/postgres$query"
}

# "label url" lines: every PostgreSQL database a backup holds, labelled for restore to map it back.
databases() {
  echo "shop $DATABASE_URL"
  [ "$AUDIT_DATABASE_URL" != "$DATABASE_URL" ] && echo "audit $AUDIT_DATABASE_URL"
  local i=0 url
  IFS=',' read -r -a urls <<<"$TEMPORAL_DATABASE_URLS"
  for url in "${urls[@]}"; do
    url="$(echo "$url" | tr -d '[:space:]')"
    [ -n "$url" ] && { i=$((i + 1)); echo "temporal$i $url"; }
  done
  return 0
}
