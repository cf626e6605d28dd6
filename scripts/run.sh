#!/usr/bin/env bash
# `make run`: the self-contained server on the fixtures, with everything under ./var.
set -euo pipefail
BIN=$1; VAR=$2
mkdir -p "$VAR"
"$BIN/pstamptool" -create -dbname "$VAR/requestdb.sqlite"
echo "pending requests (pstamptool -dbname $VAR/requestdb.sqlite -pendingreq):"
"$BIN/pstamptool" -dbname "$VAR/requestdb.sqlite" -pendingreq
