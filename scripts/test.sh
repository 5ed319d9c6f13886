#!/usr/bin/env bash
# README command 2: set up, then every check and test. Stops at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy (host: domain, server, e2e harness)"
cargo clippy --offline --all-targets -p thidua-domain -p thidua-server -p thidua -- -D warnings
step "clippy (wasm: the SPA and its browser tests)"
cargo clippy --offline --lib --tests -p thidua --target wasm32-unknown-unknown -- -D warnings
cargo clippy --offline --lib -p thidua --features staff --target wasm32-unknown-unknown -- -D warnings

step "domain and server tests (real HTTP, temporary SQLite files)"
cargo test --offline -p thidua-domain -p thidua-server

step "server tests again on PostgreSQL (a throwaway cluster, one database per test)"
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
trap pg_stop EXIT
pg_start
pg_started=$SECONDS
THIDUA_TEST_POSTGRES="$PG_URL" cargo test --offline -p thidua-server
echo "PostgreSQL run: $((SECONDS - pg_started)) s"
pg_stop

# The host builds of the SPA crate all take `ssr`, as the server's does, so Leptos is
# compiled for the host once.
step "SPA unit tests (host)"
cargo test --offline -p thidua --lib --features staff,ssr

step "component tests (wasm-bindgen-test in headless Chromium)"
cargo test --offline -p thidua --target wasm32-unknown-unknown --test components

step "build the SPA (release) and the server for the end-to-end tests"
scripts/build.sh --release --spa-only
cargo build --offline -p thidua-server

step "end-to-end tests (real server binary, headless Chromium, axe-core)"
cargo test --offline -p thidua --features ssr --test e2e --test scoring --test awards --test admin --test hardening --test vote --test evidence \
  --test council --test prerender -- --test-threads=1

step "page weight budget"
bench/page-weight.sh --budget 262800

step "every benchmark in its smoke mode (bench/smoke.sh: they still run against this API)"
bench/smoke.sh
