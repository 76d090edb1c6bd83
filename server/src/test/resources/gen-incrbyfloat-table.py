#!/usr/bin/env python3
"""Writes incrbyfloat-redis.tsv: "SET k a; INCRBYFLOAT k b" replies of a real redis-server (x86-64, 7.0.x).

Usage: redis-server --port 16399 --save "" & python3 gen-incrbyfloat-table.py 16399 > incrbyfloat-redis.tsv
Each line: a TAB b TAB reply, where reply is the bulk string or "-" followed by the error text.
"""
import random
import socket
import sys


def command(sock, buf, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    sock.sendall(out)


def read_reply(f):
    line = f.readline().rstrip(b"\r\n")
    t, rest = line[:1], line[1:]
    if t == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data.decode()
    if t in (b"+", b"-", b":"):
        return (t.decode() if t == b"-" else "") + rest.decode()
    raise ValueError(line)


def rand_decimal(r):
    sign = r.choice(["", "", "-", "+"])
    ip = "".join(r.choice("0123456789") for _ in range(r.randint(0, 20)))
    fp = "".join(r.choice("0123456789") for _ in range(r.randint(0, 22)))
    s = ip + ("." + fp if fp or r.random() < 0.2 else "")
    if not ip and not fp:
        s = "0"
    if r.random() < 0.3:
        s += r.choice("eE") + r.choice(["", "-", "+"]) + str(r.randint(0, 40))
    return sign + s


def rand_double(r):
    x = r.uniform(-1, 1) * 10 ** r.randint(-20, 20)
    return repr(x) if r.random() < 0.5 else "%.17g" % x


def rand_hex(r):
    mant = "".join(r.choice("0123456789abcdefABCDEF") for _ in range(r.randint(1, 20)))
    if r.random() < 0.5:
        k = r.randint(0, len(mant))
        mant = mant[:k] + "." + mant[k:]
    s = r.choice(["", "-"]) + r.choice(["0x", "0X"]) + mant
    if r.random() < 0.7:
        s += "p" + str(r.randint(-80, 80))
    return s


def rand_int(r):
    return str(r.choice([r.randint(-2**63, 2**63 - 1), r.randint(-10**6, 10**6), 2**63 - 1 - r.randint(0, 5000),
                         -2**63 + r.randint(0, 5000), 2**53 + r.randint(-5, 5)]))


def rand_extreme(r):
    return r.choice(["", "-"]) + "%d.%de%d" % (r.randint(1, 9), r.randint(0, 10**12), r.choice(
        [r.randint(4900, 4940), r.randint(-4960, -4900), r.randint(300, 320), r.randint(-330, -300)]))


def rand_nice(r):
    return r.choice(["", "-"]) + r.choice(["0.1", "0.2", "0.3", "1.1", "10.5", "0.25", "1e-17", "5e-18", "1.5",
                                           "3.0e3", "0.0000000000000000049", "99999999999999999.5",
                                           "12345678901234567890.123", "1e17", "1e18", "0.000001"])


def rand_hex_subnormal(r):
    frac = "".join(r.choice("0000000000000000000000000000000148c") for _ in range(r.randint(14, 18)))
    return "0x1.%sp%d" % (frac, r.randint(-16447, -16380))


HAND = [
    ("10.5", "0.1"), ("1", "0.1"), ("0.1", "0.2"), ("0", "0"), ("0", "-0"), ("-0", "-0"), ("1", "-1"),
    ("17179869184", "1.5"), ("17179869184", "17179869184"), ("1", "-1.1"), ("5.0e3", "2.0e2"),
    ("0", "inf"), ("0", "+inf"), ("0", "-inf"), ("0", "infinity"), ("0", "INF"), ("0", "nan"), ("0", "NaN(123)"),
    ("inf", "0"), ("0", "infinit"), ("0", " 1"), ("0", "1 "), ("0", ""), ("0", "."), ("0", "-.5"), ("0", "5."),
    ("0", "+.5e1"), ("0", "0x"), ("0", "0x1p"), ("0", "0x.8p1"), ("0", "0x1.8p3"), ("0", "0X1P-2"), ("0", "0x1."),
    ("0", "1e"), ("0", "1e+"), ("0", "1e-"), ("0", "1e5000"), ("0", "-1e5000"), ("0", "1e-5000"), ("0", "0e99999"),
    ("0", "0e-99999999999999999999"), ("0", "1e4932"), ("0", "1.18973149535723176502e4932"),
    ("0", "1.18973149535723176508e4932"), ("0", "1.1897314953572317650e4932"), ("0", "3.6e-4951"),
    ("0", "1.8e-4951"), ("0", "1.9e-4951"), ("0", "1e-4951"), ("0", "0x1p-16445"), ("0", "0x1p-16446"),
    ("0", "0x1.0000000000000001p-16446"), ("0", "0x1.4000000000000001p-16444"), ("0", "0x1.0000000000000003p-16383"), ("0", "0x1p16383"), ("0", "0x1p16384"), ("0", "0x1.fffffffffffffffep16383"),
    ("0", "0x1.ffffffffffffffff8p16383"), ("0", "0x1.ffffffffffffffff7p16383"), ("0", "1_0"), ("0", "1,5"),
    ("0", "0x1g"), ("0", "--1"), ("0", "+-1"), ("0", "1e1.5"), ("0", "٣"), ("1e4932", "1e4932"),
    ("-1e4932", "-1e4932"), ("1.18973149535723176502e4932", "1e4913"), ("0x1p-16445", "0x1p-16445"),
    ("9223372036854775807", "1"), ("-9223372036854775808", "-1"), ("18446744073709551615", "1"),
    ("18446744073709551616", "1"), ("18446744073709551617", "0"), ("36893488147419103233", "0"),
    ("0.024390243902439025", "-0.024390243902439025"), ("1", "2.5e-18"), ("1", "5e-18"), ("1", "5.000001e-18"),
    ("0", "0x1p-18"), ("0", "-0x1p-18"), ("0", "0x3p-19"), ("0", "0x1p-57"), ("0", "0x1p-58"), ("0", "0x1p-59"),
    ("0", "-0x1p-57"), ("0", "0x1.8p-57"), ("1e300", "1"), ("0", "1e20"), ("0", "123456789012345678901234567890"),
    ("0", "0." + "0" * 5000 + "1"), ("0", "1" + "0" * 5000), ("0", "1" * 5119), ("0", "1" * 5120),
    ("0", "0" * 5119), ("0", "0." + "0" * 4000 + "1e4000"),
]


def main():
    port = int(sys.argv[1])
    r = random.Random(7015)
    cases = list(HAND)
    gens = [rand_decimal, rand_double, rand_hex, rand_int, rand_extreme, rand_nice, rand_hex_subnormal]
    for _ in range(3000):
        cases.append((r.choice(gens)(r), r.choice(gens)(r)))
    sock = socket.create_connection(("127.0.0.1", port))
    f = sock.makefile("rb")
    for a, b in cases:
        command(sock, None, "SET", "k", a)
        read_reply(f)
        command(sock, None, "INCRBYFLOAT", "k", b)
        reply = read_reply(f)
        sys.stdout.write("%s\t%s\t%s\n" % (a, b, reply))


main()
