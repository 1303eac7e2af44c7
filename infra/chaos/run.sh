#!/usr/bin/env bash
# `npm run chaos [-- --quick] [-- --seed=N]`: builds, starts a Temporal dev server of the chaos run's own
# (port 17633) on a database file under .data/chaos, so the run can kill the server and start it again
# on the same history, and runs infra/chaos: catalog, orders, gateway and the worker from dist/ under
# simulated customers and a fault injector, then a drain and the invariant checks. Prints a table; the
# same figures go to infra/chaos/results/latest.json. Exits non-zero on any violation.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

export CHAOS_TEMPORAL_PORT="${CHAOS_TEMPORAL_PORT:-17633}"
export CHAOS_TEMPORAL_DB="$ROOT/.data/chaos/temporal-$CHAOS_TEMPORAL_PORT.sqlite"
export CHAOS_PID_FILE="$ROOT/.data/chaos/pids"
mkdir -p "$ROOT/.data/chaos"
: >"$CHAOS_PID_FILE"
# A fresh history each run: workflows of an earlier run's dropped databases must not wake up.
rm -f "$CHAOS_TEMPORAL_DB"*

bash infra/scripts/bootstrap.sh
echo "[chaos] building" >&2
npx tsc -b
npx tsc -b infra/chaos

cleanup() {
  trap - INT TERM EXIT
  # The run stops its own processes; these are left only if it died without its handlers.
  while read -r pid; do
    if [ -n "$pid" ] && grep -qs "$ROOT/.*/dist/" "/proc/$pid/cmdline"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done <"$CHAOS_PID_FILE"
  bash infra/temporal/temporal.sh stop --port "$CHAOS_TEMPORAL_PORT"
  rm -f "$CHAOS_TEMPORAL_DB"*
}
trap cleanup INT TERM EXIT

bash infra/temporal/temporal.sh start --port "$CHAOS_TEMPORAL_PORT" --headless --db-filename "$CHAOS_TEMPORAL_DB"
status=0
node infra/chaos/dist/main.js "$@" || status=$?
exit "$status"
