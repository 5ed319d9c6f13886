#!/usr/bin/env bash
# Keystroke → updated total on a 200-criterion sheet, at 1× and 4× CPU throttling, in
# headless Chromium (issue goal: ≤ 16 ms at 4×). Prints figures; never fails on them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh --spa-only
cargo build --offline --quiet -p thidua-server
cargo run --quiet --offline -p thidua --features ssr --example keystroke
