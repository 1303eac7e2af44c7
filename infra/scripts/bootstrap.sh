#!/usr/bin/env bash
# Installs what QuickCart needs on this machine, once: npm packages (from the lock file) and the
# Temporal binaries (infra/temporal/temporal.sh ensure). Safe to run every time: it skips what is there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# Reinstall when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[bootstrap] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
bash infra/temporal/temporal.sh ensure >/dev/null
