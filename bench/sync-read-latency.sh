#!/usr/bin/env bash
# Reads served during a full sync: a Cascade replica holding an old dataset of N keys full-syncs from a
# redis-server master holding N other keys (repl-diskless-load swapdb), while one client sends GET in a loop.
#   bench/sync-read-latency.sh [N] [MODE]        (default N=500000, MODE=swapdb)
# Reports the longest and the 99.9th percentile wait of a GET from REPLICAOF until the sync is done, how many
# GETs were answered, and how many saw the old value (the old dataset answers until the swap) or -LOADING.
# Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
N="${1:-500000}"
MODE="${2:-swapdb}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

start_server "$work/master" redis-server --repl-diskless-sync yes --repl-diskless-sync-delay 0
master="$port"
redis-cli -p "$master" debug populate "$N" new >/dev/null
start_server "$work/replica" "$here/cascade-server" --repl-diskless-load "$MODE"
replica="$port"
redis-cli -p "$replica" debug populate "$N" old >/dev/null

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); N=$N, repl-diskless-load $MODE"
python3 - "$replica" "$master" "$N" <<'PY'
import socket, subprocess, sys, time
replica, master, n = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
s = socket.create_connection(("127.0.0.1", replica))
f = s.makefile("rb")
def get(key):
    k = key.encode()
    s.sendall(b"*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n" % (len(k), k))
    line = f.readline()
    if line.startswith(b"$") and line != b"$-1\r\n":
        f.read(int(line[1:]) + 2)
    return line
def synced():
    out = subprocess.run(["redis-cli", "-p", str(replica), "info", "replication"], capture_output=True, text=True).stdout
    return "master_link_status:up" in out
subprocess.run(["redis-cli", "-p", str(replica), "replicaof", "127.0.0.1", str(master)], check=True, capture_output=True)
waits, old, loading, i, last_check = [], 0, 0, 0, 0.0
start = time.time()
while True:
    t0 = time.perf_counter()
    reply = get("old:%d" % (i % n))
    waits.append(time.perf_counter() - t0)
    old += reply.startswith(b"$")
    loading += reply.startswith(b"-LOADING")
    i += 1
    if time.time() - last_check > 0.2:
        last_check = time.time()
        if synced():
            break
    if time.time() - start > 300:
        sys.exit("no sync after 300 s")
waits.sort()
print("sync took %.2f s; %d GETs answered, %d saw the old dataset, %d got -LOADING" % (time.time() - start, len(waits), old, loading))
print("longest GET wait %.1f ms, 99.9th percentile %.1f ms, median %.3f ms" % (waits[-1] * 1e3, waits[int(len(waits) * 0.999)] * 1e3, waits[len(waits) // 2] * 1e3))
PY
