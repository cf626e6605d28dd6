#!/usr/bin/env bash
# `make run`: the self-contained server on the fixtures, with everything under ./var. Starts `pstamp serve`,
# submits the fixture's sample requests through the upload page, waits for them to finish and prints
# where their results are. The server keeps running until Ctrl-C (PSTAMP_PORT: the port, default 8080).
set -euo pipefail
BIN=$1; VAR=$2
PORT=${PSTAMP_PORT:-8080}
URL="http://127.0.0.1:$PORT"
mkdir -p "$VAR/requests"
DB="$VAR/requestdb.sqlite"

if curl -sf "$URL/ds/" >/dev/null 2>&1; then
  echo "port $PORT is already served by another process; set PSTAMP_PORT" >&2
  exit 1
fi
"$BIN/pstamp" serve --data-dir "$VAR" --port "$PORT" >"$VAR/serve.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do curl -sf "$URL/ds/" >/dev/null 2>&1 && break; sleep 0.2; done
echo "pstamp serve running at $URL (log: $VAR/serve.log)"

names=()
for text in fixtures/requests/*.txt; do
  base=$(basename "$text" .txt)
  name="$base.$(date -u +%Y%m%d%H%M%S)"
  "$BIN/pstamp" request-file -i "$text" -r "$name" -o "$VAR/requests/$name.fits" >/dev/null
  "$BIN/pstamp" submit "$VAR/requests/$name.fits" --server "$URL" >/dev/null && names+=("$name")
done
echo "submitted ${#names[@]} sample requests; waiting for their results"

open_requests() {
  local n=0 s
  for s in new run; do
    n=$((n + $("$BIN/pstamptool" -dbname "$DB" -listreq -state "$s" -simple 2>/dev/null | grep -c . || true)))
  done
  echo "$n"
}
# Requests for cleaned images wait for update processing; give the rest up to two minutes.
for _ in $(seq 1 120); do [ "$(open_requests)" = 0 ] && break; sleep 1; done

echo "results:"
for name in "${names[@]}"; do
  if curl -sf "$URL/ds/pstampresults/$name/index.txt" >/dev/null 2>&1; then
    echo "  $URL/ds/pstampresults/$name/"
  else
    echo "  $name: not finished yet (pstamptool -dbname $DB -listreq -name $name)"
  fi
done
# PSTAMP_RUN_ONCE=1 (tests): stop the server here instead of serving on.
[ -n "${PSTAMP_RUN_ONCE:-}" ] && exit 0
echo "Ctrl-C stops the server."
wait "$SERVER"
