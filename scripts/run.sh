#!/usr/bin/env bash
# README command 1: set up, build, and run the reference server with the demo data on an
# embedded SQLite file (data/thidua.sqlite3, created on first start). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ADDR="${THIDUA_ADDR:-127.0.0.1:8080}"
echo
echo "Open http://$ADDR/ in a browser (Ctrl-C stops the server)."
exec target/release/thidua-server --addr "$ADDR" --static-dir dist --demo
