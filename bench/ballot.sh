#!/usr/bin/env bash
# The conference's vote under load, on 127.0.0.1: N delegates cast their phone ballots at the
# same moment on one server (p50/p99 of a cast), beside the same server answering N health
# checks at once in the same run (the floor: the lightest request it has, at the same
# concurrency); then the time from "close" to the tally in the results. SQLite and PostgreSQL.
# A measurement, not a test.
#   bench/ballot.sh [--delegates 60] [--engines "sqlite postgres"] [--rounds 3] [--smoke]
# --smoke (CI): 8 delegates, one round, SQLite only; any refused request fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
DELEGATES=60
ENGINES="sqlite postgres"
ROUNDS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --delegates) DELEGATES=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --smoke) DELEGATES=8; ENGINES=sqlite; ROUNDS=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"
BIN=${THIDUA_BENCH_BIN:-target/release/thidua-server}
[ -n "${THIDUA_BENCH_BIN:-}" ] || cargo build --release --offline -q -p thidua-server
source scripts/pg.sh
WORK=$(mktemp -d /tmp/thidua-ballot.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
if [[ " $ENGINES " == *" postgres "* ]]; then pg_start; fi
PSQL="$(pg_bindir)/psql"

# shellcheck source=bench/lib.sh
source bench/lib.sh

# p50 and p99 in ms of the times (s) in file $1, one per line.
percentiles() {
  python3 - "$1" <<'PY'
import sys
t = sorted(float(x) * 1000 for x in open(sys.argv[1]) if x.strip())
pick = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"{pick(0.5):.1f} {pick(0.99):.1f}")
PY
}

# One round on a fresh database: opens the 2018 bloc's vote with N cards, N casts at once,
# closes; prints "cast_p50 cast_p99 health_p50 health_p99 close_to_tally_ms".
round() {
  local db=$1 dir=$WORK/round.$RANDOM
  mkdir -p "$dir"
  start "$db"
  curl -sS -f -c "$dir/jar" -o /dev/null -H 'content-type: application/json' \
    -d '{"username":"staff","password":"thidua-demo"}' "$BASE/api/auth/login"
  local cookie="thidua_session=$(awk '/thidua_session/ {print $7}' "$dir/jar")"
  curl -sS -f -o /dev/null -X POST -H "Cookie: $cookie" "$BASE/api/years/2018/blocs/1/unpublish?reason=bench"
  curl -sS -f -o "$dir/opened.json" -H "Cookie: $cookie" -H 'content-type: application/json' \
    -d "{\"cards\": $DELEGATES}" "$BASE/api/years/2018/blocs/1/vote"
  # Each delegate ticks the first two units of the provincial flag's part.
  python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
opened = json.load(open(f"{d}/opened.json"))
part = opened["session"]["sections"][1]
ticks = [{"award_type_id": part["award_type_id"], "units": part["units"][:2]}]
for i, code in enumerate(opened["codes"]):
    json.dump({"code": code, "ticks": ticks}, open(f"{d}/cast.{i}.json", "w"))
PY
  seq 0 $((DELEGATES - 1)) | xargs -P "$DELEGATES" -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
    "$BASE/api/health" >"$dir/health.out"
  seq 0 $((DELEGATES - 1)) | xargs -P "$DELEGATES" -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
    -H 'content-type: application/json' --data "@$dir/cast.{}.json" "$BASE/api/vote/cast" >"$dir/cast.out"
  if grep -qv '^200 ' "$dir/cast.out" "$dir/health.out"; then
    echo "error: refused requests: $(grep -v '^200 ' "$dir/cast.out" "$dir/health.out" | sort | uniq -c)" >&2
    exit 1
  fi
  awk '{print $2}' "$dir/cast.out" >"$dir/cast.t"
  awk '{print $2}' "$dir/health.out" >"$dir/health.t"
  local t0 t1
  t0=$(date +%s%N)
  curl -sS -f -o /dev/null -H "Cookie: $cookie" -H 'content-type: application/json' \
    -d "{\"voters_present\": $DELEGATES}" "$BASE/api/years/2018/blocs/1/vote/close"
  curl -sS -f -o "$dir/results.json" -H "Cookie: $cookie" "$BASE/api/years/2018/blocs/1/results"
  t1=$(date +%s%N)
  python3 - "$dir/results.json" "$DELEGATES" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
assert r["tally_method"] == "counted", r["tally_method"]
assert r["tally"]["voters_present"] == n
assert max(v["votes"] for v in r["tally"]["votes"]) == n, "every ballot counted"
PY
  echo "$(percentiles "$dir/cast.t") $(percentiles "$dir/health.t") $(( (t1 - t0) / 1000000 ))"
  kill "${PIDS[-1]}" 2>/dev/null || true
}

echo "$(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg); $DELEGATES delegates at once; $ROUNDS rounds each"
printf '%-9s %-6s %12s %12s %14s %14s %16s\n' engine round "cast p50 ms" "cast p99 ms" "health p50 ms" "health p99 ms" "close→tally ms"
for engine in $ENGINES; do
  for r in $(seq 1 "$ROUNDS"); do
    if [ "$engine" = sqlite ]; then
      db="sqlite://$WORK/ballot.$RANDOM.sqlite3"
    else
      name="ballot_$RANDOM"
      "$PSQL" -q -d "$PG_URL/postgres" -c "CREATE DATABASE $name LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" >/dev/null
      db="$PG_URL/$name"
    fi
    round "$db" >"$WORK/row"
    read -r cp50 cp99 hp50 hp99 close_ms <"$WORK/row"
    printf '%-9s %-6s %12s %12s %14s %14s %16s\n' "$engine" "$r" "$cp50" "$cp99" "$hp50" "$hp99" "$close_ms"
  done
done
