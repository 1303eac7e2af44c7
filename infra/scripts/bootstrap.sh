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

# `--browser` (npm test): the browser e2e test (infra/test/e2e/chat-browser.e2e.test.ts) drives Debian's
# chromium, with an emoji font so the screenshots show what a person sees. Installed only where missing
# and we may (root: CI); `npm start` never installs a browser.
[ "${1:-}" = --browser ] || exit 0
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-liberation)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[bootstrap] apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
