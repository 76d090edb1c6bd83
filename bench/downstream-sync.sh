#!/usr/bin/env bash
# A master serving a full sync to a fresh redis-server replica while it takes writes: Cascade (a snapshot
# stepped between commands, no fork) next to redis-server (fork, copy-on-write), same data, same run.
#   bench/downstream-sync.sh [N] [ROUNDS]        (default N=1000000 keys, ROUNDS=3, masters alternating)
# One client on the master alternates SET and GET of random keys from REPLICAOF until the replica's link is
# up (checked from another thread); reported per master: the sync's time, the requests served and their median,
# the longest and 99.9th percentile wait of a request, and the master's memory (RSS of the process and its
# children) before and at its peak; then, from the replica's log, the transfer and the load that follows it.
# Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
N="${1:-1000000}"
ROUNDS="${2:-3}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

# phases KIND LOG: the sync's two halves from the replica's own log lines, since the replica's load of the
# received file is the same work whichever master sent it: the transfer (full resync accepted -> payload on
# disk) is what the master decides, the load after it is the floor of any master's time
phases() {
  python3 - "$1" "$2" <<'PY'
import re, sys
from datetime import datetime
marks = {}
for line in open(sys.argv[2]):
    for name, text in (("start", "Full resync from master"), ("received", "Loading DB in memory"),
                       ("done", "Finished with success")):
        if text in line and name not in marks:
            m = re.search(r"(\d+ \w+ \d+ [\d:.]+)", line)
            marks[name] = datetime.strptime(m.group(1), "%d %b %Y %H:%M:%S.%f").timestamp()
print("%-8s transfer %.2f s, then the replica's load %.2f s" % (
    sys.argv[1], marks["received"] - marks["start"], marks["done"] - marks["received"]))
PY
}

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); N=$N"
for round in $(seq 1 "$ROUNDS"); do
  for kind in cascade redis; do
    start_populated "$kind" "$work/$kind-$round" "$N"
    master="$port"; master_pid="$pid"
    start_server "$work/$kind-$round-replica" redis-server
    replica="$port"; replica_pid="$pid"
    python3 - "$kind" "$master" "$master_pid" "$replica" "$N" <<'PY'
import os, random, socket, subprocess, sys, threading, time
kind, master, master_pid, replica, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def rss_kb(pid):
    # the process and its children (redis-server's fork for the snapshot)
    total = 0
    for p in [pid] + [int(c) for c in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]:
        try:
            for line in open("/proc/%d/status" % p):
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total
s = socket.create_connection(("127.0.0.1", master))
f = s.makefile("rb")
def call(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    s.sendall(out)
    line = f.readline()
    if line.startswith(b"$") and line != b"$-1\r\n":
        f.read(int(line[1:]) + 2)
    return line
def synced():
    out = subprocess.run(["redis-cli", "-p", str(replica), "info", "replication"], capture_output=True, text=True).stdout
    return "master_link_status:up" in out
before = rss_kb(master_pid)
# the link and memory checks (two subprocesses, tens of ms each) run in their own thread: in the request loop
# they would make the request count measure the checks rather than the master
state = {"peak": before, "synced": False}
def checker():
    while not state["synced"]:
        time.sleep(0.1)
        state["peak"] = max(state["peak"], rss_kb(master_pid))
        state["synced"] = synced()
subprocess.run(["redis-cli", "-p", str(replica), "replicaof", "127.0.0.1", str(master)], check=True, capture_output=True)
waits, i = [], 0
start = time.time()
threading.Thread(target=checker, daemon=True).start()
rnd = random.Random(1)
while not state["synced"]:
    key = b"key:%d" % rnd.randrange(n)
    t0 = time.perf_counter()
    if i % 2:
        call(b"SET", key, b"written-during-the-sync")
    else:
        call(b"GET", key)
    waits.append(time.perf_counter() - t0)
    i += 1
    if time.time() - start > 600:
        sys.exit("no sync after 600 s")
peak = state["peak"]
took = time.time() - start
waits.sort()
print("%-8s sync %.2f s; %d requests (p50 %.3f ms); longest wait %.1f ms, p99.9 %.1f ms; RSS before %d MB, peak %d MB (+%d MB)" % (
    kind, took, len(waits), waits[len(waits) // 2] * 1e3, waits[-1] * 1e3, waits[int(len(waits) * 0.999)] * 1e3, before >> 10, peak >> 10,
    (peak - before) >> 10))
PY
    phases "$kind" "$work/$kind-$round-replica/log"
    kill "$replica_pid" "$master_pid" 2>/dev/null || true
    wait "$replica_pid" "$master_pid" 2>/dev/null || true
  done
done
