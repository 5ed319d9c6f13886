# What the benchmarks that start their own servers share (sourced; needs BIN, WORK and the
# array PIDS set by the script).

# Starts a server on DB with the demo data and any further options; sets BASE to its URL and
# SERVER_PID to its pid, which also goes to PIDS (no subshell, so the caller's cleanup kills it).
start() {
  local db=$1 log=$WORK/server.$RANDOM
  shift
  "$BIN" --addr 127.0.0.1:0 --database "$db" --static-dir "$WORK/no-dist" --demo "$@" >"$log" 2>"$log.err" &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  # Up to 30 s: a debug build on a busy machine (the smoke run after the end-to-end tests)
  # has taken more than 10.
  for _ in $(seq 1 300); do
    if grep -q "listening on" "$log" 2>/dev/null; then
      BASE=$(sed -n 's|thidua-server listening on \(http://[^/]*\)/|\1|p' "$log" | head -n 1)
      return
    fi
    sleep 0.1
  done
  echo "error: the server did not start: $(tail -3 "$log") $(tail -5 "$log.err")" >&2
  exit 1
}
