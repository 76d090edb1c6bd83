# Shared by the bench scripts (sourced, not run): the project root, a temporary work directory, and the
# servers started by a script, all removed or stopped when the script exits.
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/cascade-bench.XXXXXX)"
pids=()
# only the script's own shell cleans up: bash may run the EXIT trap in subshells ($(...), pipelines) too
cleanup() {
  [ "$BASHPID" = "$$" ] || return 0
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() { for _ in $(seq 1 1200); do redis-cli -p "$1" ping >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# start_server DIR COMMAND...: starts a server (redis-server or cascade-server) on a free loopback port with
# dir DIR, no persistence and DEBUG enabled, plus the arguments given; sets $port and $pid once it answers
start_server() {
  local dir="$1"; shift
  mkdir -p "$dir"
  port="$(free_port)"
  "$@" --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no --daemonize no \
      --enable-debug-command yes --logfile "$dir/log" &
  pid="$!"
  pids+=("$pid")
  wait_ready "$port" || { echo "server did not start" >&2; cat "$dir/log" >&2; exit 1; }
}

# start_kind KIND DIR ARGS...: start_server with Cascade (KIND cascade) or redis-server (KIND redis), so the
# scripts that compare the two start both the same way
start_kind() {
  local kind="$1" dir="$2"; shift 2
  if [ "$kind" = cascade ]; then
    start_server "$dir" "$here/cascade-server" "$@"
  else
    start_server "$dir" redis-server "$@"
  fi
}

# start_populated KIND DIR N ARGS...: start_kind as a diskless master (delay 0) holding N keys of 100 bytes
# (DEBUG POPULATE, which is not propagated); sets $port and $pid as start_server does
start_populated() {
  local kind="$1" dir="$2" n="$3"; shift 3
  start_kind "$kind" "$dir" --repl-diskless-sync yes --repl-diskless-sync-delay 0 "$@"
  redis-cli -p "$port" debug populate "$n" key 100 >/dev/null
}
