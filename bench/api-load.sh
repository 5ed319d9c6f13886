#!/usr/bin/env bash
# API load on 127.0.0.1 only, bounded in time: the public results of a bloc and a sheet write
# loop, requests per second and p50/p99 latency, on SQLite and on PostgreSQL, with one and two
# server instances, at 10, 100 and 1000 units in a bloc (generated data). A measurement, not a
# test.
#   bench/api-load.sh [--units "10 100 1000"] [--duration 5s] [--engines "sqlite postgres"] [--smoke]
# Needs wrk (Debian's `wrk`, installed when missing) and the release server build.
# --smoke (CI): 10 units, 1 s a cell, and any refused request fails the run: it proves the
# script still runs against the current API; its figures mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
UNITS="10 100 1000"
DURATION=5s
ENGINES="sqlite postgres"
SMOKE=false
while [ $# -gt 0 ]; do
  case "$1" in
    --units) UNITS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    --smoke) SMOKE=true; UNITS=10; DURATION=1s; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq wrk >/dev/null
fi
# THIDUA_BENCH_BIN: another build to measure (e.g. the debug one, to try the script quickly).
BIN=${THIDUA_BENCH_BIN:-target/release/thidua-server}
[ -n "${THIDUA_BENCH_BIN:-}" ] || cargo build --release --offline -q -p thidua-server
source scripts/pg.sh
WORK=$(mktemp -d /tmp/thidua-bench.XXXXXX)
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

# The 2019 bloc grown to N members (units 8…N added), every added member's sheet approved with
# verified scores (the demo's 7 stay drafts: publishing acknowledges them). Portable SQL: the same
# text runs in sqlite3 and psql.
generate_sql() {
  local n=$1
  cat <<SQL
WITH RECURSIVE k(i) AS (SELECT 8 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO units (id, name) SELECT i, 'Đơn vị thử ' || i FROM k;
INSERT INTO unit_names (unit_id, from_year, name) SELECT id, 2019, name FROM units WHERE id >= 8;
INSERT INTO memberships (bloc_id, year, unit_id, position) SELECT 1, 2019, id, id - 1 FROM units WHERE id >= 8;
INSERT INTO score_sheets (bloc_id, year, unit_id, state) SELECT 1, 2019, id, 'approved' FROM units WHERE id >= 8;
INSERT INTO criterion_scores (sheet_id, criterion_id, self_score, verified_score)
SELECT s.id, c.id, c.max_points, ((c.max_points * ((s.unit_id * 7) % 10)) / 10 / 50) * 50
FROM score_sheets s JOIN criteria c ON c.bloc_id = s.bloc_id AND c.year = s.year
WHERE s.year = 2019 AND s.unit_id >= 8
  AND NOT EXISTS (SELECT 1 FROM criteria d WHERE d.parent_id = c.id);
SQL
}

run_sql() {
  local db=$1 file=$2
  case "$db" in
    sqlite://*) sqlite3 "${db#sqlite://}" <"$file" ;;
    *) "$PSQL" -q -v ON_ERROR_STOP=1 "$db" -f "$file" >/dev/null ;;
  esac
}

new_db() {
  local engine=$1 name=$2
  if [ "$engine" = sqlite ]; then
    echo "sqlite://$WORK/$name.sqlite3"
  else
    "$PSQL" -q "$PG_URL/postgres" -c "CREATE DATABASE $name" >/dev/null
    echo "$PG_URL/$name"
  fi
}

# wrk's summary → "req/s p50 p99"
summary() {
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%s %s %s\n", rps, p50, p99}'
}

printf '| engine | instances | units | results req/s | p50 | p99 | writes req/s | p50 | p99 |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for engine in $ENGINES; do
  for n in $UNITS; do
    db=$(new_db "$engine" "bench_${n}")
    start "$db" --pool-size 16
    a=$BASE
    generate_sql "$n" >"$WORK/gen.sql"
    [ "$n" -gt 7 ] && run_sql "$db" "$WORK/gen.sql"
    curl -s -c "$WORK/jar" -H 'content-type: application/json' \
      -d '{"username":"staff","password":"thidua-demo"}' "$a/api/auth/login" >/dev/null
    cookie="thidua_session=$(awk '/thidua_session/ {print $7}' "$WORK/jar")"
    # The write loop scores the drafts of 2020 (a year copied from 2019: the same members, an
    # empty draft each), since a published bloc-year's sheets are closed to writes.
    curl -sS -f -o /dev/null -X POST -H "Cookie: $cookie" -H 'content-type: application/json' \
      -d '{"year": 2020, "copy_from": 2019}' "$a/api/admin/years"
    # Publishing results whose sheets are not all approved needs those problems acknowledged
    # (the demo's seven drafts), with a reason: first ask which, then acknowledge them.
    problems=$(curl -s -X POST -H "Cookie: $cookie" "$a/api/years/2019/blocs/1/publish" |
      python3 -c 'import json,sys; b=json.load(sys.stdin); print(json.dumps(b.get("problems", [])))')
    curl -sS -f -o /dev/null -X POST -H "Cookie: $cookie" -H 'content-type: application/json' \
      -d "{\"acknowledge\": $problems, \"reason\": \"Số liệu đo tải\"}" "$a/api/years/2019/blocs/1/publish"
    # The write body: every leaf criterion of a 2020 draft sheet, at 1 point.
    sheets_json=$(curl -s -H "Cookie: $cookie" "$a/api/sheets?year=2020")
    first=$(python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin) if x["state"]=="draft"]; print(s[0]["id"])' <<<"$sheets_json")
    body=$(curl -s -H "Cookie: $cookie" "$a/api/sheets/$first" | python3 -c '
import json, sys
v = json.load(sys.stdin)
ids = [c["id"] for c in v["criteria"]["criteria"]]
parents = {c["parent_id"] for c in v["criteria"]["criteria"]}
scores = [{"criterion_id": i, "self_score": 1, "note": "", "evidence": []} for i in ids if i not in parents]
print(json.dumps({"base_version": 0, "scores": scores, "bonuses": [], "deductions": []}).replace("0,", "BASE_VERSION,", 1))')
    drafts=$(python3 -c 'import json,sys; print(" ".join(str(x["id"]) for x in json.load(sys.stdin) if x["state"]=="draft"))' <<<"$sheets_json")
    for instances in 1 2; do
      bases=("$a")
      if [ "$instances" = 2 ]; then
        start "$db" --pool-size 16
        bases+=("$BASE")
      fi
      # Results: 16 connections in all, split over the instances.
      per=$((16 / instances))
      loads=()
      i=0
      for base in "${bases[@]}"; do
        wrk -t1 -c"$per" -d"$DURATION" --latency "$base/api/years/2019/blocs/1/results" >"$WORK/r.$i" &
        loads+=($!)
        i=$((i + 1))
      done
      wait "${loads[@]}"
      read_rps=0; read_p50=""; read_p99=""
      for f in "$WORK"/r.*; do
        if grep -q "Non-2xx" "$f"; then
          echo "warning: some reads were not 2xx: $(grep Non-2xx "$f")" >&2
          $SMOKE && exit 1
        fi
        read -r rps p50 p99 < <(summary <"$f")
        read_rps=$(python3 -c "print(round($read_rps + $rps))"); read_p50+="$p50 "; read_p99+="$p99 "
        rm -f "$f"
      done
      # Writes: 3 connections per instance, each its own draft sheet, from its current version.
      i=0
      loads=()
      for base in "${bases[@]}"; do
        spec=""
        for id in $(echo "$drafts" | cut -d' ' -f$((i * 3 + 1))-$((i * 3 + 3))); do
          ver=$(curl -s -H "Cookie: $cookie" "$base/api/sheets/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
          spec+="$id:$ver "
        done
        SHEETS="$spec" BODY="$body" COOKIE="$cookie" wrk -t3 -c3 -d"$DURATION" --latency -s bench/sheet-write.lua \
          "$base" >"$WORK/w.$i" &
        loads+=($!)
        i=$((i + 1))
      done
      wait "${loads[@]}"
      write_rps=0; write_p50=""; write_p99=""
      for f in "$WORK"/w.*; do
        if ! grep -q "non-200: 0" "$f"; then
          echo "warning: some writes were not 200: $(grep non-200 "$f")" >&2
          $SMOKE && exit 1
        fi
        read -r rps p50 p99 < <(summary <"$f")
        write_rps=$(python3 -c "print(round($write_rps + $rps))"); write_p50+="$p50 "; write_p99+="$p99 "
        rm -f "$f"
      done
      printf '| %s | %s | %s | %s | %s| %s| %s | %s| %s|\n' "$engine" "$instances" "$n" \
        "$read_rps" "$read_p50" "$read_p99" "$write_rps" "$write_p50" "$write_p99"
    done
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    PIDS=()
  done
done
