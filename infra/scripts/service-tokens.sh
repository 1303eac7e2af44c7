#!/usr/bin/env bash
# Prints a fresh token for each calling process and for Prometheus (METRICS) and the SHA-256 its callees
# check it with, as .env lines (docs/security.md): `bash infra/scripts/service-tokens.sh >> .env`. To
# rotate one token, take its two lines and follow the rotation steps there (the old and new digests side
# by side first).
set -euo pipefail
for name in GATEWAY WORKER ORDERS METRICS; do
  token="$(openssl rand -hex 32)"
  echo "${name}_API_TOKEN=$token"
  echo "${name}_API_TOKEN_SHA256=$(printf %s "$token" | sha256sum | cut -d' ' -f1)"
done
