#!/usr/bin/env bash
# Installs what a fresh machine lacks, and skips what is already there at the right version.
# Only package registries are used (Debian, crates.io, npm): no tool downloads a binary of
# its own. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen that Cargo.lock resolved, to the patch.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
# Each step says how long it took, so the README's set-up times can be measured again.
timed() {
  local label=$1 start=$SECONDS
  shift
  "$@"
  printf '    (%s: %d s)\n' "$label" $((SECONDS - start))
}
have() { command -v "$1" >/dev/null 2>&1; }
export PATH="$HOME/.cargo/bin:$PATH"

# Debian packages: Chromium and its matching driver for the browser tests, brotli to
# pre-compress the built SPA, fonts with Vietnamese glyphs, Node for axe-core.
packages=()
have chromium || packages+=(chromium)
have chromedriver || packages+=(chromium-driver)
have brotli || packages+=(brotli)
have gzip || packages+=(gzip)
have curl || packages+=(curl)
# sqlite3: the end-to-end tests end sessions and hold the write lock as an operator would.
have sqlite3 || packages+=(sqlite3)
have npm || packages+=(nodejs npm)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}
# The Debian packages download and unpack while cargo compiles the tools below: one waits
# on the network and disk, the other on the cores.
apt_pid=""
if [ ${#packages[@]} -gt 0 ]; then
  say "apt-get install ${packages[*]} (in the background)"
  timed apt-get apt_install "${packages[@]}" &
  apt_pid=$!
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The tools are built without LTO, at opt-level 1 (trunk 0) and with many codegen units: their speed
# hardly matters (they spend their time waiting for cargo), their build time does. One
# target directory for both, so the crates they share are compiled once.
tools_build() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL="${TOOL_OPT_LEVEL:-1}" \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install --target-dir target/tools "$@"
}

if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
  say "cargo install trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  # 0.22 needs a newer rustc than this toolchain.
  # Without its default features: no update check and no TLS stack (ring, rustls), since
  # it only builds here and never downloads. Unoptimised: it spawns cargo and wasm-bindgen
  # and copies files, which takes no time at any opt-level.
  TOOL_OPT_LEVEL=0 timed trunk tools_build trunk --version "$TRUNK_VERSION" --locked --no-default-features
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lockfile names a crate version the registry does not serve.
  CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
    timed wasm-bindgen-cli tools_build wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ -n "$apt_pid" ]; then
  say "waiting for apt-get"
  wait "$apt_pid"
fi

if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci (axe-core for the accessibility checks)"
  timed npm npm ci --no-audit --no-fund --loglevel=error
fi

say "cargo fetch"
timed "cargo fetch" cargo fetch --locked --quiet
