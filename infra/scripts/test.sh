#!/usr/bin/env bash
# Runs every test: type-check, lint, then jest (unit, service tests on the real PostgreSQL, workflow
# tests on the Temporal time-skipping server and on a dev server that jest's globalSetup starts through
# infra/temporal/temporal.sh). Installs what it needs on the first run. Extra arguments go to jest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash infra/scripts/bootstrap.sh

echo "[test] type-check (tsc -b, tests included)" >&2
npx tsc -b
npx tsc -p tsconfig.test.json
echo "[test] lint" >&2
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

echo "[test] jest" >&2
export LOG_LEVEL="${LOG_LEVEL:-silent}"
npx jest --ci "$@"
