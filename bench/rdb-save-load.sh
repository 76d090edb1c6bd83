#!/usr/bin/env bash
# RDB load and save of N mixed keys by redis-server and by Cascade in the same run, side by side.
#   bench/rdb-save-load.sh [N] [RUNS]        (default N=1000000, RUNS=3)
# The dataset (60% strings of three kinds, 15% small hashes, 10% small lists, 10% small sets, 5% small sorted
# sets, 1% of the keys with an expire) is built once in redis-server and saved; then each run, for each server:
# start on a copy of that dump.rdb and time the load (the server's own "DB loaded from disk" line), time SAVE
# and BGSAVE (until rdb_bgsave_in_progress goes back to 0), and report keys/s and MB/s of each. Cascade's file
# is then loaded by redis-server, whose DEBUG DIGEST must equal the original's (the run fails otherwise).
# Needs redis-server and redis-cli on PATH; builds Cascade if needed. Servers run on 127.0.0.1 with free ports
# and temporary directories and are stopped at the end.
set -euo pipefail
N="${1:-1000000}"
RUNS="${2:-3}"
. "$(dirname "$0")/lib.sh"

python3 "$(dirname "$0")/mixed-keys.py" "$N" "$work/data.resp"

"$here/cascade-server" --version >/dev/null   # builds the jar if needed

start_server() {  # start_server NAME DIR COMMAND...: sets $port once the server answers
  local name="$1" dir="$2"; shift 2
  port="$(free_port)"
  "$@" --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize no \
      --enable-debug-command yes --logfile "$dir/log" &
  pids+=("$!")
  wait_ready "$port" || { echo "$name did not start" >&2; cat "$dir/log" >&2; exit 1; }
  # PING (and DEBUG DIGEST!) already answer while redis-server is still loading: wait for its log line
  if [ -f "$dir/dump.rdb" ]; then
    for _ in $(seq 1 1200); do grep -q 'DB loaded from disk' "$dir/log" && return 0; sleep 0.1; done
    echo "$name did not load its file" >&2; exit 1
  fi
}
stop_server() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; sleep 0.5; }
now() { date +%s.%N; }

# the dataset, once, in redis-server
mkdir -p "$work/origin"
start_server origin "$work/origin" redis-server
redis-cli -p "$port" --pipe < "$work/data.resp" >/dev/null
digest="$(redis-cli -p "$port" debug digest)"
redis-cli -p "$port" save >/dev/null
stop_server "$port"
size="$(stat -c %s "$work/origin/dump.rdb")"

measure() {  # measure RUN NAME COMMAND...
  local run="$1" name="$2"; shift 2
  local dir="$work/$name-$run"
  mkdir -p "$dir"; cp "$work/origin/dump.rdb" "$dir/dump.rdb"
  start_server "$name" "$dir" "$@"
  local load; load="$(grep -o 'DB loaded from disk: [0-9.]*' "$dir/log" | awk '{print $5}')"
  [ "$(redis-cli -p "$port" dbsize)" = "$N" ] || { echo "$name loaded $(redis-cli -p "$port" dbsize) keys" >&2; exit 1; }
  local t0 t1 t2 t3 p="$port"
  t0="$(now)"; redis-cli -p "$p" save >/dev/null; t1="$(now)"
  redis-cli -p "$p" bgsave >/dev/null; t2="$(now)"
  while redis-cli -p "$p" info persistence | grep -q 'rdb_bgsave_in_progress:1'; do sleep 0.02; done
  t3="$(now)"
  local saved; saved="$(stat -c %s "$dir/dump.rdb")"
  stop_server "$p"
  if [ "$name" = cascade ]; then
    # redis-server must load what Cascade wrote and find the same dataset
    mkdir -p "$dir/check"; cp "$dir/dump.rdb" "$dir/check/"
    start_server check "$dir/check" redis-server
    local got; got="$(redis-cli -p "$port" debug digest)"
    stop_server "$port"
    [ "$got" = "$digest" ] || { echo "redis-server loaded Cascade's file with digest $got, expected $digest" >&2; exit 1; }
  fi
  python3 - "$run" "$name" "$N" "$size" "$saved" "$load" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
run, name, n, size, saved = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
load, t0, t1, t2, t3 = (float(x) for x in sys.argv[6:])
save, bgsave = t1 - t0, t3 - t2
print("%-8s load %.3f s (%.0f keys/s, %.1f MB/s)  SAVE %.3f s (%.0f keys/s, %.1f MB/s)  BGSAVE %.3f s  file %.1f MB"
      % (name, load, n / load, size / load / 1e6, save, n / save, saved / save / 1e6, bgsave, saved / 1e6))
for fig, v in (("load keys/s", n / load), ("load MB/s", size / load / 1e6), ("SAVE keys/s", n / save),
               ("SAVE MB/s", saved / save / 1e6), ("BGSAVE s", bgsave), ("file MB", saved / 1e6)):
    print("%s|%s|%s|%.2f" % (run, name, fig, v))
PY
}

echo "# $(date -u '+%F %H:%M') UTC $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); N=$N mixed keys, $(awk "BEGIN {printf \"%.1f\", $size/1e6}") MB RDB, $RUNS runs"
for run in $(seq 1 "$RUNS"); do
  echo "# run $run, load average $(cut -d' ' -f1 /proc/loadavg)"
  measure "$run" redis redis-server
  measure "$run" cascade "$here/cascade-server"
done | tee "$work/out"
python3 "$(dirname "$0")/medians.py" "$work/out"
