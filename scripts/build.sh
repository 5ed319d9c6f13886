#!/usr/bin/env bash
# Builds the SPA (release, pre-compressed): the public app into dist/, the staff build
# (sign-in and the score-sheet forms) into dist/staff/; then the server (release).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
started=$SECONDS

# The server's release build runs beside the SPA's: the wasm build ends in one long
# single-threaded LTO step (codegen-units = 1), which leaves the other core idle. The two
# use different profile directories, so cargo does not make one wait for the other.
server_pid=""
if [ "${1:-}" != "--spa-only" ]; then
  cargo build --release --offline -p thidua-server --quiet &
  server_pid=$!
fi

# The public app (what readers download), then the staff build with the forms beside it:
# the same index.html with the `staff` feature, so the two pages cannot drift apart.
trunk build --release --offline
sed 's/data-cargo-profile-release="wasm-release"/& data-cargo-features="staff"/' index.html >staff.html
grep -q 'data-cargo-features="staff"' staff.html
trunk build staff.html --release --dist dist/staff --public-url /staff/ --offline
# Brotli and gzip copies beside each file: the server sends them as they are, so the
# bytes on the wire are the smallest without compressing on every request.
find dist -type f \( -name '*.html' -o -name '*.js' -o -name '*.wasm' -o -name '*.css' \) | while read -r f; do
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -9 -k "$f"
done
if [ -n "$server_pid" ]; then
  wait "$server_pid"
fi
printf '    (build: %d s)\n' $((SECONDS - started))
