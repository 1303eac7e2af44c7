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

bash infra/temporal/temporal.sh start --port "$BENCH_TEMPORAL_PORT" --headless --db-filename memory
status=0
node infra/bench/dist/main.js "$@" || status=$?
exit "$status"
