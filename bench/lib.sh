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
