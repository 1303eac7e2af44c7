#!/bin/sh
# docker-compose's temporal-setup (temporalio/admin-tools image), once the server answers: the
# namespace QuickCart uses, with an explicit retention of closed workflows (TEMPORAL_RETENTION, set
# again at every start so a changed value applies), and QuickCart's search attributes from their one
# list (packages/workflow-api/src/search-attributes.json, one `"Name": "Type"` a line, read with sed as
# infra/temporal/temporal.sh does). Any step that fails (the server still starting, a namespace not yet
# in its cache) is retried every 5 s until all succeed; the services that start workflows wait for this
# to complete. The CLI reads TEMPORAL_ADDRESS.
set -u
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
RETENTION="${TEMPORAL_RETENTION:-720h}"
LIST="${SEARCH_ATTRIBUTES_FILE:-/etc/quickcart/search-attributes.json}"

attributes=$(sed -n 's/^ *"\([A-Za-z]*\)": *"\([A-Za-z]*\)",\{0,1\} *$/\1:\2/p' "$LIST")
[ -n "$attributes" ] || { echo "[temporal-setup] no search attributes in $LIST" >&2; exit 1; }

setup() {
  temporal operator cluster health | grep -q SERVING || return 1
  if temporal operator namespace describe -n "$NAMESPACE" >/dev/null 2>&1; then
    temporal operator namespace update -n "$NAMESPACE" --retention "$RETENTION" || return 1
  else
    temporal operator namespace create -n "$NAMESPACE" --retention "$RETENTION" || return 1
  fi
  registered=$(temporal operator search-attribute list -n "$NAMESPACE") || return 1
  for attribute in $attributes; do
    name="${attribute%%:*}"
    echo "$registered" | grep -qw "$name" && continue
    temporal operator search-attribute create -n "$NAMESPACE" --name "$name" --type "${attribute##*:}" || return 1
  done
}

until setup; do
  echo '[temporal-setup] not done; retrying in 5 s' >&2
  sleep 5
done
echo "[temporal-setup] namespace $NAMESPACE ready: retention $RETENTION, search attributes" $attributes
