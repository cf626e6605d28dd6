#!/usr/bin/env bash
# Runs a command with a private MariaDB server (temp datadir, own socket, no network, no system service).
# The command sees PSTAMP_TEST_MYSQL_SOCKET; the server is stopped afterwards whatever happens.
set -euo pipefail
D=$(mktemp -d /tmp/pstamp-mariadb.XXXXXX)
stop() { [ -f "$D/pid" ] && kill "$(cat "$D/pid")" 2>/dev/null; sleep 1; rm -rf "$D"; }
trap stop EXIT
if command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
  mariadb-install-db --user=root --datadir="$D/data" --auth-root-authentication-method=normal >"$D/install.log" 2>&1 || cat "$D/install.log"
  "$MARIADBD" --user=root --datadir="$D/data" --socket="$D/sock" --skip-networking --pid-file="$D/pid" \
    --log-error="$D/error.log" >/dev/null 2>&1 &
  for _ in $(seq 1 60); do [ -S "$D/sock" ] && break; sleep 0.5; done
  if [ -S "$D/sock" ]; then
    export PSTAMP_TEST_MYSQL_SOCKET="$D/sock"
    echo "private MariaDB on $D/sock"
  else
    echo "WARNING: private MariaDB did not start; MySQL driver tests will skip" >&2
    cat "$D/error.log" >&2 || true
  fi
else
  echo "WARNING: mariadbd not installed; MySQL driver tests will skip" >&2
fi
"$@"
