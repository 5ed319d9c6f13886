#!/usr/bin/env bash
# Prints the brotli size (quality 11) of everything the results page downloads: HTML, JS,
# wasm, CSS and API JSON, as listed by headless Chromium. With --budget BYTES it fails when
# the total is larger (CI uses 262800: the measured 250,317 plus 5 %; the goal is 200000, issue 11).
# Needs the built SPA (scripts/build.sh --release --spa-only) and a server binary
# (THIDUA_SERVER_BIN, default target/debug/thidua-server); scripts/test.sh provides both.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=""
[ "${1:-}" = "--budget" ] && budget="$2"
server="${THIDUA_SERVER_BIN:-target/debug/thidua-server}"

tmp=$(mktemp -d)
"$server" --addr 127.0.0.1:0 --database "sqlite://$tmp/bench.sqlite3" --static-dir dist --demo >"$tmp/out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q listening "$tmp/out" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$tmp/out" | head -1)
[ -n "$base" ] || { echo "the server did not start" >&2; exit 1; }

urls=$(cargo run --quiet --offline -p thidua --features ssr --example page_urls -- "$base/2018/blocs/1/results")
total=0
printf '%-52s %10s %10s\n' "resource" "raw" "brotli"
while read -r url; do
  [ -n "$url" ] || continue
  curl -fsS -H 'Accept-Encoding: identity' -o "$tmp/body" "$url"
  raw=$(wc -c <"$tmp/body")
  br=$(brotli -q 11 -c "$tmp/body" | wc -c)
  total=$((total + br))
  printf '%-52s %10d %10d\n' "${url#"$base"}" "$raw" "$br"
done <<<"$urls"
printf '%-52s %10s %10d\n' "total" "" "$total"
if [ -n "$budget" ] && [ "$total" -gt "$budget" ]; then
  echo "FAIL: the results page downloads $total bytes (brotli), over the budget of $budget" >&2
  exit 1
fi
