#!/usr/bin/env bash
# Every benchmark in its smoke mode (a second, one size, no figures kept), so that none can
# stop running against the current API unnoticed: scripts/test.sh runs this, and each script
# fails here on a refused request or a page that never shows. Needs what scripts/test.sh has
# built (the debug server, dist/) and installed (wrk, nginx, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export THIDUA_BENCH_BIN="${THIDUA_BENCH_BIN:-$PWD/target/debug/thidua-server}"
export THIDUA_SERVER_BIN="${THIDUA_SERVER_BIN:-$THIDUA_BENCH_BIN}"
started=$SECONDS
# page-weight.sh is not here: scripts/test.sh runs it in full, as a budget.
for bench in "api-load.sh --smoke" "results-load.sh --smoke" "first-paint.sh --smoke" "keystroke.sh --smoke" \
  "fuzz.sh --smoke" "ballot.sh --smoke" "upload.sh --smoke"; do
  printf '\n--- bench/%s\n' "$bench"
  t=$SECONDS
  # shellcheck disable=SC2086
  bench/$bench
  printf -- '--- bench/%s: %d s\n' "$bench" $((SECONDS - t))
done
printf '\nevery bench ran (%d s)\n' $((SECONDS - started))
