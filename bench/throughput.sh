#!/usr/bin/env bash
# Request throughput of Cascade next to redis-server in the same run, with redis-benchmark:
#   bench/throughput.sh [TESTS] [RUNS]      (default TESTS=ping_mbulk, RUNS=5)
# SERVER_ARGS (e.g. "--maxmemory 64mb --maxmemory-policy allkeys-lru") go to both servers, BENCH_ARGS (e.g.
# "-r 10000000" for random keys) to redis-benchmark.
# For each pipelining depth (1 and 16) it runs redis-benchmark RUNS times against each server, alternating,
# and prints the median requests/s of each and their ratio. Servers run on 127.0.0.1 with free ports and
# temporary directories and are stopped at the end.
set -euo pipefail
TESTS="${1:-ping_mbulk}"
RUNS="${2:-5}"
. "$(dirname "$0")/lib.sh"
start() {  # start NAME COMMAND... ; sets $port (not run in a subshell, so the trap knows the pid)
  local name="$1"; shift
  port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" --port "$port" --bind 127.0.0.1 --dir "$work/$name" --save "" --appendonly no --daemonize no \
      --logfile "$work/$name/log" ${SERVER_ARGS:-} >/dev/null 2>&1 &
  pids+=("$!")
  wait_ready "$port"
}
rps() {  # rps PORT TEST PIPELINE -> requests per second
  redis-benchmark -p "$1" -t "$2" -n 300000 -c 50 -P "$3" ${BENCH_ARGS:-} -q 2>/dev/null | tr '\r' '\n' \
    | awk '/requests per second/ {print $2}' | tail -1
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$here/cascade-server" --version >/dev/null   # builds the jar if needed
start redis redis-server; redis_port="$port"
start cascade "$here/cascade-server"; cascade_port="$port"
rps "$cascade_port" "$TESTS" 16 >/dev/null     # JIT warm-up, not counted

echo "# $(date -u +%F) $(uname -srm), $(nproc) cores; redis-benchmark -n 300000 -c 50 ${BENCH_ARGS:-};" \
  "servers ${SERVER_ARGS:-with defaults}; median of $RUNS runs"
for test in ${TESTS//,/ }; do
  for pipeline in 1 16; do
    r=(); c=()
    for _ in $(seq 1 "$RUNS"); do
      r+=("$(rps "$redis_port" "$test" "$pipeline")")
      c+=("$(rps "$cascade_port" "$test" "$pipeline")")
    done
    rm="$(printf '%s\n' "${r[@]}" | median)"
    cm="$(printf '%s\n' "${c[@]}" | median)"
    awk -v t="$test" -v p="$pipeline" -v r="$rm" -v c="$cm" \
      'BEGIN {printf "%-12s P=%-3s redis %10.0f req/s   cascade %10.0f req/s   ratio %.2f\n", t, p, r, c, c/r}'
  done
done
