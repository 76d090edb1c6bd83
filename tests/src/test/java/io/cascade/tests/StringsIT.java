package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The string family on redis-server 7.0 and on Cascade side by side: every reply compared byte for byte,
 * errors included, in RESP2 and RESP3, and expiry as a client sees it. A hash made with HINCRBYFLOAT serves as
 * the key of the wrong type.
 */
@ExtendWith(Servers.class)
class StringsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    private static String[] c(String... words) {
        return words;
    }

    /** Each command on one connection per server, in order, every reply compared. */
    private static void same(String[]... commands) throws IOException {
        twin.sameAll(commands);
    }

    /** DEBUG DIGEST on both, once Cascade has it (the debug family brings it). */
    private static void sameDigest() throws IOException {
        try (Twin.Session s = twin.session()) {
            if (!s.cascade.call("DEBUG", "DIGEST").startsWith("-ERR unknown")) {
                twin.sameDigest();
            }
        }
    }

    /** True when Cascade answers the command (e.g. TTL, from the keys family) rather than "unknown command". */
    private static boolean cascadeHas(String... probe) throws IOException {
        try (Twin.Session s = twin.session()) {
            return !s.cascade.call(probe).startsWith("-ERR unknown command");
        }
    }

    /**
     * OBJECT ENCODING as Redis's object would have it: raw after a command built the string in place (SETRANGE,
     * SETBIT, APPEND to a value, BITFIELD, PF*), whatever its bytes, until the key is written otherwise; the mark
     * moves with RENAME, MOVE and COPY, and goes with SET, DEBUG RELOAD and RESTORE.
     */
    @Test
    void encodingOfStringsBuiltInPlace() throws IOException {
        String[][] writes = {
            {"SETBIT", "bits", "7", "1"}, {"SETBIT", "same", "0", "0"}, {"SET", "same2", "a"}, {"SETBIT", "same2", "1", "1"},
            {"SETRANGE", "sr", "0", "123"}, {"SET", "sr2", "abc"}, {"SETRANGE", "sr2", "1", ""}, {"SETRANGE", "sr3", "0", ""},
            {"SET", "ap", "hello"}, {"APPEND", "ap", "x"}, {"APPEND", "fresh", "abc"}, {"APPEND", "num", "12"},
            {"SET", "n", "12"}, {"APPEND", "n", "3"}, {"BITFIELD", "bf", "SET", "u8", "0", "1"},
            {"SET", "bfget", "a"}, {"BITFIELD", "bfget", "GET", "u8", "0"}, {"SET", "bfinc", "a"},
            {"BITFIELD", "bfinc", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "1000"}, {"PFADD", "h", "a"},
            {"PFADD", "h", "a"}, {"PFADD", "h0"}, {"PFMERGE", "hm", "h"}, {"PFCOUNT", "h"},
            {"INCRBYFLOAT", "f", "1.5"}, {"INCR", "i"}, {"SETRANGE", "later", "0", "x"}, {"SET", "later", "y"},
            {"SETRANGE", "moved", "0", "m"}, {"RENAME", "moved", "renamed"}, {"SETRANGE", "tomove", "0", "m"},
            {"MOVE", "tomove", "3"}, {"SETRANGE", "copied", "0", "77"}, {"COPY", "copied", "copy"},
            {"SETRANGE", "ttl", "0", "t"}, {"EXPIRE", "ttl", "100"}, {"SETRANGE", "ttl", "1", "u"}, {"TTL", "ttl"},
        };
        String[] keys = {"bits", "same", "same2", "sr", "sr2", "sr3", "ap", "fresh", "num", "n", "bf", "bfget", "bfinc",
            "h", "h0", "hm", "f", "i", "later", "renamed", "copied", "copy", "ttl"};
        try (Twin.Session s = twin.session()) {
            for (String[] w : writes) {
                s.same(w);
            }
            for (String k : keys) {
                s.same("OBJECT", "ENCODING", k);
            }
            s.same("SELECT", "3");
            s.same("OBJECT", "ENCODING", "tomove");
            s.same("SELECT", "0");
            // a reload builds every string anew, from its bytes
            s.same("DEBUG", "RELOAD");
            for (String k : keys) {
                s.same("OBJECT", "ENCODING", k);
            }
        }
        sameDigest();
    }

    @Test
    void setOptionsAndTheirConflicts() throws IOException {
        same(c("SET", "k", "v"), c("SET", "k", "v2", "NX"), c("GET", "k"), c("SET", "k", "v3", "XX"), c("GET", "k"),
                c("SET", "n", "v", "XX"), c("GET", "n"), c("SET", "k", "v", "NX", "XX"), c("SET", "k", "v", "XX", "NX"),
                c("SET", "k", "v", "nx", "nx"), c("SET", "k", "v", "EX"), c("SET", "k", "v", "PX"),
                c("SET", "k", "v", "EX", "10", "PX", "10"), c("SET", "k", "v", "PX", "10", "EXAT", "10"),
                c("SET", "k", "v", "EXAT", "10", "PXAT", "10"), c("SET", "k", "v", "KEEPTTL", "EX", "10"),
                c("SET", "k", "v", "EX", "10", "KEEPTTL"), c("SET", "k", "v", "EX", "10", "EX", "20"),
                c("SET", "k", "v", "KEEPTTL", "KEEPTTL"), c("SET", "k", "v", "PERSIST"), c("SET", "k", "v", "GET", "GET"),
                c("SET", "k", "v", "bogus"), c("SET", "k", "v", "nx\u0000junk"), c("SET", "k", "v", "EX", "abc"),
                c("SET", "k", "v", "EX", "abc", "NX", "XX"), c("SET", "k"), c("SET"), c("GET", "k"));
    }

    @Test
    void expireTimeValidation() throws IOException {
        for (String opt : List.of("EX", "PX", "EXAT", "PXAT")) {
            for (String t : List.of("0", "-1", "1.5", " 1", "9223372036854775807", "9223372036854775",
                    "9223372036854776", "-9223372036854775808", "99999999999999999999")) {
                same(c("SET", "k", "v", opt, t), c("SET", "k", "v", opt, t, "GET"), c("GETEX", "k", opt, t),
                        c("GETEX", "missing", opt, t));
            }
        }
        same(c("SETEX", "k", "0", "v"), c("SETEX", "k", "-5", "v"), c("SETEX", "k", "x", "v"),
                c("SETEX", "k", "9223372036854775807", "v"), c("PSETEX", "k", "0", "v"),
                c("PSETEX", "k", "9223372036854775807", "v"), c("SETEX", "k", "100", "v"), c("GET", "k"),
                c("PSETEX", "k", "100000", "w"), c("GET", "k"), c("SETEX", "k", "1"), c("GETEX", "k", "EX", "10"));
    }

    @Test
    void setGetAndWrongType() throws IOException {
        same(c("HINCRBYFLOAT", "h", "f", "1"), c("SET", "h", "v", "GET"), c("HINCRBYFLOAT", "h", "f", "0"),
                c("SET", "h", "v", "GET", "EX", "abc"), c("SET", "k", "a", "GET"), c("SET", "k", "b", "GET"),
                c("SET", "k", "c", "GET", "NX"), c("GET", "k"), c("SET", "m", "c", "GET", "XX"), c("GET", "m"),
                c("SET", "m", "c", "XX", "GET"), c("SET", "k", "d", "GET", "XX"), c("GET", "k"),
                c("SET", "h", "str"), c("GET", "h"), c("HINCRBYFLOAT", "h2", "f", "1"), c("GETSET", "h2", "x"),
                c("GETSET", "k", "new"), c("GETSET", "nokey", "x"), c("GET", "nokey"), c("SETNX", "k", "1"),
                c("SETNX", "fresh", "1"), c("SETNX", "h2", "1"), c("GET", "fresh"));
        sameDigest();
    }

    @Test
    void getGetdelGetex() throws IOException {
        same(c("HINCRBYFLOAT", "h", "f", "1"), c("GET", "h"), c("GET", "nokey"), c("GETDEL", "h"),
                c("GETDEL", "nokey"), c("SET", "k", "v"), c("GETDEL", "k"), c("GETDEL", "k"), c("GET", "k"),
                c("GETEX", "h"), c("GETEX", "h", "EX", "abc"), c("GETEX", "nokey", "EX", "abc"), c("SET", "k", "v"),
                c("GETEX", "k"), c("GETEX", "k", "PERSIST"), c("GETEX", "k", "PERSIST", "PERSIST"),
                c("GETEX", "k", "PX", "100", "PERSIST"), c("GETEX", "k", "PERSIST", "EX", "1"),
                c("GETEX", "k", "NX"), c("GETEX", "k", "GET"), c("GETEX", "k", "KEEPTTL"), c("GETEX", "k", "EX"),
                c("GETEX", "k", "EX", "100", "EX", "200"), c("GETEX", "k", "EXAT", "1"), c("GET", "k"),
                c("SET", "k", "v"), c("GETEX", "k", "PXAT", "1"), c("GETEX", "k"), c("GETEX"), c("GETDEL", "a", "b"));
        sameDigest();
    }

    @Test
    void msetMsetnxMget() throws IOException {
        same(c("MSET", "a", "1", "b", "2"), c("MGET", "a", "b", "c"), c("MSET", "a", "1", "b"), c("MSET", "a"),
                c("MSETNX", "a", "1", "b"), c("MSETNX", "x", "1", "a", "2"), c("MGET", "x", "a"),
                c("MSETNX", "x", "1", "y", "2"), c("MSETNX", "z", "1", "z", "2"), c("MGET", "z", "x", "y"),
                c("HINCRBYFLOAT", "h", "f", "1"), c("MGET", "h", "a", "nokey", "h"), c("MSET", "h", "s", "a", "t"),
                c("MGET", "h", "a"), c("MSET", "k", "v", "k", "w"), c("GET", "k"), c("MGET"));
        sameDigest();
    }

    @Test
    void getrangeAndSubstr() throws IOException {
        same(c("SET", "k", "Hello World"), c("SET", "n", "1234"), c("SET", "e", ""));
        String[] bounds = {"0", "3", "-1", "-4", "5", "5000", "-5000", "10000", "4294967297", "-9223372036854775808",
            "9223372036854775807", "11", "10", "-11", "-12"};
        try (Twin.Session s = twin.session()) {
            for (String cmd : List.of("GETRANGE", "SUBSTR")) {
                for (String start : bounds) {
                    for (String end : bounds) {
                        s.same(cmd, "k", start, end);
                        s.same(cmd, "e", start, end);
                    }
                    s.same(cmd, "n", start, "-1");
                }
            }
        }
        same(c("GETRANGE", "nokey", "0", "-1"), c("GETRANGE", "k", "a", "1"), c("GETRANGE", "k", "0", "1.5"),
                c("HINCRBYFLOAT", "h", "f", "1"), c("GETRANGE", "h", "0", "1"), c("GETRANGE", "h", "x", "1"),
                c("GETRANGE", "k", "0"), c("SUBSTR", "k", "1", "2", "3"));
    }

    @Test
    void setrangeAppendStrlen() throws IOException {
        same(c("SETRANGE", "k", "0", "foo"), c("GET", "k"), c("SETRANGE", "k", "5", "bar"), c("GET", "k"),
                c("SETRANGE", "k", "1", "X"), c("GET", "k"), c("SETRANGE", "k", "1", ""), c("SETRANGE", "m", "3", ""),
                c("GET", "m"), c("SETRANGE", "m", "2", "z"), c("GET", "m"), c("SETRANGE", "k", "-1", "x"),
                c("SETRANGE", "k", "-1", ""), c("SETRANGE", "k", "abc", "x"), c("SETRANGE", "k", "536870908", "world"),
                c("SETRANGE", "k", "536870912", "x"), c("SETRANGE", "k", "536870911", "x"),
                c("SETRANGE", "k", "9223372036854775807", "A"), c("SETRANGE", "k", "2147483647", "A"),
                c("SETRANGE", "nokey", "536870908", "world"), c("SETRANGE", "nokey", "536870908", ""),
                c("SET", "n", "1234"), c("SETRANGE", "n", "0", "2"), c("GET", "n"),
                c("HINCRBYFLOAT", "h", "f", "1"), c("SETRANGE", "h", "0", "x"), c("SETRANGE", "h", "0", ""),
                c("SETRANGE", "h", "-1", "x"), c("APPEND", "h", "x"), c("APPEND", "a", "hello"),
                c("APPEND", "a", " world"), c("APPEND", "a", ""), c("GET", "a"), c("APPEND", "b", ""), c("GET", "b"),
                c("STRLEN", "a"), c("STRLEN", "nokey"), c("STRLEN", "h"), c("STRLEN", "n"), c("STRLEN", "b"),
                c("SET", "z", "-555"), c("STRLEN", "z"), c("APPEND", "z", "5"), c("GET", "z"), c("INCR", "z"));
        sameDigest();
    }

    @Test
    void integerCounters() throws IOException {
        same(c("INCR", "k"), c("INCR", "k"), c("DECR", "k"), c("INCRBY", "k", "100"), c("DECRBY", "k", "50"),
                c("GET", "k"), c("INCRBY", "k", "abc"), c("INCRBY", "k", "1.5"), c("INCRBY", "k", " 1"),
                c("DECRBY", "k", "-9223372036854775808"), c("DECRBY", "k", "9223372036854775807"),
                c("SET", "max", "9223372036854775807"), c("INCR", "max"), c("INCRBY", "max", "0"), c("DECR", "max"),
                c("SET", "min", "-9223372036854775808"), c("DECR", "min"), c("INCRBY", "min", "-1"),
                c("INCRBY", "min", "9223372036854775807"), c("SET", "max", "9223372036854775807"),
                c("INCRBY", "max", "-9223372036854775808"), c("SET", "big", "9223372036854775808"), c("INCR", "big"),
                c("HINCRBYFLOAT", "h", "f", "1"), c("INCR", "h"), c("INCRBY", "h", "x"), c("DECRBY", "h", "1"),
                c("DECRBY", "h", "-9223372036854775808"), c("INCR", "k", "x"), c("INCRBY", "k"));
        for (String bad : List.of("abc", " 11", "11 ", "+1", "01", "-0", "1.0", "", "0x10", "1e3", "--1",
                "123456789012345678901")) {
            same(c("SET", "v", bad), c("INCR", "v"), c("DECR", "v"), c("INCRBY", "v", "2"), c("DECRBY", "v", "2"));
        }
        sameDigest();
    }

    @Test
    void incrbyfloatAndHincrbyfloatErrors() throws IOException {
        same(c("SET", "k", "10.5"), c("INCRBYFLOAT", "k", "0.1"), c("GET", "k"), c("INCRBYFLOAT", "k", "abc"),
                c("INCRBYFLOAT", "k", "inf"), c("INCRBYFLOAT", "k", "-inf"), c("INCRBYFLOAT", "k", "nan"),
                c("INCRBYFLOAT", "k", "1e5000"), c("INCRBYFLOAT", "k", " 1"), c("INCRBYFLOAT", "k", ""),
                c("SET", "s", "abc"), c("INCRBYFLOAT", "s", "1"), c("INCRBYFLOAT", "s", "abc"), c("SET", "i", "inf"),
                c("INCRBYFLOAT", "i", "1"), c("SET", "z", "1\u00002"), c("INCRBYFLOAT", "z", "1"),
                c("HINCRBYFLOAT", "h", "f", "1.5"), c("INCRBYFLOAT", "h", "1"), c("INCRBYFLOAT", "h", "abc"),
                c("HINCRBYFLOAT", "h", "f", "0.1"), c("HINCRBYFLOAT", "h", "g", "-0.1"), c("HINCRBYFLOAT", "h", "f", "x"),
                c("HINCRBYFLOAT", "h", "f", "inf"), c("HINCRBYFLOAT", "h", "f", "-Infinity"),
                c("HINCRBYFLOAT", "h", "f", "nan"), c("HINCRBYFLOAT", "k", "f", "1"), c("HINCRBYFLOAT", "k", "f", "x"),
                c("HINCRBYFLOAT", "k", "f", "inf"), c("HINCRBYFLOAT", "big", "f", "1e4932"),
                c("HINCRBYFLOAT", "big", "f", "1e4932"), c("INCRBYFLOAT", "nokey", "-0"), c("GET", "nokey"),
                c("INCRBYFLOAT", "k"), c("HINCRBYFLOAT", "h", "f"));
        sameDigest();
    }

    /** Random operands of every form strtold reads, summed on both servers; redis-server is the oracle. */
    @Test
    void incrbyfloatArithmeticMatchesRedis() throws IOException {
        Random r = new Random(42);
        try (Twin.Session s = twin.session()) {
            for (int i = 0; i < 400; i++) {
                s.same("SET", "k", randomFloat(r));
                s.same("INCRBYFLOAT", "k", randomFloat(r));
                s.same("INCRBYFLOAT", "k", randomFloat(r));
                s.same("HINCRBYFLOAT", "h", "f" + (i % 7), randomFloat(r));
            }
            for (int i = 0; i < 50; i++) {
                s.same("INCRBYFLOAT", "acc", "0.1");
                s.same("INCRBYFLOAT", "acc2", "-1.1e-3");
            }
        }
        sameDigest();
    }

    private static String randomFloat(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return Double.toString((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 20));
            case 1:
                return Long.toString(r.nextLong() >> r.nextInt(64));
            case 2:
                return (r.nextBoolean() ? "-" : "") + "0x" + Long.toHexString(r.nextLong() >>> r.nextInt(60)) + "p"
                        + (r.nextInt(100) - 50);
            case 3:
                return (r.nextInt(2000) - 1000) + "." + r.nextInt(1000) + "e" + (r.nextInt(8) - 4);
            case 4:
                return List.of("0.1", "0.2", "10.5", "-1.1", "1e-17", "5e-18", "3.0e3", "1.5", "0")
                        .get(r.nextInt(9));
            default:
                return r.nextInt(10) + "." + Long.toString(Math.abs(r.nextLong())) + "e" + (r.nextInt(600) - 300);
        }
    }

    @Test
    void lcs() throws IOException {
        String rna1 = "CACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTCACTCGGCTGC"
                + "ATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTTACGGTTTCG"
                + "TCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTTCGTCCGGGTGTG";
        String rna2 = "ATTAAAGGTTTATACCTTCCCAGGTAACAAACCAACCAACTTTCGATCTCTTGTAGATCTGTTCTCTAAACGAACTTTAAAATCTGTGTGGCTGTC"
                + "ACTCGGCTGCATGCTTAGTGCACTCACGCAGTATAATTAATAACTAATTACTGTCGTTGACAGGACACGAGTAACTCGTCTATCTTCTGCAGGCTGCTT"
                + "ACGGTTTCGTCCGTGTTGCAGCCGATCATCAGCACATCTAGGTTT";
        same(c("SET", "a", rna1), c("SET", "b", rna2), c("LCS", "a", "b"), c("LCS", "a", "b", "LEN"),
                c("LCS", "a", "b", "IDX"), c("LCS", "a", "b", "IDX", "WITHMATCHLEN"),
                c("LCS", "a", "b", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "5"), c("LCS", "a", "b", "MINMATCHLEN", "-3",
                        "IDX"), c("LCS", "a", "b", "LEN", "IDX"), c("LCS", "a", "b", "MINMATCHLEN"),
                c("LCS", "a", "b", "MINMATCHLEN", "x"), c("LCS", "a", "b", "bogus"), c("LCS", "a", "nokey"),
                c("LCS", "nokey", "a", "IDX"), c("LCS", "a", "a", "LEN"), c("SET", "x", "ohmytext"),
                c("SET", "y", "mynewtext"), c("LCS", "x", "y"), c("LCS", "x", "y", "IDX", "MINMATCHLEN", "4",
                        "WITHMATCHLEN"), c("LCS", "x", "y", "WITHMATCHLEN"), c("HINCRBYFLOAT", "h", "f", "1"),
                c("LCS", "a", "h"), c("LCS", "h", "a", "bogus"), c("LCS", "a"));
        Random r = new Random(7);
        try (Twin.Session s = twin.session()) {
            for (int i = 0; i < 40; i++) {
                s.same("SET", "p", randomDna(r));
                s.same("SET", "q", randomDna(r));
                s.same("LCS", "p", "q", "IDX", "WITHMATCHLEN");
                s.same("LCS", "p", "q");
            }
        }
    }

    private static String randomDna(Random r) {
        StringBuilder b = new StringBuilder();
        for (int n = r.nextInt(60); n > 0; n--) {
            b.append("ACGT".charAt(r.nextInt(4)));
        }
        return b.toString();
    }

    @Test
    void resp3Replies() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.redis.call("HELLO", "3");
            s.cascade.call("HELLO", "3");
            for (String[] cmd : List.of(c("GET", "nokey"), c("SET", "k", "v", "GET"), c("SET", "k", "w", "NX"),
                    c("SET", "k", "w", "NX", "GET"), c("GETEX", "nokey"), c("GETDEL", "nokey"), c("GETSET", "n2", "x"),
                    c("MGET", "k", "nokey", "n2"), c("SET", "a", "ohmytext"), c("SET", "b", "mynewtext"),
                    c("LCS", "a", "b", "IDX", "WITHMATCHLEN"), c("LCS", "a", "b", "LEN"), c("INCRBYFLOAT", "f", "1.5"),
                    c("GETRANGE", "nokey", "0", "1"), c("SETNX", "k", "1"))) {
                s.same(cmd);
            }
        }
    }

    /** Expiry seen through GET after a wait: works before the keys family brings TTL. */
    @Test
    void expiryAsSeenByGet() throws IOException, InterruptedException {
        same(c("SET", "ex", "v", "PX", "150"), c("SET", "keep", "v", "PX", "150"), c("SET", "keep", "w", "KEEPTTL"),
                c("SET", "drop", "v", "PX", "150"), c("SET", "drop", "w"), c("SET", "per", "v", "PX", "150"),
                c("GETEX", "per", "PERSIST"), c("SET", "cnt", "1", "PX", "150"), c("INCR", "cnt"),
                c("SET", "app", "a", "PX", "150"), c("APPEND", "app", "b"), c("SET", "flt", "1", "PX", "150"),
                c("INCRBYFLOAT", "flt", "1"), c("SET", "gs", "1", "PX", "150"), c("GETSET", "gs", "2"),
                c("SET", "rng", "abc", "PX", "150"), c("SETRANGE", "rng", "1", "x"), c("PSETEX", "ps", "150", "v"),
                c("SET", "gx", "v"), c("GETEX", "gx", "PX", "150"), c("SET", "past", "v", "PXAT", "1"),
                c("GET", "past"));
        Thread.sleep(400);
        same(c("MGET", "ex", "keep", "drop", "per", "cnt", "app", "flt", "gs", "rng", "ps", "gx", "past"),
                c("SETNX", "ex", "again"), c("GET", "ex"), c("SET", "cnt", "x", "XX"), c("GET", "cnt"));
        sameDigest();
    }

    /** The TTLs themselves, once the keys family has TTL/PTTL on Cascade (skipped before). */
    @Test
    void ttlAfterStringCommands() throws IOException {
        assumeTrue(cascadeHas("TTL", "x"), "TTL is not on Cascade yet");
        long far = System.currentTimeMillis() / 1000 + 100_000;
        same(c("SET", "a", "v", "EX", "1000"), c("TTL", "a"), c("SET", "a", "w", "KEEPTTL"), c("TTL", "a"),
                c("SET", "a", "x"), c("TTL", "a"), c("SETEX", "b", "1000", "v"), c("TTL", "b"), c("INCRBYFLOAT", "b", "0"),
                c("GET", "b"), c("SET", "c", "1", "EX", "1000"), c("INCR", "c"), c("TTL", "c"), c("APPEND", "c", "1"),
                c("TTL", "c"), c("SETRANGE", "c", "0", "9"), c("TTL", "c"), c("GETSET", "c", "0"), c("TTL", "c"),
                c("SET", "d", "v", "EXAT", Long.toString(far)), c("TTL", "d"), c("GETEX", "d", "PERSIST"), c("TTL", "d"),
                c("GETEX", "d", "EXAT", Long.toString(far)), c("TTL", "d"), c("SET", "e", "v", "PXAT",
                        "9223372036854775807"), c("TTL", "e"), c("SET", "f", "v", "EX", "1000", "GET"), c("TTL", "f"),
                c("SET", "f", "w", "GET", "KEEPTTL"), c("TTL", "f"), c("SET", "f", "z", "NX", "EX", "5"), c("TTL", "f"));
    }

    /** INFO's keyspace_hits/misses move as in Redis: read lookups count, write lookups (SET, INCR ...) do not. */
    @Test
    void keyspaceHitsAndMisses() throws IOException {
        long[] redisBefore = hitsAndMisses(twin.redis.port());
        long[] cascadeBefore = hitsAndMisses(twin.cascade.port());
        same(c("SET", "a", "1"), c("GET", "a"), c("GET", "nokey"), c("MGET", "a", "nokey", "a"), c("SET", "a", "2", "GET"),
                c("SET", "b", "2", "GET", "NX"), c("INCR", "a"), c("INCRBYFLOAT", "a", "1"), c("APPEND", "a", "x"),
                c("SETRANGE", "a", "0", "y"), c("STRLEN", "a"), c("GETRANGE", "nokey", "0", "1"), c("GETEX", "a"),
                c("GETDEL", "b"), c("GETSET", "c", "1"), c("MSETNX", "d", "1"), c("LCS", "a", "nokey"),
                c("HINCRBYFLOAT", "h", "f", "1"), c("SETNX", "a", "1"));
        long[] redisAfter = hitsAndMisses(twin.redis.port());
        long[] cascadeAfter = hitsAndMisses(twin.cascade.port());
        assertEquals(redisAfter[0] - redisBefore[0], cascadeAfter[0] - cascadeBefore[0], "keyspace_hits");
        assertEquals(redisAfter[1] - redisBefore[1], cascadeAfter[1] - cascadeBefore[1], "keyspace_misses");
    }

    private static long[] hitsAndMisses(int port) throws IOException {
        try (RawConnection r = new RawConnection(port)) {
            String info = r.call("INFO", "stats");
            return new long[] {field(info, "keyspace_hits:"), field(info, "keyspace_misses:")};
        }
    }

    private static long field(String info, String name) {
        int at = info.indexOf(name) + name.length();
        return Long.parseLong(info.substring(at, info.indexOf('\r', at)));
    }

    @Test
    void commandInfoOfTheFamilyMatchesRedis() throws IOException {
        for (String name : List.of("set", "setnx", "setex", "psetex", "get", "getset", "getdel", "getex", "getrange",
                "substr", "setrange", "append", "strlen", "incr", "decr", "incrby", "decrby", "incrbyfloat", "mget",
                "mset", "msetnx", "lcs", "hincrbyfloat")) {
            twin.same("COMMAND", "INFO", name);
        }
        assertEquals(twin.redis.cli("SET", "x", "1"), twin.cascade.cli("SET", "x", "1"), "redis-cli works on both");
    }
}
