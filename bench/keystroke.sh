#!/usr/bin/env bash
# Keystroke → updated total on a 200-criterion sheet, at 1× and 4× CPU throttling, in
# headless Chromium (issue goal: ≤ 16 ms at 4×). Prints figures; never fails on them.
#   bench/keystroke.sh [--smoke]   (--smoke, CI: a few samples, the builds already there)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--smoke" ]; then
  export THIDUA_BENCH_RUNS=3
else
  scripts/build.sh --release --spa-only
  cargo build --offline --quiet -p thidua-server
fi
cargo run --quiet --offline -p thidua --features ssr --example keystroke
