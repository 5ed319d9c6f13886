#!/usr/bin/env bash
# Installs what a fresh machine lacks, and skips what is already there at the right version.
# Only package registries are used (Debian, crates.io, npm, PyPI): no tool downloads a binary
# of its own. Safe to run again and again.
#   scripts/setup.sh              what building and running need
#   scripts/setup.sh --tests      that, and what the tests need: Chromium and its driver,
#                                 sqlite3, wrk and nginx (the benchmarks' smoke run), axe-core
#                                 (npm), the OpenAPI validator (PyPI, into target/py)
#   scripts/setup.sh --part P     one part alone, so that scripts/run.sh can run them side by
#                                 side with the app's build: P is `debian` (the packages),
#                                 `crates` (cargo fetch and the wasm target) or `tools` (the two
#                                 cargo-installed tools, Trunk and the wasm-bindgen CLI)
set -euo pipefail
cd "$(dirname "$0")/.."
TESTS=false
DEBIAN=true
CRATES=true
TOOLS=true
while [ $# -gt 0 ]; do
  case "$1" in
    --tests) TESTS=true ;;
    --part)
      DEBIAN=false CRATES=false TOOLS=false
      case "${2:-}" in
        debian) DEBIAN=true ;;
        crates) CRATES=true ;;
        tools) TOOLS=true ;;
        *) echo "--part takes debian, crates or tools" >&2; exit 2 ;;
      esac
      shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen that Cargo.lock resolved, to the patch.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
OPENAPI_VALIDATOR_VERSION=0.9.0

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

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # A lock timeout: an earlier run's apt-get may still be finishing in the background.
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

# The tools are built unoptimised, without LTO, with 16 codegen units: their build time is on
# the first command's path, while unoptimised they cost a local build a few seconds (the
# figures: README, "How the first command got faster"). Each tool in a target directory of its
# own, so the two can build at once (they share few crates).
tools_build() {
  local dir=$1
  shift
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_OPT_LEVEL=0 \
    CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=false \
    CARGO_PROFILE_RELEASE_STRIP=true CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo install --quiet --target-dir "target/$dir" "$@"
}

wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

install_tools() {
  local pids=()
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    say "cargo install trunk $TRUNK_VERSION (about 3 minutes on 2 cores)"
    # 0.22 needs a newer rustc than this toolchain. Without its default features: no update
    # check and no TLS stack (ring, rustls), since it only builds here and never downloads.
    timed trunk tools_build tools-trunk trunk --version "$TRUNK_VERSION" --locked \
      --no-default-features &
    pids+=($!)
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 1 minute)"
    # Not --locked: its lockfile names a crate version the registry does not serve. Without
    # its default features: no TLS stack (rustls, ring), which only its test runner's HTTP
    # client would use, and it talks plain HTTP to a local chromedriver.
    CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback \
      timed wasm-bindgen-cli tools_build tools-wasm-bindgen wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" \
      --no-default-features &
    pids+=($!)
  fi
  for pid in "${pids[@]}"; do
    wait "$pid"
  done
}

# Debian packages: brotli to pre-compress a release build; for the tests, Chromium and its
# matching driver, sqlite3 (the end-to-end tests end sessions and hold the write lock as an
# operator would), wrk and nginx, Node for axe-core, Python's venv, fonts with Vietnamese glyphs.
packages=()
if $DEBIAN; then
  have brotli || packages+=(brotli)
  have gzip || packages+=(gzip)
  have curl || packages+=(curl)
  # The documents' PDFs are LibreOffice's conversion of their Word files, in a serif that has
  # every Vietnamese glyph and Times New Roman's metrics (issue 22).
  have soffice || packages+=(libreoffice-writer-nogui)
  [ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || packages+=(fonts-liberation2)
fi
if $DEBIAN && $TESTS; then
  have chromium || packages+=(chromium)
  have chromedriver || packages+=(chromium-driver)
  have sqlite3 || packages+=(sqlite3)
  have wrk || packages+=(wrk)
  have pdftotext || packages+=(poppler-utils)
  have nginx || packages+=(nginx-light)
  have npm || packages+=(nodejs npm)
  python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || packages+=(fonts-dejavu-core)
fi
# The Debian packages download and unpack while cargo compiles: one waits on the network and
# disk, the other on the cores.
apt_pid=""
if [ ${#packages[@]} -gt 0 ]; then
  say "apt-get install ${packages[*]} (in the background)"
  timed apt-get apt_install "${packages[@]}" &
  apt_pid=$!
fi

if $CRATES; then
  # Two downloads at once: the wasm target's standard library and the app's crates.
  wasm_target &
  target_pid=$!
  say "cargo fetch"
  timed "cargo fetch" cargo fetch --locked --quiet
  wait "$target_pid"
fi

if $TOOLS; then
  install_tools
fi

if $TESTS; then
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (axe-core for the accessibility checks)"
    if [ -n "$apt_pid" ] && ! have npm; then wait "$apt_pid"; apt_pid=""; fi
    timed npm npm ci --no-audit --no-fund --loglevel=error
  fi
  # The OpenAPI document is checked by a standard validator (crates/server/tests/contract.rs).
  if ! target/py/bin/openapi-spec-validator --version 2>/dev/null | grep -q " $OPENAPI_VALIDATOR_VERSION\$"; then
    say "pip install openapi-spec-validator $OPENAPI_VALIDATOR_VERSION (into target/py)"
    if [ -n "$apt_pid" ]; then wait "$apt_pid"; apt_pid=""; fi
    timed pip bash -c "python3 -m venv target/py && target/py/bin/pip install --quiet --disable-pip-version-check \\
      'openapi-spec-validator==$OPENAPI_VALIDATOR_VERSION'"
  fi
fi

if [ -n "$apt_pid" ]; then
  say "waiting for apt-get"
  wait "$apt_pid"
fi
