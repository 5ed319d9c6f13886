#!/usr/bin/env bash
# README command 1: set up, build, and run the reference server with the demo data on an
# embedded SQLite file (data/thidua.sqlite3, created on first start). Ctrl-C stops it.
# A local build, quick to compile (scripts/build.sh without --release); what is deployed is
# `scripts/build.sh --release` (README, "Building for production").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
started=$SECONDS
# The Debian packages (LibreOffice for the documents' PDFs) install while everything else
# compiles: nothing is built with them, and the server needs them only once it runs. Never
# stopped half-way (an interrupted dpkg leaves the system to repair); a new run waits for it.
scripts/setup.sh --part debian &
debian=$!
# The two tools compile while the app's crates download, and then while the server and the
# app's wasm compile: the cores are kept busy through each build's single-threaded stretches
# (a large crate, a link). One job each, so that with the app's two the cores are not shared
# among six compilers at once. In a process group of their own, so that a failure or Ctrl-C
# stops them with their cargo and rustc processes.
CARGO_BUILD_JOBS=1 setsid -w scripts/setup.sh --part tools &
tools=$!
stop_tools() { kill -- "-$tools" 2>/dev/null || true; }
trap stop_tools EXIT
trap 'stop_tools; exit 130' INT TERM
scripts/setup.sh --part crates
app_started=$SECONDS
cargo build --offline --quiet -p thidua-server
# What Trunk will ask cargo for (same profile, target and features), so it finds it built.
cargo build --offline --quiet -p thidua --bin thidua --target wasm32-unknown-unknown
cargo build --offline --quiet -p thidua --bin thidua --target wasm32-unknown-unknown --features staff
printf '    (server and wasm compiled: %d s)\n' $((SECONDS - app_started))
wait "$tools"
trap - EXIT INT TERM
scripts/build.sh
if ! wait "$debian"; then
  echo "warning: the Debian packages did not install (see above); the server runs, but the" >&2
  echo "documents' PDFs answer 503 until LibreOffice is installed (scripts/setup.sh --part debian)." >&2
fi
printf '    (set up and built in %d s)\n' $((SECONDS - started))
ADDR="${THIDUA_ADDR:-127.0.0.1:8080}"
echo
echo "Open http://$ADDR/ in a browser (Ctrl-C stops the server)."
exec target/debug/thidua-server --addr "$ADDR" --static-dir dist --demo
