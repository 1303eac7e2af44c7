#!/usr/bin/env bash
# `npm run bench [-- --quick]`: builds, starts a Temporal dev server of the bench's own (port 17433,
# in memory), and runs infra/bench (which starts catalog, orders, gateway and the worker from dist/
# against in-process Telegram and Pakasir sandboxes). Prints a table; the same figures go to
# infra/bench/results/latest.json. Exits non-zero only on a wrong result (oversold, lost or doubled
# delivery, an error), never on timing. Everything it starts is stopped on exit, Ctrl-C included.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

export BENCH_TEMPORAL_PORT="${BENCH_TEMPORAL_PORT:-17433}"
export BENCH_PID_FILE="$ROOT/.data/bench/pids"
mkdir -p "$ROOT/.data/bench"
: >"$BENCH_PID_FILE"

bash infra/scripts/bootstrap.sh
echo "[bench] building" >&2
npx tsc -b
npx tsc -b infra/bench

cleanup() {
  trap - INT TERM EXIT
  # The bench stops its own processes; these are left only if it died without its handlers.
  while read -r pid; do
    if [ -n "$pid" ] && grep -qs "$ROOT/.*/dist/" "/proc/$pid/cmdline"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done <"$BENCH_PID_FILE"
  bash infra/temporal/temporal.sh stop --port "$BENCH_TEMPORAL_PORT"
}
trap cleanup INT TERM EXIT

# BENCH_NODE_VERSION=24: the bench and every process it starts (they run on its node) on that Node major,
# installed once from npm into .tools/node-<major>: the image runs the current LTS, this machine may not.
NODE_BIN=node
if [ -n "${BENCH_NODE_VERSION:-}" ]; then
  NODE_DIR="$ROOT/.tools/node-$BENCH_NODE_VERSION"
  if [ ! -x "$NODE_DIR/node_modules/node/bin/node" ]; then
    echo "[bench] installing node@$BENCH_NODE_VERSION into $NODE_DIR" >&2
    npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund "node@$BENCH_NODE_VERSION" >&2
  fi
  NODE_BIN="$NODE_DIR/node_modules/node/bin/node"
fi
echo "[bench] node $("$NODE_BIN" --version)" >&2

bash infra/temporal/temporal.sh start --port "$BENCH_TEMPORAL_PORT" --headless --db-filename memory
status=0
"$NODE_BIN" infra/bench/dist/main.js "$@" || status=$?
exit "$status"
