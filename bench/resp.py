"""What the replication benchmarks' Python clients share: a RESP connection, one request at a time, a field of
INFO replication, and the RSS of a process with its children (redis-server's fork). Imported by the scripts'
inline Python through BENCH_DIR."""
import socket
import subprocess


def conn(port):
    """A connection to a server on loopback, without Nagle's delay: (socket, its reader)."""
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s, s.makefile("rb")


def call(c, *args):
    """Sends one command and reads its reply: a bulk string's bytes, or the reply's first line."""
    s, f = c
    s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
    line = f.readline()
    if line.startswith(b"$") and line != b"$-1\r\n":
        return f.read(int(line[1:]) + 2)[:-2]
    return line


def info(port, field):
    """A field of INFO replication, as text ("" when absent)."""
    out = subprocess.run(["redis-cli", "-p", str(port), "info", "replication"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith(field + ":"):
            return line.split(":", 1)[1]
    return ""


def rss_kb(pid):
    """VmRSS of the process and of its children, in KB."""
    total = 0
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    for p in [pid] + [int(c) for c in children]:
        try:
            with open("/proc/%d/status" % p) as status:
                total += next(int(l.split()[1]) for l in status if l.startswith("VmRSS:"))
        except (FileNotFoundError, StopIteration):
            pass
    return total
