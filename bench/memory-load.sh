#!/usr/bin/env bash
# Loads N small string keys, then N small hashes, into redis-server and into Cascade in the same run, and
# reports bytes per key (RSS growth) and load rate for both, side by side.
#   bench/memory-load.sh [N] [RUNS]        (default N=1000000, RUNS=1)
# It also reports RSS per key after IDLE seconds without requests (default 15: a JVM may give heap back), and
# times FLUSHDB of the 2N keys. CASCADE_CONFIGS lists the JVM options to try, "name=options;name=options"
# (added to the pom's flags through JAVA_TOOL_OPTIONS; default one configuration, "pom", with none). Each
# run starts redis-server then every configuration; the summary gives medians over the runs of each figure
# and of its ratio to redis-server's in the same run. CASCADE_BASELINE (a command starting another build, e.g.
# "java <flags> -jar /tmp/main.jar") adds that build as one more configuration, "baseline".
# Needs redis-server and redis-cli on PATH and a built Cascade (./cascade-server builds it).
# Each server runs alone on 127.0.0.1 with a free port and a temporary directory, and is stopped at the end.
set -euo pipefail
N="${1:-1000000}"
RUNS="${2:-1}"
IDLE="${IDLE:-15}"
CONFIGS="${CASCADE_CONFIGS:-pom=}"
. "$(dirname "$0")/lib.sh"
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# RESP input files, generated once: N "SET key:i value" and N "HSET hash:i" with 4 small fields
python3 - "$N" "$work" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
def cmd(*a):
    return ("*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a)).encode()
with open(work + "/strings.resp", "wb") as f:
    for i in range(n):
        f.write(cmd("SET", "key:%d" % i, "value:%d" % i))
with open(work + "/hashes.resp", "wb") as f:
    for i in range(n):
        f.write(cmd("HSET", "hash:%d" % i, "name", "n%d" % i, "age", str(i % 90), "city", "c%d" % (i % 1000),
                    "flag", "1"))
PY

"$here/cascade-server" --version >/dev/null   # builds the jar if needed

run() {  # run NAME COMMAND...: starts the server, loads both files, prints one result line per file
  local name="$1"; shift
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  "$@" --port "$port" --bind 127.0.0.1 --dir "$work/$name" --save "" --appendonly no --daemonize no \
      --logfile "$work/$name/log" &
  local pid=$!; pids+=("$pid")
  wait_ready "$port"
  local start0; start0="$(rss_kb "$pid")"
  for kind in strings hashes; do
    local before after start end
    before="$(rss_kb "$pid")"
    start="$(date +%s.%N)"
    redis-cli -p "$port" --pipe < "$work/$kind.resp" > "$work/$name/$kind.pipe"
    end="$(date +%s.%N)"
    after="$(rss_kb "$pid")"
    python3 -c "
n=$N; b=$before*1024; a=$after*1024; t=$end-$start
print('%-8s %-8s keys=%d  bytes/key=%.1f  load=%.0f keys/s  (rss %.1f MB -> %.1f MB, %.2f s)' % ('$name','$kind', n, (a-b)/n, n/t, b/1e6, a/1e6, t))
print('$run|$name|$kind B/key|%.1f' % ((a-b)/n)); print('$run|$name|$kind keys/s|%.0f' % (n/t))"
  done
  sleep "$IDLE"
  python3 -c "
n=2*$N; print('%-8s idle     bytes/key=%.1f after ${IDLE}s idle (both phases, rss %.1f MB)' % ('$name', ($(rss_kb "$pid")-$start0)*1024/n, $(rss_kb "$pid")*1024/1e6))
print('$run|$name|idle B/key|%.1f' % (($(rss_kb "$pid")-$start0)*1024/n))"
  redis-cli -p "$port" dbsize | sed "s/^/$name dbsize: /"
  python3 - "$port" "$name" "$run" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t = time.time(); s.sendall(b"FLUSHDB\r\n"); reply = s.recv(100); t = time.time() - t
print("%-8s flushdb  %.1f ms (%s)" % (sys.argv[2], t * 1000, reply.strip().decode()))
print("%s|%s|FLUSHDB ms|%.1f" % (sys.argv[3], sys.argv[2], t * 1000))
PY
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
}

echo "# $(date -u +%F) $(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); N=$N, $RUNS runs"
IFS=';' read -r -a configs <<< "$CONFIGS"
for run in $(seq 1 "$RUNS"); do
  echo "# run $run, load average $(cut -d' ' -f1 /proc/loadavg)"
  run redis redis-server
  for cfg in "${configs[@]}"; do
    JAVA_TOOL_OPTIONS="${cfg#*=}" run "${cfg%%=*}" "${CASCADE_SERVER:-$here/cascade-server}" 2>&1 | grep -v '^Picked up'
  done
  if [ -n "${CASCADE_BASELINE:-}" ]; then
    run baseline $CASCADE_BASELINE
  fi
done | tee "$work/out"
python3 "$(dirname "$0")/medians.py" "$work/out"
