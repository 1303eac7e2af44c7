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
export CATALOG_PORT="${CATALOG_PORT:-4001}" ORDERS_PORT="${ORDERS_PORT:-4002}"
export CATALOG_URL="${CATALOG_URL:-http://127.0.0.1:$CATALOG_PORT}" ORDERS_URL="${ORDERS_URL:-http://127.0.0.1:$ORDERS_PORT}"
export GATEWAY_URL="${GATEWAY_URL:-http://127.0.0.1:4003}"

# Sandbox mode: without a real Pakasir key, payments go to the local Pakasir emulator.
SANDBOX=0
if [ -z "${PAKASIR_API_KEY:-}" ]; then
  SANDBOX=1
  export PAKASIR_SANDBOX_PORT="${PAKASIR_SANDBOX_PORT:-4100}"
  export PAKASIR_BASE_URL="http://127.0.0.1:$PAKASIR_SANDBOX_PORT"
  export PAKASIR_PROJECT="${PAKASIR_PROJECT:-quickcart-sandbox}" PAKASIR_API_KEY="sandbox-key"
  export PAKASIR_WEBHOOK_SECRET="${PAKASIR_WEBHOOK_SECRET:-sandbox-webhook-secret-local}"
  export PAKASIR_WEBHOOK_URL="$ORDERS_URL/webhooks/pakasir/$PAKASIR_WEBHOOK_SECRET"
  export ADMIN_IDS="${ADMIN_IDS:-100000001}"
fi
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
start_service orders "$ORDERS_URL/health" node services/orders/dist/main.js
if [ "$SANDBOX" = 1 ]; then
  start_service pakasir-sandbox "$PAKASIR_BASE_URL/health" node infra/sandbox/dist/pakasir-main.js
  node infra/sandbox/dist/demo-seed.js
fi
# Until the bot (gateway) exists, a stand-in answers /notify and logs which message went where.
NOTIFY_RECORDER_PORT="${GATEWAY_URL##*:}" start_service notify "$GATEWAY_URL/health" node packages/notify/dist/recorder-main.js

# The worker has no HTTP port: it is healthy once it runs.
node workflows/dist/worker/main.js >>"$LOGS/worker.log" 2>&1 &
PIDS+=($!)

cat <<INFO

QuickCart is running. Ctrl-C stops everything.
  Temporal Web UI   http://127.0.0.1:$TEMPORAL_UI_PORT   (find a payment: InvoiceId = 'INV...' or CustomerId = '...')
  Temporal server   $TEMPORAL_ADDRESS
  Catalog API       $CATALOG_URL        (GET /products, GET /categories)
  Orders API        $ORDERS_URL        (POST /users, POST /checkout, POST /deposits, GET /orders/INV...)
  Logs              $LOGS/
INFO
if [ "$SANDBOX" = 1 ]; then cat <<INFO
  Pakasir sandbox   $PAKASIR_BASE_URL   (pay page: $PAKASIR_BASE_URL/pay/$PAKASIR_PROJECT/<amount>?order_id=<invoice>)

Try a purchase (sandbox):
  curl -s -XPOST $ORDERS_URL/users -H 'content-type: application/json' -d '{"id": 555, "name": "Budi"}'
  curl -s -XPOST $ORDERS_URL/checkout -H 'content-type: application/json' \
       -d '{"userId": 555, "productId": 1, "quantity": 1, "paymentMethod": "qris"}'
  then open the pay page with the invoice id and amount it printed, press the button, and find the
  invoice in the Web UI (InvoiceId = '...'); $LOGS/notify.log shows the messages the bot would send.
INFO
fi
wait -n "${PIDS[@]}"
echo "[start] a service exited; see $LOGS/" >&2
