#!/usr/bin/env bash
# The middle node of a chain: redis-server -> MIDDLE -> redis-server, MIDDLE being redis-server or Cascade,
# same data and load, alternating runs.
#   bench/chain.sh [N] [ROUNDS] [WRITES]       (default N=1000000 keys, ROUNDS=3, WRITES=5000)
# Per run it reports:
#   - downstream full sync: the time from the bottom's REPLICAOF to its link up with the middle's offset;
#   - added latency per hop: a client SETs a fresh value on the top and reads the bottom until it is there,
#     WRITES times, while a second client keeps the top busy with writes; p50/p99/p99.9 of that delay, once
#     right after the sync and once more after 10 s more of the write load (steady state: JIT compiled);
#   - the middle node's RSS before the downstream sync and at its peak during it (with its children).
# Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
N="${1:-1000000}"
ROUNDS="${2:-3}"
WRITES="${3:-5000}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); N=$N, WRITES=$WRITES"
for round in $(seq 1 "$ROUNDS"); do
  for kind in redis cascade; do
    d="$work/$kind-$round"
    start_server "$d/top" redis-server --repl-diskless-sync-delay 0
    top="$port"; top_pid="$pid"
    redis-cli -p "$top" debug populate "$N" key 100 >/dev/null
    # DEBUG POPULATE is not propagated: the middle gets the keys in its full sync
    start_kind "$kind" "$d/middle" --repl-diskless-sync-delay 0 --replicaof "127.0.0.1 $top"
    middle="$port"; middle_pid="$pid"
    until redis-cli -p "$middle" info replication | grep -q master_link_status:up; do sleep 0.1; done
    start_server "$d/bottom" redis-server --repl-diskless-sync-delay 0
    bottom="$port"; bottom_pid="$pid"
    BENCH_DIR="$here/bench" python3 - "$kind" "$top" "$middle" "$middle_pid" "$bottom" "$WRITES" <<'PY'
import os, subprocess, sys, threading, time
kind, top, middle, middle_pid, bottom, writes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
WARM_SECONDS = 10
sys.path.insert(0, os.environ["BENCH_DIR"])
from resp import call, conn, info, rss_kb
stop = threading.Event()
def background():
    c = conn(top); i = 0
    while not stop.is_set():
        call(c, b"SET", b"bg:%d" % (i % 10000), b"x" * 50); i += 1
threading.Thread(target=background, daemon=True).start()
before = rss_kb(middle_pid); peak = before
subprocess.run(["redis-cli", "-p", str(bottom), "replicaof", "127.0.0.1", str(middle)], check=True, capture_output=True)
t0 = time.time()
while info(bottom, "master_link_status") != "up":
    peak = max(peak, rss_kb(middle_pid)); time.sleep(0.02)
sync = time.time() - t0
t, b = conn(top), conn(bottom)
def probes():
    delays = []
    for i in range(writes):
        v = b"%d-%d" % (i, time.time_ns())
        t1 = time.perf_counter()
        call(t, b"SET", b"probe", v)
        while call(b, b"GET", b"probe") != v:
            pass
        delays.append(time.perf_counter() - t1)
    delays.sort()
    q = lambda p: delays[min(len(delays) - 1, int(len(delays) * p))] * 1e3
    return "p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms" % (q(0.5), q(0.99), q(0.999))
first = probes()           # right after the sync: the middle's code paths are still cold (a JVM's JIT)
time.sleep(WARM_SECONDS)   # the writer keeps going: the steady state the goal is about
steady = probes()
stop.set()
print("%-8s downstream sync %.2f s; top->bottom delay right after the sync: %s; after %d s more of load: %s; middle RSS %d MB, peak %d MB during the sync" % (
    kind, sync, first, WARM_SECONDS, steady, before >> 10, peak >> 10))
PY
    kill "$bottom_pid" "$middle_pid" "$top_pid" 2>/dev/null || true
    wait "$bottom_pid" "$middle_pid" "$top_pid" 2>/dev/null || true
  done
done
