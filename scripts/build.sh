#!/usr/bin/env bash
# Builds the SPA (the public app into dist/, the staff build with sign-in and the forms into
# dist/staff/) and the server.
#   scripts/build.sh                  a local build, quick to compile (README command 1): the
#                                     dev profile for the wasm and the server, nothing
#                                     pre-compressed (the server compresses as it sends)
#   scripts/build.sh --release        what is deployed and measured: the size-optimised wasm
#                                     (profile wasm-release), pre-compressed with brotli and
#                                     gzip, and the server's release build
#   --spa-only                        either, without the server
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
started=$SECONDS
release=false
server=true
for arg in "$@"; do
  case "$arg" in
    --release) release=true ;;
    --spa-only) server=false ;;
    *) echo "unknown argument $arg" >&2; exit 2 ;;
  esac
done

# The public app (what readers download), then the staff build with the forms beside it:
# the same index.html with the `staff` feature, so the two pages cannot drift apart, and the
# styles of the staff's own views (the vote) that readers never download.
sed -e 's/data-cargo-profile-release="wasm-release"/& data-cargo-features="staff"/' \
  -e 's|<link data-trunk rel="css" href="style/main.css" />|&\n    <link data-trunk rel="css" href="style/vote.css" />\n    <link data-trunk rel="css" href="style/evidence.css" />\n    <link data-trunk rel="css" href="style/council.css" />|' \
  index.html >staff.html
grep -q 'data-cargo-features="staff"' staff.html
grep -q 'style/vote.css' staff.html
grep -q 'style/evidence.css' staff.html
grep -q 'style/council.css' staff.html

if ! $release; then
  # Dev profiles: nothing is optimised at link time. cargo takes one build at a time in
  # target/debug, so one after the other.
  trunk build --offline
  trunk build staff.html --dist dist/staff --public-url /staff/ --offline
  # Pre-compressed copies of an earlier release build would not match these files.
  find dist -type f \( -name '*.br' -o -name '*.gz' \) -delete
  if $server; then
    cargo build --offline -p thidua-server --quiet
  fi
  printf '    (build: %d s)\n' $((SECONDS - started))
  exit 0
fi

# The server's release build runs beside the SPA's: the wasm build ends in one long
# single-threaded LTO step (codegen-units = 1), which leaves the other core idle. The two
# use different profile directories, so cargo does not make one wait for the other.
server_pid=""
if $server; then
  cargo build --release --offline -p thidua-server --quiet &
  server_pid=$!
fi
trunk build --release --offline
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
