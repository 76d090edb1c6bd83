#!/usr/bin/env bash
# Stream applied: a redis-server master driven by pipelined redis-benchmark, followed at the same time by a
# redis-server replica and a Cascade replica. Reports, for each replica, the largest byte lag seen
# (master_repl_offset minus its slave_repl_offset, sampled every 100 ms) and how long after the load ended it
# caught up; the digests must then be equal.
#   bench/stream-apply.sh [REQUESTS] [PIPELINE]        (default 2000000 requests, pipeline 16)
# Needs redis-server, redis-cli and redis-benchmark on PATH; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
REQ="${1:-2000000}"
PIPE="${2:-16}"
. "$(dirname "$0")/lib.sh"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

offset() { redis-cli -p "$1" info replication | tr -d '\r' | awk -F: "/^$2:/ {print \$2}"; }

start_server "$work/master" redis-server
master="$port"
start_server "$work/redis" redis-server --replicaof 127.0.0.1 "$master"
redis_replica="$port"
start_server "$work/cascade" "$here/cascade-server" --replicaof 127.0.0.1 "$master"
cascade_replica="$port"
for p in "$redis_replica" "$cascade_replica"; do
  until redis-cli -p "$p" info replication | grep -q master_link_status:up; do sleep 0.05; done
done

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg); $REQ requests per test, pipeline $PIPE"
redis-benchmark -p "$master" -q -P "$PIPE" -n "$REQ" -r 100000 -t set,incr,lpush,hset,sadd > "$work/bench.out" &
bench=$!
max_redis=0; max_cascade=0
while kill -0 "$bench" 2>/dev/null; do
  # replicas first, then the master: the lag read is then never below the real one
  ro="$(offset "$redis_replica" slave_repl_offset)"
  co="$(offset "$cascade_replica" slave_repl_offset)"
  m="$(offset "$master" master_repl_offset)"
  r=$(( m - ro ))
  c=$(( m - co ))
  [ "$r" -gt "$max_redis" ] && max_redis="$r"
  [ "$c" -gt "$max_cascade" ] && max_cascade="$c"
  sleep 0.1
done
end="$(date +%s.%N)"
final="$(offset "$master" master_repl_offset)"
catch_up() {
  until [ "$(offset "$1" slave_repl_offset)" = "$final" ]; do sleep 0.02; done
  python3 -c "import sys,time; print('%.2f' % (time.time() - float(sys.argv[1])))" "$end"
}
t_redis="$(catch_up "$redis_replica")"
t_cascade="$(catch_up "$cascade_replica")"
tr '\r' '\n' < "$work/bench.out" | grep 'requests per second' | sed 's/^/master: /'
d_master="$(redis-cli -p "$master" debug digest)"
for p in "$redis_replica" "$cascade_replica"; do
  [ "$(redis-cli -p "$p" debug digest)" = "$d_master" ] || { echo "replica on $p diverged" >&2; exit 1; }
done
echo "stream: $final bytes"
echo "redis-server replica: largest lag $max_redis bytes, caught up ${t_redis} s after the load"
echo "Cascade replica:      largest lag $max_cascade bytes, caught up ${t_cascade} s after the load"
