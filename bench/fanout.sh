#!/usr/bin/env bash
# Fan-out from the middle node: redis-server -> MIDDLE -> K redis-server replicas, MIDDLE being redis-server or
# Cascade, under a steady write load on the top, for K in 1 10 30.
#   bench/fanout.sh [PROBES] [KEYS]        (default PROBES=500, KEYS=100000 keys on the top before it starts)
# Per run: a probe SETs a fresh value on the top and waits until every replica below the middle has it; the
# delay of the slowest replica is reported as p50 / p99 / max, next to redis-server's in the same run, once as
# soon as the replicas are linked and once more after 10 s more of the write load (steady state).
# Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
PROBES="${1:-500}"
KEYS="${2:-100000}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); PROBES=$PROBES, KEYS=$KEYS"
for k in 1 10 30; do
  for kind in redis cascade; do
    d="$work/$kind-$k"
    run_pids=()
    start_server "$d/top" redis-server --repl-diskless-sync-delay 0
    top="$port"; run_pids+=("$pid")
    redis-cli -p "$top" debug populate "$KEYS" key 100 >/dev/null
    start_kind "$kind" "$d/middle" --repl-diskless-sync-delay 0 --replicaof "127.0.0.1 $top"
    middle="$port"; run_pids+=("$pid")
    bottoms=()
    for i in $(seq 1 "$k"); do
      start_server "$d/bottom$i" redis-server --repl-diskless-sync-delay 0 --replicaof "127.0.0.1 $middle"
      bottoms+=("$port"); run_pids+=("$pid")
    done
    BENCH_DIR="$here/bench" python3 - "$kind" "$k" "$top" "$PROBES" "${bottoms[@]}" <<'PY'
import os, subprocess, sys, threading, time
kind, k, top, probes, bottoms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), [int(p) for p in sys.argv[5:]]
sys.path.insert(0, os.environ["BENCH_DIR"])
from resp import call, conn, info
deadline = time.time() + 120
for p in bottoms:
    while info(p, "master_link_status") != "up":
        if time.time() > deadline:
            sys.exit("replicas did not link")
        time.sleep(0.1)
stop = threading.Event()
def background():
    c = conn(top); i = 0
    while not stop.is_set():
        call(c, b"SET", b"bg:%d" % (i % 10000), b"x" * 50); i += 1
threading.Thread(target=background, daemon=True).start()
t, bs = conn(top), [conn(p) for p in bottoms]
def measure(tag):
    delays = []
    for i in range(probes):
        v = b"%s-%d" % (tag, i)
        t1 = time.perf_counter()
        call(t, b"SET", b"probe", v)
        for b in bs:
            while call(b, b"GET", b"probe") != v:
                pass
        delays.append(time.perf_counter() - t1)
    delays.sort()
    q = lambda p: delays[min(len(delays) - 1, int(len(delays) * p))] * 1e3
    return "p50 %.3f ms, p99 %.3f ms, max %.3f ms" % (q(0.5), q(0.99), delays[-1] * 1e3)
first = measure(b"first")  # a fresh middle: its code paths are still cold (a JVM's JIT)
time.sleep(10)             # the writer keeps going: the steady state
steady = measure(b"steady")
stop.set()
print("%-8s %2d replicas: slowest replica's delay at first %s; after 10 s more of load %s" % (kind, k, first, steady))
PY
    kill "${run_pids[@]}" 2>/dev/null || true
    wait "${run_pids[@]}" 2>/dev/null || true
  done
done
