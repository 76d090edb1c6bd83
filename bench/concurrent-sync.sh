#!/usr/bin/env bash
# Two replicas that do not arrive together: Cascade (a snapshot per diskless batch, several at once) next to
# redis-server (one fork child: the second replica waits for the first transfer to end), same data, same run.
#   bench/concurrent-sync.sh [N] [ROUNDS]        (default N=1000000 keys, ROUNDS=3, masters alternating)
# A master with N keys (DEBUG POPULATE, 100-byte values, diskless sync, delay 0); replica A is told REPLICAOF,
# and once its transfer is running, replica B. Reported per master: the seconds from each REPLICAOF to that
# replica's link up. Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on
# 127.0.0.1, stopped at the end.
set -euo pipefail
N="${1:-1000000}"
ROUNDS="${2:-3}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

field() { redis-cli -p "$1" info replication | tr -d '\r' | awk -F: -v f="$2" '$1 == f {print $2}'; }
now() { date +%s.%N; }

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); N=$N"
for round in $(seq 1 "$ROUNDS"); do
  for kind in cascade redis; do
    start_populated "$kind" "$work/$kind-$round" "$N"
    master="$port"; master_pid="$pid"
    start_server "$work/$kind-$round-a" redis-server; a="$port"; a_pid="$pid"
    start_server "$work/$kind-$round-b" redis-server; b="$port"; b_pid="$pid"
    a_start="$(now)"
    redis-cli -p "$a" replicaof 127.0.0.1 "$master" >/dev/null
    until [ "$(field "$a" master_sync_in_progress)" = 1 ]; do sleep 0.01; done
    b_start="$(now)"
    redis-cli -p "$b" replicaof 127.0.0.1 "$master" >/dev/null
    a_up=""; b_up=""
    while [ -z "$a_up" ] || [ -z "$b_up" ]; do
      [ -z "$a_up" ] && [ "$(field "$a" master_link_status)" = up ] && a_up="$(now)"
      [ -z "$b_up" ] && [ "$(field "$b" master_link_status)" = up ] && b_up="$(now)"
      sleep 0.02
    done
    awk -v k="$kind" -v as="$a_start" -v au="$a_up" -v bs="$b_start" -v bu="$b_up" \
      'BEGIN {printf "%-8s first replica in sync after %.2f s; second (asked %.2f s later) after %.2f s\n",
              k, au - as, bs - as, bu - bs}'
    kill "$a_pid" "$b_pid" "$master_pid" 2>/dev/null || true
    wait "$a_pid" "$b_pid" "$master_pid" 2>/dev/null || true
  done
done
