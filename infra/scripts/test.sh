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
mkdir -p .data
results=.data/jest-results.json
rm -f "$results"
status=0
npx jest --ci --json --outputFile="$results" "$@" || status=$?
# A closing line any CI can read, whatever the runner prints.
if [ -f "$results" ]; then
  node -e 'const r = require(process.argv[1]);
    console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
    if (r.numTotalTests === 0) process.exitCode = 1;' "$ROOT/$results" || status=1
fi
exit "$status"
