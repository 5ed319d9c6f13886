# A throwaway PostgreSQL cluster for the tests and the benchmark. Source it, then:
#   pg_start        # installs PostgreSQL from Debian if missing, starts a cluster in a temp
#                   # dir on a free port on 127.0.0.1; sets PG_URL=postgres://postgres@127.0.0.1:PORT
#   trap pg_stop EXIT
# The server runs as the unprivileged `postgres` user when we are root (PostgreSQL refuses to
# run as root), as ourselves otherwise. Nothing outside the temp dir is touched.

PG_DIR=""
PG_URL=""

pg_bindir() {
  # The newest installed major version.
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_install() {
  [ -n "$(pg_bindir)" ] && return 0
  printf '\033[1m==> apt-get install postgresql\033[0m\n'
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  # Debian's package starts a cluster of its own; the tests never use it.
}

pg_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_start() {
  pg_install
  local bin
  bin=$(pg_bindir)
  PG_DIR=$(mktemp -d /tmp/thidua-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR"
  # C collation: text sorts by bytes, as in SQLite, so both engines answer in the same order.
  pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C >"$PG_DIR/initdb.log"
  local port tries=0
  while :; do
    port=$(pg_free_port)
    # fsync off: a throwaway cluster need not survive a power cut, and the tests run faster.
    # Enough connections for test servers running in parallel, each with its own pool.
    if pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/data/log" -w \
      -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=400" \
      start >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then
      echo "error: PostgreSQL did not start; see $PG_DIR/data/log" >&2
      return 1
    fi
  done
  PG_URL="postgres://postgres@127.0.0.1:$port"
  export PG_URL PG_DIR
}

pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  pg_as_owner "$(pg_bindir)/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
