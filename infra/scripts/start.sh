#!/usr/bin/env bash
# Starts the whole QuickCart system on this machine and keeps it in the foreground; Ctrl-C stops
# everything it started. Installs what it needs on the first run. Settings come from the environment
# or a .env file (see .env.example).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ -f .env ]; then set -a; source .env; set +a; fi

TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"
export CATALOG_PORT="${CATALOG_PORT:-4001}"
LOGS="$ROOT/.data/logs"
mkdir -p "$LOGS"

bash infra/scripts/bootstrap.sh
echo "[start] building" >&2
npx tsc -b

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo "[start] stopping" >&2
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash infra/temporal/temporal.sh stop --port "$TEMPORAL_PORT"
}
trap stop_all INT TERM EXIT

bash infra/temporal/temporal.sh start --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"

# start_service NAME HEALTH_URL COMMAND...: runs a service in the background, logs to .data/logs/NAME.log,
# and waits for its health check.
start_service() {
  local name="$1" health="$2"
  shift 2
  "$@" >>"$LOGS/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do
    if curl -fsS "$health" >/dev/null 2>&1; then echo "[start] $name ready ($health)" >&2; return 0; fi
    if ! kill -0 "${PIDS[-1]}" 2>/dev/null; then
      echo "[start] $name exited; last lines of $LOGS/$name.log:" >&2
      tail -n 20 "$LOGS/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "[start] $name did not become healthy" >&2
  exit 1
}

start_service catalog "http://127.0.0.1:$CATALOG_PORT/health" node services/catalog/dist/main.js

cat <<INFO

QuickCart is running. Ctrl-C stops everything.
  Temporal Web UI   http://127.0.0.1:$TEMPORAL_UI_PORT   (find a payment: InvoiceId = 'INV...' or CustomerId = '...')
  Temporal server   $TEMPORAL_ADDRESS
  Catalog API       http://127.0.0.1:$CATALOG_PORT        (GET /products, GET /categories, GET /health)
  Logs              $LOGS/
INFO
wait -n "${PIDS[@]}"
echo "[start] a service exited; see $LOGS/" >&2
