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
# Orders' public listener: only Pakasir's webhook (docs/security.md).
export PAKASIR_WEBHOOK_PORT="${PAKASIR_WEBHOOK_PORT:-4012}"

# Sandbox mode: without a real Pakasir key, payments go to the local Pakasir emulator.
SANDBOX=0
if [ -z "${PAKASIR_API_KEY:-}" ]; then
  SANDBOX=1
  export PAKASIR_SANDBOX_PORT="${PAKASIR_SANDBOX_PORT:-4100}"
  export PAKASIR_BASE_URL="http://127.0.0.1:$PAKASIR_SANDBOX_PORT"
  export PAKASIR_PROJECT="${PAKASIR_PROJECT:-quickcart-sandbox}" PAKASIR_API_KEY="sandbox-key"
  export PAKASIR_WEBHOOK_SECRET="${PAKASIR_WEBHOOK_SECRET:-sandbox-webhook-secret-local}"
  export PAKASIR_WEBHOOK_URL="http://127.0.0.1:$PAKASIR_WEBHOOK_PORT/webhooks/pakasir/$PAKASIR_WEBHOOK_SECRET"
  export ADMIN_IDS="${ADMIN_IDS:-100000001}"
fi
# Without a bot token, the bot talks to the local Telegram emulator; a person chats in the browser.
TG_SANDBOX=0
if [ -z "${TELEGRAM_BOT_TOKEN:-}" ]; then
  TG_SANDBOX=1
  export TELEGRAM_SANDBOX_PORT="${TELEGRAM_SANDBOX_PORT:-4200}"
  export TELEGRAM_BOT_TOKEN="sandbox-token" TELEGRAM_API_ROOT="http://127.0.0.1:$TELEGRAM_SANDBOX_PORT"
  export ADMIN_IDS="${ADMIN_IDS:-100000001}"
fi
export GATEWAY_PORT="${GATEWAY_PORT:-${GATEWAY_URL##*:}}"
# Each calling process carries a token of its own (GATEWAY_, WORKER_, ORDERS_API_TOKEN), and so does
# Prometheus (METRICS_API_TOKEN, for /metrics and /ready); the services check each by its SHA-256
# (…_API_TOKEN_SHA256), docs/security.md. Sandbox mode (no bot token)
# makes any missing token for this run; with a real bot token they must be set, or the services refuse
# to start and name them. A digest left unset is computed here from its token (this host runs all four).
for var in GATEWAY_API_TOKEN WORKER_API_TOKEN ORDERS_API_TOKEN METRICS_API_TOKEN; do
  if [ -z "${!var:-}" ] && [ "$TG_SANDBOX" = 1 ]; then
    printf -v "$var" '%s' "$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')"
  fi
  [ -n "${!var:-}" ] || continue
  export "${var?}"
  digest="${var}_SHA256"
  if [ -z "${!digest:-}" ]; then
    # The token goes in the environment, not on the command line, where ps would show it.
    printf -v "$digest" '%s' "$(QC_TOKEN="${!var}" node -e 'process.stdout.write(require("crypto").createHash("sha256").update(process.env.QC_TOKEN).digest("hex"))')"
    export "${digest?}"
  fi
done
# /version shows the commit the running build came from.
export BUILD_COMMIT="${BUILD_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo dev)}"
# Sessions in Redis when one answers on the default port; otherwise in memory (one gateway process).
if [ -z "${REDIS_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then export REDIS_URL="redis://127.0.0.1:6379"; fi
LOGS="$ROOT/.data/logs"
mkdir -p "$LOGS"

bash infra/scripts/bootstrap.sh
echo "[start] building" >&2
npx tsc -b

# PostgreSQL: DATABASE_URL, else the server on 127.0.0.1:5432, else the embedded one (infra/scripts/postgres.sh).
source infra/scripts/postgres.sh
EMBEDDED_PG_PID=""
if embedded_postgres_wanted "${DATABASE_URL:-}"; then
  # Until stop_all takes over below: a start that fails here leaves no server behind.
  trap stop_embedded_postgres EXIT
  start_embedded_postgres "$ROOT/.data/postgres" "$LOGS/postgres.log"
  export DATABASE_URL="${EMBEDDED_PG_URL%/postgres}/quickcart"
  export AUDIT_DATABASE_URL="${AUDIT_DATABASE_URL:-${EMBEDDED_PG_URL%/postgres}/quickcart_audit}"
fi

# Every process runs under a supervisor (supervise, below). While the system starts, a process that
# exits stops it all with its last log lines: a setting is wrong. Once it runs ($UP exists), a process
# that exits is started again: one crash or database blip must not stop the shop.
PIDS=()
UP="$LOGS/.system-up"
rm -f "$UP"
stop_all() {
  trap - INT TERM EXIT
  echo "[start] stopping" >&2
  rm -f "$UP"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  bash infra/temporal/temporal.sh stop --port "$TEMPORAL_PORT"
  stop_embedded_postgres
}
trap stop_all EXIT
trap 'stop_all; exit 0' INT TERM

bash infra/temporal/temporal.sh start --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT"

# supervise NAME SCRIPT: runs `node SCRIPT` with its output in .data/logs/NAME.log. Once the system is
# up, a run that ends is followed by a new one after a pause of 1 s, doubling up to 30 s (back to 1 s
# after a run of a minute, so a crash loop does not spin), each restart told on stderr and in the log.
# Before that an exit ends the supervisor with the process's code. INT or TERM stops the process, then
# the supervisor.
supervise() {
  local name="$1" script="$2" log="$LOGS/$1.log" delay=1 pid="" pause="" code started
  trap 'kill -TERM $pid $pause 2>/dev/null || true; wait; exit 0' INT TERM
  while :; do
    started=$SECONDS
    node "$script" >>"$log" 2>&1 &
    pid=$!
    code=0
    # The line below says how it ended; bash's own "Killed" notice would only repeat it.
    wait "$pid" 2>/dev/null || code=$?
    pid=""
    [ -e "$UP" ] || exit "$code"
    if ((SECONDS - started >= 60)); then delay=1; fi
    echo "[start] $name exited (code $code) after $((SECONDS - started)) s; restarting in $delay s" | tee -a "$log" >&2
    sleep "$delay" &
    pause=$!
    wait "$pause"
    pause=""
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
    echo "[start] $name restarting" | tee -a "$log" >&2
  done
}

# start_service NAME HEALTH_URL SCRIPT: runs the service under its supervisor and waits for its health
# check.
start_service() {
  local name="$1" health="$2" script="$3"
  supervise "$name" "$script" &
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

start_service catalog "http://127.0.0.1:$CATALOG_PORT/health" services/catalog/dist/main.js
start_service orders "$ORDERS_URL/health" services/orders/dist/main.js
if [ "$SANDBOX" = 1 ]; then
  start_service pakasir-sandbox "$PAKASIR_BASE_URL/health" infra/sandbox/dist/pakasir-main.js
  node infra/sandbox/dist/demo-seed.js
fi
if [ "$TG_SANDBOX" = 1 ]; then
  start_service telegram-sandbox "$TELEGRAM_API_ROOT/health" infra/sandbox/dist/telegram-main.js
fi
start_service gateway "$GATEWAY_URL/health" services/gateway/dist/main.js
touch "$UP"
# The worker is supervised once the rest is up; its listener (WORKER_PORT, 4004) answers /health, and
# /ready and /metrics with the token (docs/operations.md §17).
supervise worker workflows/dist/worker/main.js &
PIDS+=($!)

cat <<INFO

QuickCart is running; a process that exits is restarted. Ctrl-C stops everything.
  Temporal Web UI   http://127.0.0.1:$TEMPORAL_UI_PORT   (find a payment: InvoiceId = 'INV...' or CustomerId = '...')
  Temporal server   $TEMPORAL_ADDRESS
  Catalog API       $CATALOG_URL        (internal: GET /products, GET /categories)
  Orders API        $ORDERS_URL        (internal: Authorization: Bearer \$GATEWAY_API_TOKEN or \$WORKER_API_TOKEN)
  Pakasir webhook   http://127.0.0.1:$PAKASIR_WEBHOOK_PORT   (public: /webhooks/pakasir/<secret> only)
  Gateway (bot)     $GATEWAY_URL        (internal: POST /notify for the workflows)
  Worker            http://127.0.0.1:${WORKER_PORT:-4004}   (internal: /health; /ready and /metrics with the token)
  Metrics           GET /metrics and /ready on every internal listener above (Bearer \$METRICS_API_TOKEN)
  Logs              $LOGS/
INFO
if [ -n "$EMBEDDED_PG_PID" ]; then cat <<INFO
  PostgreSQL        embedded, ${EMBEDDED_PG_URL##*@}   (data .data/postgres; log $LOGS/postgres.log)
INFO
fi
if [ -z "${REDIS_URL:-}" ]; then cat <<INFO
  Redis             none (nothing on 127.0.0.1:6379, no REDIS_URL): the gateway keeps sessions, rate
                    limits and its update inbox in memory, lost when it restarts (one gateway only)
INFO
fi
if [ "$TG_SANDBOX" = 1 ]; then cat <<INFO
  Telegram sandbox  $TELEGRAM_API_ROOT   (open it in a browser and chat with the bot as any user:
                    $TELEGRAM_API_ROOT/chat/555 — send /start)
INFO
fi
if [ "$SANDBOX" = 1 ]; then cat <<INFO
  Pakasir sandbox   $PAKASIR_BASE_URL   (pay page: $PAKASIR_BASE_URL/pay/$PAKASIR_PROJECT/<amount>?order_id=<invoice>)

Pay a QRIS invoice in the sandbox: press "Checkout Page" under the QR (or open the pay page above
with the invoice id) and press the pay button; then find the invoice in the Web UI (InvoiceId = '...').
INFO
fi
# The supervisors run until stopped: Ctrl-C or TERM ends them through stop_all.
wait
