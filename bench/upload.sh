#!/usr/bin/env bash
# Evidence-file uploads on 127.0.0.1 (tus 1.0, issue 20), beside a limit in the same run:
#  1. throughput of one 25 MB file sent in one PATCH, against curl PUTting the same bytes to
#     nginx (WebDAV: nginx reads the body and writes it to a file) — the ratio;
#  2. the server's resident memory while 10 clients upload 25 MB each at once: before, the
#     peak (sampled every 20 ms), and the kernel's high-water mark (VmHWM) — it must stay
#     flat, the bytes are streamed to the database in 512 KiB chunks;
#  3. resuming after the connection is cut at 50 %: the time from reconnecting to the server
#     answering the offset (HEAD), and to the rest being stored and the file attached.
# SQLite and PostgreSQL. A measurement, not a test.
#   bench/upload.sh [--mb 25] [--clients 10] [--rounds 3] [--engines "sqlite postgres"] [--smoke]
# --smoke (CI): 2 MB, 2 clients, one round, SQLite only; any refused request fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
MB=25
CLIENTS=10
ROUNDS=3
ENGINES="sqlite postgres"
while [ $# -gt 0 ]; do
  case "$1" in
    --mb) MB=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --engines) ENGINES=$2; shift 2 ;;
    --smoke) MB=2; CLIENTS=2; ROUNDS=1; ENGINES=sqlite; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
export PATH="$HOME/.cargo/bin:$PATH"
BIN=${THIDUA_BENCH_BIN:-target/release/thidua-server}
[ -n "${THIDUA_BENCH_BIN:-}" ] || cargo build --release --offline -q -p thidua-server
source scripts/pg.sh
WORK=$(mktemp -d /tmp/thidua-upload.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
if [[ " $ENGINES " == *" postgres "* ]]; then pg_start; fi
PSQL="$(pg_bindir)/psql"

# The limit: nginx reading a PUT body and writing it to a file (the same work minus the hash
# and the database), on its own port.
mkdir -p "$WORK/put" "$WORK/logs"
# nginx's workers may run as another user (nobody): they must reach the directory they write.
chmod 755 "$WORK"
chmod 777 "$WORK/put"
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $WORK/body;
  server {
    listen 127.0.0.1:18931;
    client_max_body_size 0;
    location / { root $WORK/put; dav_methods PUT; create_full_put_path on; }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK" 2>/dev/null
head -c $((MB * 1024 * 1024)) /dev/urandom >"$WORK/file.pdf"
printf '%%PDF-1.7\n' | dd of="$WORK/file.pdf" conv=notrunc status=none

# shellcheck source=bench/lib.sh
source bench/lib.sh

# The tus client (Python's standard library only): `one` uploads the file in one PATCH and
# prints the seconds; `many N` uploads it N times at once while sampling the server's RSS and
# prints "before_kib peak_kib hwm_kib"; `resume` cuts an upload at 50 % and prints the ms to
# the HEAD's answer and to the file attached.
cat >"$WORK/tus.py" <<'PY'
import base64, http.client, json, socket, sys, threading, time
from urllib.parse import urlparse
base, path, pid, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
host, port = urlparse(base).hostname, urlparse(base).port
data = open(path, "rb").read()
def req(method, url, body=None, headers=None):
    c = http.client.HTTPConnection(host, port, timeout=600)
    c.request(method, url, body=body, headers=headers or {})
    r = c.getresponse(); out = r.read(); c.close()
    return r, out
r, _ = req("POST", "/api/auth/login", json.dumps({"username": "yte", "password": "thidua-demo"}), {"content-type": "application/json"})
assert r.status == 200, r.status
cookie = r.getheader("set-cookie").split(";")[0]
r, body = req("GET", "/api/sheets?year=2019", headers={"cookie": cookie})
sheet = json.loads(body)[0]["id"]
r, body = req("GET", f"/api/sheets/{sheet}", headers={"cookie": cookie})
view = json.loads(body)
leaf = next(c["id"] for c in view["criteria"]["criteria"] if not any(d.get("parent_id") == c["id"] for d in view["criteria"]["criteria"]))
b64 = lambda s: base64.b64encode(s.encode()).decode()
tus = {"cookie": cookie, "tus-resumable": "1.0.0"}
def create():
    r, body = req("POST", f"/api/sheets/{sheet}/uploads", headers={**tus, "upload-length": str(len(data)),
        "upload-metadata": f"filename {b64('Báo cáo.pdf')},target {b64(f'criterion:{leaf}')}"})
    assert r.status == 201, (r.status, body)
    return r.getheader("location")
def patch(at, offset, chunk):
    r, body = req("PATCH", at, chunk, {**tus, "upload-offset": str(offset), "content-type": "application/offset+octet-stream"})
    assert r.status == 204, (r.status, body)
    return int(r.getheader("upload-offset")), r.getheader("thidua-file-id")
def rss():
    fields = dict(l.split(":", 1) for l in open(f"/proc/{pid}/status"))
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
if mode == "one":
    at = create(); t = time.perf_counter(); end, fid = patch(at, 0, data)
    assert end == len(data) and fid, (end, fid)
    print(f"{time.perf_counter() - t:.4f}")
elif mode.startswith("many"):
    n = int(sys.argv[5]); before = rss()[0]; peak = [before]; done = threading.Event()
    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss()[0]); time.sleep(0.02)
    s = threading.Thread(target=sample); s.start()
    ats = [create() for _ in range(n)]
    ts = [threading.Thread(target=lambda a=a: patch(a, 0, data)) for a in ats]
    [t.start() for t in ts]; [t.join() for t in ts]; done.set(); s.join()
    print(before, peak[0], rss()[1])
elif mode == "resume":
    at = create(); half = len(data) // 2
    sock = socket.create_connection((host, port))
    head = (f"PATCH {at} HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookie}\r\nTus-Resumable: 1.0.0\r\n"
            f"Upload-Offset: 0\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {len(data)}\r\n\r\n")
    sock.sendall(head.encode() + data[:half]); sock.close()
    time.sleep(0.5)  # the cut reaches the server; then the client comes back
    t = time.perf_counter()
    r, _ = req("HEAD", at, headers=tus); offset = int(r.getheader("upload-offset"))
    head_ms = (time.perf_counter() - t) * 1000
    assert offset == half, (offset, half)
    end, fid = patch(at, offset, data[offset:])
    assert end == len(data) and fid
    print(f"{head_ms:.1f} {(time.perf_counter() - t) * 1000:.0f}")
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for engine in $ENGINES; do
  case $engine in
    sqlite) db="sqlite://$WORK/bench-$RANDOM.sqlite3" ;;
    postgres)
      name="thidua_upload_$RANDOM"
      "$PSQL" -q -d "$PG_URL/postgres" -c "CREATE DATABASE $name" >/dev/null
      db="$PG_URL/$name" ;;
  esac
  start "$db" --max-sheet-mib 65536
  : >"$WORK/ours"; : >"$WORK/nginx"
  for _ in $(seq 1 "$ROUNDS"); do
    python3 "$WORK/tus.py" "$BASE" "$WORK/file.pdf" "$SERVER_PID" one >>"$WORK/ours"
    curl -sS -f -o /dev/null -w '%{time_total}\n' -T "$WORK/file.pdf" "http://127.0.0.1:18931/r$RANDOM.pdf" >>"$WORK/nginx"
  done
  ours=$(median <"$WORK/ours"); theirs=$(median <"$WORK/nginx")
  read -r before peak hwm < <(python3 "$WORK/tus.py" "$BASE" "$WORK/file.pdf" "$SERVER_PID" many "$CLIENTS")
  read -r head_ms rest_ms < <(python3 "$WORK/tus.py" "$BASE" "$WORK/file.pdf" "$SERVER_PID" resume)
  python3 - "$engine" "$MB" "$ours" "$theirs" "$CLIENTS" "$before" "$peak" "$hwm" "$head_ms" "$rest_ms" <<'PY'
import sys
engine, mb, ours, theirs, n, before, peak, hwm, head, rest = sys.argv[1:]
mb, ours, theirs = float(mb), float(ours), float(theirs)
print(f"{engine}: one {mb:.0f} MB upload {mb / ours:.0f} MB/s ({ours:.2f} s) vs nginx PUT {mb / theirs:.0f} MB/s "
      f"({theirs:.2f} s): {theirs / ours:.2f}x nginx")
print(f"{engine}: {n} x {mb:.0f} MB at once: RSS {int(before) // 1024} MiB before, peak {int(peak) // 1024} MiB "
      f"(+{(int(peak) - int(before)) // 1024} MiB), high-water mark {int(hwm) // 1024} MiB")
print(f"{engine}: cut at 50 %: offset known {head} ms after reconnecting; rest stored and attached in {rest} ms")
PY
  kill "$SERVER_PID" 2>/dev/null || true
done
