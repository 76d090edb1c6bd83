#!/usr/bin/env bash
# GEOADD and GEOSEARCH throughput of Cascade next to redis-server in the same run, with redis-benchmark:
#   bench/geo.sh [RUNS]      (default RUNS=3; about 40 s)
# Both servers get the same 20000 seeded random points around Sicily (redis-cli --pipe), then each command
# runs RUNS times against each server, alternating; it prints the median requests/s and the ratio, and
# checks first that both loaded the same dataset (DEBUG DIGEST).
set -euo pipefail
RUNS="${1:-3}"
. "$(dirname "$0")/lib.sh"
rps() {  # rps PORT N COMMAND... -> requests per second
  local p="$1" n="$2"; shift 2
  redis-benchmark -p "$p" -n "$n" -c 50 -r 1000000 -q "$@" 2>/dev/null | tr '\r' '\n' \
    | awk '/requests per second/ {for (i = 2; i <= NF; i++) if ($i == "requests") print $(i-1)}' | tail -1
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$here/cascade-server" --version >/dev/null   # builds the jar if needed
start_server "$work/redis" redis-server; redis_port="$port"
start_server "$work/cascade" "$here/cascade-server"; cascade_port="$port"
python3 - > "$work/points.resp" <<'PY'
import random
r = random.Random(42)
for i in range(20000):
    args = ["GEOADD", "geo", "%.6f" % r.uniform(12, 16), "%.6f" % r.uniform(36, 39), "p%d" % i]
    print("*%d\r\n%s" % (len(args), "".join("$%d\r\n%s\r\n" % (len(a), a) for a in args)), end="")
PY
for p in "$redis_port" "$cascade_port"; do redis-cli -p "$p" --pipe < "$work/points.resp" >/dev/null; done
# the searches must find the same points: the loaded datasets are compared first (GEOADD's random members,
# drawn by each redis-benchmark run, go to a key of their own)
if [ "$(redis-cli -p "$redis_port" debug digest)" = "$(redis-cli -p "$cascade_port" debug digest)" ]; then
  echo "loaded datasets equal (DEBUG DIGEST)"
else
  echo "LOADED DATASETS DIFFER"; exit 1
fi

declare -A cmds=(
  [geoadd]="GEOADD geo:add 13.5 37.5 m:__rand_int__"
  [geosearch_count]="GEOSEARCH geo FROMLONLAT 13.361389 38.115556 BYRADIUS 5 km COUNT 10 ASC WITHDIST"
  [geosearch_box]="GEOSEARCH geo FROMLONLAT 14 37.5 BYBOX 4 4 km WITHCOORD"
  [georadius_member]="GEORADIUSBYMEMBER_RO geo p1 3 km WITHDIST"
)
rps "$cascade_port" 5000 ${cmds[geosearch_count]} >/dev/null   # JIT warm-up, not counted
echo "# $(date -u +%F) $(uname -srm), $(nproc) cores; 20000 points; redis-benchmark -c 50; median of $RUNS runs"
for name in geoadd geosearch_count geosearch_box georadius_member; do
  n=5000; [ "$name" = geoadd ] && n=50000
  r=(); c=()
  for _ in $(seq 1 "$RUNS"); do
    r+=("$(rps "$redis_port" "$n" ${cmds[$name]})")
    c+=("$(rps "$cascade_port" "$n" ${cmds[$name]})")
  done
  rm="$(printf '%s\n' "${r[@]}" | median)"
  cm="$(printf '%s\n' "${c[@]}" | median)"
  awk -v t="$name" -v r="$rm" -v c="$cm" \
    'BEGIN {printf "%-18s redis %9.0f req/s   cascade %9.0f req/s   ratio %.2f\n", t, r, c, c/r}'
done
