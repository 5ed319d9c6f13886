#!/usr/bin/env bash
# What the public reads, under load, beside nginx serving the same bytes: the published 2018
# results (with and without If-None-Match), the results page as the server renders it
# (the SPA's components, on every request), index.html and a hashed asset of the SPA. wrk on
# 127.0.0.1 only, one thread and 16 connections, bounded in time. A measurement, not a test.
#   bench/results-load.sh [--duration 5s] [--dist DIR] [--connections 16] [--smoke]
# --smoke (CI): 1 s a cell, and an answer other than 2xx/3xx fails the run.
# Needs wrk and nginx (Debian's `wrk` and `nginx-light`, installed when missing), the release
# server build and a built SPA (`dist/`, or --dist: any Trunk output with index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=5s
DIST=dist
CONNECTIONS=16
SMOKE=false
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=true; DURATION=1s; shift ;;
    --duration) DURATION=$2; shift 2 ;;
    --dist) DIST=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"
need() {
  command -v "$1" >/dev/null && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}
need wrk wrk
need nginx nginx-light
[ -f "$DIST/index.html" ] || { echo "error: no built SPA in $DIST (trunk build --release, or --dist DIR)" >&2; exit 1; }
BIN=${THIDUA_BENCH_BIN:-target/release/thidua-server}
[ -n "${THIDUA_BENCH_BIN:-}" ] || CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1} cargo build --release --offline -q -p thidua-server

WORK=$(mktemp -d /tmp/thidua-results-load.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$BIN" --addr 127.0.0.1:0 --database "sqlite://$WORK/thidua.sqlite3" --static-dir "$DIST" --demo \
  >"$WORK/server.log" 2>/dev/null &
PIDS+=($!)
for _ in $(seq 1 100); do
  grep -q "listening on" "$WORK/server.log" 2>/dev/null && break
  sleep 0.1
done
BASE=$(sed -n 's|thidua-server listening on \(http://[^/]*\)/|\1|p' "$WORK/server.log" | head -n 1)
[ -n "$BASE" ] || { echo "error: the server did not start" >&2; exit 1; }

RESULTS=/api/years/2018/blocs/1/results
ASSET=/$(cd "$DIST" && ls | grep -E -- '-[0-9a-f]{10,16}(_bg)?\.(js|css|wasm)$' | grep -E '\.css$' | head -n 1)
[ "$ASSET" != "/" ] || ASSET=/$(cd "$DIST" && ls | grep -E -- '-[0-9a-f]{10,16}\.js$' | head -n 1)

# nginx, one worker, serving the same bytes at the same paths.
mkdir -p "$WORK/www$(dirname "$RESULTS")"
curl -sf "$BASE$RESULTS" -o "$WORK/www$RESULTS"
# The rendered page, as a file at its own path (nginx sends it as HTML).
PAGE=/2018/blocs/1/results
mkdir -p "$WORK/www$(dirname "$PAGE")"
curl -sf "$BASE$PAGE" -o "$WORK/www$PAGE"
grep -q 'id="ssr"' "$WORK/www$PAGE" || { echo "error: $PAGE is not rendered by the server" >&2; exit 1; }
cp "$DIST/index.html" "$WORK/www/index.html"
cp "$DIST$ASSET" "$WORK/www$ASSET"
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path $WORK/nginx-tmp;
  proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp;
  scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location /api/ { default_type application/json; }
    location /2018/ { default_type text/html; }
  }
}
CONF
mkdir -p "$WORK/nginx-tmp"
# nginx's worker drops root for `nobody`, which must read the files.
chmod -R a+rX "$WORK"
nginx -c "$WORK/nginx.conf" -p "$WORK" 2>/dev/null &
PIDS+=($!)
NGINX=http://127.0.0.1:$NGINX_PORT
for _ in $(seq 1 50); do curl -sf "$NGINX/index.html" -o /dev/null && break; sleep 0.1; done
cmp -s <(curl -sf "$BASE$RESULTS") <(curl -sf "$NGINX$RESULTS") || { echo "error: nginx does not serve the same results bytes" >&2; exit 1; }

etag() { curl -sfI "$1" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'; }

# "req/s p50 p99" of one wrk run.
measure() {
  local url=$1 header=${2:-}
  local args=(-t1 -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$header" ] && args+=(-H "$header")
  wrk "${args[@]}" "$url" | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx/ { bad = $NF }
    END { printf "%d %s %s%s\n", rps, p50, p99, (bad ? " (" bad " non-2xx/3xx)" : "") }'
}

printf '| what | bytes | thidua req/s | p50 | p99 | nginx req/s | p50 | p99 | thidua / nginx |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
row() {
  local name=$1 path=$2 conditional=${3:-}
  local size ours theirs h1="" h2=""
  size=$(curl -sf "$BASE$path" | wc -c)
  if [ -n "$conditional" ]; then
    h1="If-None-Match: $(etag "$BASE$path")"
    h2="If-None-Match: $(etag "$NGINX$path")"
  fi
  read -r r1 a1 b1 x1 <<<"$(measure "$BASE$path" "$h1")"
  read -r r2 a2 b2 x2 <<<"$(measure "$NGINX$path" "$h2")"
  if $SMOKE && { [ -n "$x1" ] || [ -n "$x2" ] || [ "$r1" -eq 0 ]; }; then
    echo "error: $name: $r1 req/s $x1, nginx $r2 req/s $x2" >&2
    exit 1
  fi
  printf '| %s | %s | %s%s | %s | %s | %s%s | %s | %s | %s× |\n' "$name" "$size" "$r1" "${x1:+ $x1}" "$a1" "$b1" \
    "$r2" "${x2:+ $x2}" "$a2" "$b2" "$(python3 -c "print(f'{$r1 / max($r2, 1):.2f}')")"
}
row "published results" "$RESULTS"
row "published results, If-None-Match (304)" "$RESULTS" conditional
row "results page, rendered" "$PAGE"
row "index.html" /index.html
row "hashed asset $ASSET" "$ASSET"
