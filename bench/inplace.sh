#!/usr/bin/env bash
# Edits of one large string (a 1 MB bitmap) with SETBIT, SETRANGE and BITFIELD, on redis-server and on
# Cascade in the same run: N commands at random offsets inside the string (so its length stays), sent with
# redis-cli --pipe. (redis-benchmark's __rand_int__ pads to 12 digits, which Redis rejects as an offset.)
#   bench/inplace.sh [RUNS]          (default 3; one line per command, server and run, then the medians)
# CASCADE_SERVER overrides the command that starts Cascade (e.g. another build's jar, to compare before/after);
# CASCADE_REQUESTS the commands per test against Cascade (default 200000; lower it for a build that copies).
set -euo pipefail
RUNS="${1:-3}"
. "$(dirname "$0")/lib.sh"
cascade="${CASCADE_SERVER:-$here/cascade-server}"
[ -n "${CASCADE_SERVER:-}" ] || "$here/cascade-server" --version >/dev/null   # builds the jar if needed
tests="SETBIT SETRANGE BITFIELD"

commands() {  # commands TEST N: N RESP commands of one test, random offsets inside 1 MB
  python3 - "$1" "$2" <<'PY'
import random, sys
test, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
def cmd(*a):
    return "*%d\r\n" % len(a) + "".join("$%d\r\n%s\r\n" % (len(x), x) for x in a)
out = []
for _ in range(n):
    if test == "SETBIT":
        out.append(cmd("SETBIT", "bm", str(rnd.randrange(8 << 20)), str(rnd.randrange(2))))
    elif test == "SETRANGE":
        out.append(cmd("SETRANGE", "bm", str(rnd.randrange((1 << 20) - 4)), "abcd"))
    else:
        out.append(cmd("BITFIELD", "bm", "INCRBY", "u8", "#%d" % rnd.randrange(1 << 20), "1"))
sys.stdout.write("".join(out))
PY
}

bench() {  # bench NAME REQUESTS COMMAND...: starts the server, runs the three tests, stops it
  local name="$1" n="$2"; shift 2
  local port; port="$(free_port)"
  mkdir -p "$work/$name"
  $@ --port "$port" --bind 127.0.0.1 --dir "$work/$name" --save "" --appendonly no --daemonize no \
      --logfile "$work/$name/log" >/dev/null 2>&1 &
  local pid=$!; pids+=("$pid")
  wait_ready "$port"
  redis-cli -p "$port" setbit bm $((8 * 1024 * 1024 - 1)) 1 >/dev/null   # a 1 MB string
  for t in $tests; do
    [ -f "$work/$t.$n" ] || commands "$t" "$n" > "$work/$t.$n"
    local start end
    start="$(date +%s.%N)"
    redis-cli -p "$port" --pipe < "$work/$t.$n" > "$work/$name/$t.pipe"
    end="$(date +%s.%N)"
    grep -q "errors: 0," "$work/$name/$t.pipe" || echo "$name $t: $(tail -1 "$work/$name/$t.pipe")" >&2
    echo "$name|$t|$(python3 -c "print(round($n / ($end - $start)))")"
  done
  [ "$(redis-cli -p "$port" strlen bm)" = 1048576 ] || echo "$name: the string's length changed" >&2
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" 2>/dev/null || true
}

echo "# $(date -u +%F) $(uname -srm), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); $RUNS runs"
for r in $(seq 1 "$RUNS"); do
  bench redis 200000 redis-server
  bench cascade "${CASCADE_REQUESTS:-200000}" "$cascade"
done | tee "$work/lines"
python3 - "$work/lines" <<'PY'
import statistics, sys
rows = [l.strip().split("|") for l in open(sys.argv[1]) if l.count("|") == 2]
res = {}
for name, test, rps in rows:
    res.setdefault(test, {}).setdefault(name, []).append(float(rps))
print("%-9s %14s %14s %7s   (commands/s, medians)" % ("", "redis-server", "cascade", "ratio"))
for test, by in res.items():
    r, c = statistics.median(by["redis"]), statistics.median(by["cascade"])
    print("%-9s %14.0f %14.0f %7.3f" % (test, r, c, c / r))
PY
