#!/usr/bin/env bash
# Time to "content visible" and to "interactive" on the 2018 results page under Lighthouse's
# mobile profile, against a static copy of the same rendered page served the same way,
# alternating runs, median of 7 (bench/first_paint.rs). Prints figures; never fails on them.
# Usage: bench/first-paint.sh                     this build (built first)
#        bench/first-paint.sh label=BIN,DIST ...  servers and their SPA builds side by side
#                                                 (the first one's rendering is the static copy)
#        bench/first-paint.sh --smoke             (CI) one run, the builds already there
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--smoke" ]; then
  shift
  export THIDUA_BENCH_RUNS=1
elif [ $# -eq 0 ]; then
  scripts/build.sh --release --spa-only
  cargo build --offline --quiet -p thidua-server
fi
cargo run --quiet --offline -p thidua --features ssr --example first_paint -- "$@"
