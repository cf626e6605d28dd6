#!/usr/bin/env bash
# `make run`: the self-contained server on the fixtures, with everything under ./var. Starts `pstamp serve`,
# checks that it is serving (and says why not if it died), submits the fixture's sample requests through
# the upload page, waits for them and prints one line per request with its outcome. The server keeps
# running until Ctrl-C (PSTAMP_PORT: the port, default 8080).
#   scripts/run.sh BIN VAR            the whole demo
#   scripts/run.sh BIN VAR --check    only start the server and check it is alive (then stop it)
set -euo pipefail
BIN=$1; VAR=$2; MODE=${3:-}
PORT=${PSTAMP_PORT:-8080}
URL="http://127.0.0.1:$PORT"
LOG="$VAR/serve.log"
mkdir -p "$VAR/requests"
DB="$VAR/requestdb.sqlite"

if curl -sf --max-time 3 "$URL/ds/" >/dev/null 2>&1; then
  echo "port $PORT is already served by another process; set PSTAMP_PORT" >&2
  exit 1
fi

# Why the server is not serving, from its log: a taken port is named as such.
cause_of_death() {
  if grep -qiE "address already in use|EADDRINUSE|errno: 98|bind" "$LOG" 2>/dev/null; then
    echo "cannot listen on port $PORT: it is in use (or not allowed); set PSTAMP_PORT to a free port" >&2
  fi
  echo "last lines of $LOG:" >&2
  tail -n 15 "$LOG" >&2 || true
}

"$BIN/pstamp" serve --data-dir "$VAR" --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT INT TERM

# The server is up when its own process is alive and answers; it is dead when the process has gone.
serving=""
for _ in $(seq 1 150); do
  if ! kill -0 "$SERVER" 2>/dev/null; then
    status=0; wait "$SERVER" || status=$?
    echo "pstamp serve (port $PORT) exited with status $status before serving" >&2
    cause_of_death
    exit 1
  fi
  if curl -sf --max-time 3 "$URL/ds/" >/dev/null 2>&1; then serving=1; break; fi
  sleep 0.2
done
if [ -z "$serving" ]; then
  echo "pstamp serve (pid $SERVER) did not answer on port $PORT within 30 s" >&2
  cause_of_death
  exit 1
fi
echo "pstamp serve running at $URL (pid $SERVER, log: $LOG)"
echo "open $URL/upload in a browser to submit a request file; results are under $URL/ds/"
[ "$MODE" = "--check" ] && exit 0

alive() {
  kill -0 "$SERVER" 2>/dev/null && return 0
  echo "pstamp serve (port $PORT) died while running the samples" >&2
  cause_of_death
  exit 1
}

names=()
for text in fixtures/requests/*.txt; do
  base=$(basename "$text" .txt)
  name="$base.$(date -u +%Y%m%d%H%M%S)"
  "$BIN/pstamp" request-file -i "$text" -r "$name" -o "$VAR/requests/$name.fits" >/dev/null
  if "$BIN/pstamp" submit "$VAR/requests/$name.fits" --server "$URL" >/dev/null; then
    names+=("$name")
  else
    echo "  $name: not submitted" >&2
  fi
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
for _ in $(seq 1 120); do alive; [ "$(open_requests)" = 0 ] && break; sleep 1; done

# One line per request: finished with the codes of its results rows (from results.mdc, as a user sees
# them), or the state it is still in.
echo "results:"
for name in "${names[@]}"; do
  fileset="$URL/ds/pstampresults/$name/"
  if mdc=$(curl -sf --max-time 3 "${fileset}results.mdc" 2>/dev/null); then
    codes=$(printf '%s\n' "$mdc" | awk '$1 == "ERROR_CODE" { n[$3]++ } END { for (c in n) printf "%s%s×%d", (k++ ? ", " : ""), c, n[c] }')
    echo "  $name: finished, codes ${codes:-none}  $fileset"
  else
    state=$("$BIN/pstamptool" -dbname "$DB" -listreq -name "$name" 2>/dev/null \
            | awk '$1 == "state" { s = $3 } $1 == "fault" { f = $3 } END { printf "%s, fault %s", s, f }')
    echo "  $name: not finished yet ($state; pstamptool -dbname $DB -listreq -name $name)"
  fi
done
# PSTAMP_RUN_ONCE=1 (tests): stop the server here instead of serving on.
[ -n "${PSTAMP_RUN_ONCE:-}" ] && exit 0
echo "Ctrl-C stops the server."
wait "$SERVER"
