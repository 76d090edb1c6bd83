#!/usr/bin/env bash
# Sorted sets, streams and scripts: throughput of Cascade next to redis-server in the same run (redis-benchmark),
# then the memory of N small sorted sets (RSS growth per key) in each.
#   bench/dataset2.sh [RUNS] [N]      (default RUNS=3, N=1000000; about 4 minutes)
# Both servers get the same 1000-member sorted set and 1000-entry stream first (compared with DEBUG DIGEST);
# each command runs RUNS times against each server, alternating, and the median requests/s and the ratio are
# printed. The memory part loads N sorted sets of 3 members each ("ZADD z:i 1 a 2 b 3 c") with redis-cli --pipe
# into a fresh server of each kind and reports the RSS growth divided by N.
set -euo pipefail
RUNS="${1:-3}"
N="${2:-1000000}"
. "$(dirname "$0")/lib.sh"
rps() {  # rps PORT N COMMAND... -> requests per second
  local p="$1" n="$2"; shift 2
  redis-benchmark -p "$p" -n "$n" -c 50 -r 1000000 -q "$@" 2>/dev/null | tr '\r' '\n' \
    | awk '/requests per second/ {for (i = 2; i <= NF; i++) if ($i == "requests") print $(i-1)}' | tail -1
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

"$here/cascade-server" --version >/dev/null   # builds the jar if needed
start_server "$work/redis" redis-server; redis_port="$port"
start_server "$work/cascade" "$here/cascade-server"; cascade_port="$port"
python3 - > "$work/data.resp" <<'PY'
import random
r = random.Random(7)
def cmd(*a):
    return "*%d\r\n%s" % (len(a), "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a))
out = []
for i in range(1000):
    out.append(cmd("ZADD", "big", "%.3f" % r.uniform(0, 1000), "member:%d" % i))
    out.append(cmd("XADD", "log", "%d-0" % (i + 1), "field", "value:%d" % i))
print("".join(out), end="")
PY
script='return redis.call("INCR", KEYS[1])'
library="#!lua name=bench
redis.register_function('bump', function(keys) return redis.call('INCR', keys[1]) end)"
for p in "$redis_port" "$cascade_port"; do
  redis-cli -p "$p" --pipe < "$work/data.resp" >/dev/null
  sha="$(redis-cli -p "$p" SCRIPT LOAD "$script")"
  redis-cli -p "$p" FUNCTION LOAD "$library" >/dev/null
done
if [ "$(redis-cli -p "$redis_port" debug digest)" = "$(redis-cli -p "$cascade_port" debug digest)" ]; then
  echo "loaded datasets equal (DEBUG DIGEST)"
else
  echo "LOADED DATASETS DIFFER"; exit 1
fi

set -f   # the commands are split into words unquoted; XADD's "*" must not become file names
names=(zadd zincrby zrange_10 zrangebyscore_10 zscore xadd xrange_10 evalsha fcall)
declare -A cmds=(
  [zadd]="ZADD z:__rand_int__ 1 a 2 b 3 c"
  [zincrby]="ZINCRBY big 1 member:1"
  [zrange_10]="ZRANGE big 100 109 WITHSCORES"
  [zrangebyscore_10]="ZRANGEBYSCORE big 500 +inf WITHSCORES LIMIT 0 10"
  [zscore]="ZSCORE big member:500"
  [xadd]="XADD s:__rand_int__ * f v"
  [xrange_10]="XRANGE log 500 + COUNT 10"
  [evalsha]="EVALSHA $sha 1 counter"
  [fcall]="FCALL bump 1 counter"
)
echo "# $(date -u +%F) $(uname -srm), $(nproc) cores; redis-benchmark -c 50; median of $RUNS runs"
for name in "${names[@]}"; do
  r=(); c=()
  # the JIT warms up on each command's own path (ZADD ramps from 2,500 to 50,000 req/s over 6 s cold): both
  # servers get the same untimed run first
  rps "$redis_port" 200000 ${cmds[$name]} >/dev/null
  rps "$cascade_port" 200000 ${cmds[$name]} >/dev/null
  for _ in $(seq 1 "$RUNS"); do
    r+=("$(rps "$redis_port" 50000 ${cmds[$name]})")
    c+=("$(rps "$cascade_port" 50000 ${cmds[$name]})")
  done
  rm="$(printf '%s\n' "${r[@]}" | median)"
  cm="$(printf '%s\n' "${c[@]}" | median)"
  awk -v t="$name" -v r="$rm" -v c="$cm" \
    'BEGIN {printf "%-18s redis %9.0f req/s   cascade %9.0f req/s   ratio %.2f\n", t, r, c, c/r}'
done

# memory: N small sorted sets in a fresh server of each kind
python3 -c '
import sys
n = int(sys.argv[1])
w = sys.stdout.write
for i in range(n):
    k = "z:%d" % i
    w("*8\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n$1\r\nc\r\n" % (len(k), k))
' "$N" > "$work/zsets.resp"
for kind in redis cascade; do
  if [ "$kind" = redis ]; then start_server "$work/m-redis" redis-server
  else start_server "$work/m-cascade" "$here/cascade-server"; fi
  before="$(rss_kb "$pid")"
  redis-cli -p "$port" --pipe < "$work/zsets.resp" >/dev/null
  [ "$(redis-cli -p "$port" dbsize)" = "$N" ] || { echo "$kind did not load $N keys"; exit 1; }
  after="$(rss_kb "$pid")"
  awk -v k="$kind" -v b="$before" -v a="$after" -v n="$N" \
    'BEGIN {printf "%-8s %d sorted sets of 3 members: RSS +%.0f MB, %.0f bytes per key\n", k, n, (a-b)/1024, (a-b)*1024/n}'
  kill "$pid"
done
