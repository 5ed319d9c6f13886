#!/usr/bin/env bash
# README command 1 as a newcomer runs it: a clean clone of this repository's HEAD, an empty
# cargo home (no registry cache, no Trunk, no wasm-bindgen CLI), the Debian packages as they
# are. Prints the time from start to the printed URL and each step's own time, then checks
# that the server answers the rendered results page and the staff build. Takes the machine
# for 7 to 12 minutes: run it on an idle machine, or the figure means little.
#   bench/first-run.sh [--port 18080]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18080
[ "${1:-}" = "--port" ] && PORT=$2
WORK=$(mktemp -d /tmp/thidua-first-run.XXXXXX)
trap 'pkill -f "127.0.0.1:$PORT" 2>/dev/null || true' EXIT
# The toolchain stays (rustup's), everything cargo installed or cached does not.
mkdir -p "$WORK/home" "$WORK/bin"
for t in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  ln -s "$HOME/.cargo/bin/$t" "$WORK/bin/$t"
done
git clone -q "$PWD" "$WORK/clone"
cd "$WORK/clone"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" HOME="$WORK/home" CARGO_HOME="$WORK/home/.cargo"
export PATH="$WORK/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
if command -v trunk >/dev/null || command -v wasm-bindgen >/dev/null; then
  echo "error: trunk or wasm-bindgen is on PATH ($(command -v trunk wasm-bindgen)): not a first run" >&2
  exit 1
fi
start=$(date +%s.%N)
THIDUA_ADDR="127.0.0.1:$PORT" scripts/run.sh >"$WORK/run.log" 2>&1 &
pid=$!
until grep -q "listening on" "$WORK/run.log" 2>/dev/null; do
  kill -0 "$pid" 2>/dev/null || { echo "scripts/run.sh ended early:" >&2; tail -20 "$WORK/run.log" >&2; exit 1; }
  sleep 1
done
end=$(date +%s.%N)
python3 -c "t = $end - $start; print(f'fresh clone to the printed URL: {int(t // 60)} min {t % 60:.0f} s ({t:.0f} s)')"
grep -E '^ +\(.*: [0-9]+ s\)' "$WORK/run.log"
curl -fsS -o /dev/null -w 'rendered results page: %{http_code}, %{size_download} bytes\n' \
  "http://127.0.0.1:$PORT/2018/blocs/1/results"
curl -fsS -o /dev/null -w 'staff sign-in page: %{http_code}, %{size_download} bytes\n' "http://127.0.0.1:$PORT/sign-in"
kill "$pid"
echo "(the clone and its cargo home are in $WORK: remove them when done)"
