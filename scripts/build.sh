#!/usr/bin/env bash
# Builds the SPA (release, into dist/, pre-compressed) and the server (release).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

trunk build --release --offline
# Brotli and gzip copies beside each file: the server sends them as they are, so the
# bytes on the wire are the smallest without compressing on every request.
find dist -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' \) | while read -r f; do
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -9 -k "$f"
done
[ "${1:-}" = "--spa-only" ] && exit 0
cargo build --release --offline -p thidua-server
