"""The benchmarks' mixed dataset as RESP commands for redis-cli --pipe: python3 mixed-keys.py N OUT.

60% strings of three kinds, 15% small hashes, 10% small lists, 10% small sets, 5% small sorted sets, 1% of
the keys with an expire; the same N gives the same bytes (seeded)."""
import random, sys
n, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
def cmd(*a):
    a = [x if isinstance(x, bytes) else str(x).encode() for x in a]
    return b"*%d\r\n" % len(a) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in a)
with open(out, "wb") as f:
    for i in range(n):
        r = i % 100
        k = "k:%d" % i
        if r < 20:
            f.write(cmd("SET", k, i))                                   # integer-encoded
        elif r < 50:
            f.write(cmd("SET", k, "value-%d-%s" % (i, "x" * (i % 40))))  # short text
        elif r < 60:
            f.write(cmd("SET", k, "lorem ipsum dolor sit amet %d " % i * 4))  # compressible (LZF)
        elif r < 75:
            f.write(cmd("HSET", k, "name", "n%d" % i, "age", i % 90, "city", "c%d" % (i % 1000), "flag", 1))
        elif r < 85:
            f.write(cmd("RPUSH", k, *("e%d" % j for j in range(5))))
        elif r < 95:
            f.write(cmd("SADD", k, *("m%d" % (i + j) for j in range(5))))
        else:
            f.write(cmd("ZADD", k, *sum((["%d.5" % j, "z%d" % j] for j in range(5)), [])))
        if i % 100 == 7:
            f.write(cmd("PEXPIREAT", k, 4102444800000 + i))
