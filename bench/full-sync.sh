#!/usr/bin/env bash
# Full sync received: time for a fresh replica to be in sync with a redis-server master holding N mixed keys
# (bench/mixed-keys.py), for redis-server and for Cascade as the replica, alternating, in the same run.
#   bench/full-sync.sh [N] [RUNS]        (default N=1000000, RUNS=3)
# Each replica starts empty, then REPLICAOF is sent and the clock runs until its INFO says master_link_status:up
# and DBSIZE is N; its DEBUG DIGEST must then equal the master's (the run fails otherwise). The master is diskless
# with no delay (repl-diskless-sync yes, delay 0), so both replicas receive the same stream of the same snapshot.
# Needs redis-server and redis-cli on PATH; builds Cascade if needed; servers on 127.0.0.1, stopped at the end.
set -euo pipefail
N="${1:-1000000}"
RUNS="${2:-3}"
. "$(dirname "$0")/lib.sh"
python3 "$(dirname "$0")/mixed-keys.py" "$N" "$work/data.resp"
"$here/cascade-server" --version >/dev/null   # builds the jar if needed

now() { date +%s.%N; }

start_server "$work/master" redis-server --repl-diskless-sync yes --repl-diskless-sync-delay 0
master="$port"
redis-cli -p "$master" --pipe < "$work/data.resp" >/dev/null
digest="$(redis-cli -p "$master" debug digest)"

measure() {  # measure RUN NAME COMMAND...
  local run="$1" name="$2"; shift 2
  start_server "$work/$name-$run" "$@"
  local p="$port" t0 t1
  t0="$(now)"
  redis-cli -p "$p" replicaof 127.0.0.1 "$master" >/dev/null
  until redis-cli -p "$p" info replication | grep -q 'master_link_status:up' \
      && [ "$(redis-cli -p "$p" dbsize)" = "$N" ]; do sleep 0.02; done
  t1="$(now)"
  local got; got="$(redis-cli -p "$p" debug digest)"
  [ "$got" = "$digest" ] || { echo "$name replica has digest $got, master $digest" >&2; exit 1; }
  redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
  python3 -c "import sys; t=float(sys.argv[3])-float(sys.argv[2]); print('%s|%s|full sync s|%.3f' % (sys.argv[1], sys.argv[4], t)); print('%s|%s|keys/s|%.0f' % (sys.argv[1], sys.argv[4], int(sys.argv[5]) / t))" "$run" "$t0" "$t1" "$name" "$N"
}

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores; N=$N mixed keys, $RUNS runs, diskless master"
for run in $(seq 1 "$RUNS"); do
  echo "# run $run, load average $(cut -d' ' -f1 /proc/loadavg)"
  measure "$run" redis redis-server
  measure "$run" cascade "$here/cascade-server"
done | tee "$work/out"
python3 "$(dirname "$0")/medians.py" "$work/out"
