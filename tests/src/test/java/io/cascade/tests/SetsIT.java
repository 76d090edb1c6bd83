package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cascade.tests.CollectionReplies.flat;
import static io.cascade.tests.CollectionReplies.hello;
import static io.cascade.tests.CollectionReplies.sameEncodingIfAvailable;
import static io.cascade.tests.CollectionReplies.sameShape;
import static io.cascade.tests.CollectionReplies.sameUnordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The set commands on redis-server and Cascade side by side: every reply compared. */
@ExtendWith(Servers.class)
class SetsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("CONFIG", "SET", "set-max-intset-entries", "512");
    }

    private static void sadd(Twin.Session s, String key, String... members) throws IOException {
        String[] cmd = new String[members.length + 2];
        cmd[0] = "SADD";
        cmd[1] = key;
        System.arraycopy(members, 0, cmd, 2, members.length);
        s.same(cmd);
    }

    private static String[] range(String prefix, int from, int to) {
        String[] out = new String[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = prefix + i;
        }
        return out;
    }

    @Test
    void intsetsAnswerInAscendingOrder() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("SADD", "s", "5", "-3", "100", "5", "0", "-9223372036854775808", "9223372036854775807");
            s.same("SMEMBERS", "s");
            sameEncodingIfAvailable(s, "s");
            s.same("SADD", "s", "7", "5");
            s.same("SCARD", "s");
            s.same("SISMEMBER", "s", "7");
            s.same("SISMEMBER", "s", "07");
            s.same("SISMEMBER", "s", "x");
            s.same("SMISMEMBER", "s", "7", "8", "x", "-3");
            s.same("SMISMEMBER", "nokey", "7", "8");
            s.same("SISMEMBER", "nokey", "7");
            s.same("SCARD", "nokey");
            s.same("SMEMBERS", "nokey");
            s.same("SREM", "s", "100", "nope", "+5", "07", "100");
            s.same("SMEMBERS", "s");
            s.same("SREM", "nokey", "1");
            s.same("SADD", "one", "1");
            s.same("SREM", "one", "1", "1");
            s.same("SCARD", "one");
            s.same("SSCAN", "s", "0");
            s.same("SSCAN", "s", "0", "MATCH", "*0*");
            s.same("SSCAN", "nokey", "0");
            hello(s, 3);
            s.same("SMEMBERS", "s");
            s.same("SMEMBERS", "nokey");
            s.same("SMISMEMBER", "s", "7", "8");
            s.same("SSCAN", "s", "0");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void aNonIntegerOrTooManyIntegersMakeAHashtable() throws IOException {
        try (Twin.Session s = twin.session()) {
            for (String odd : List.of("01", "+1", " 1", "-0", "1.0", "9223372036854775808", "x")) {
                s.same("SADD", "s" + odd, "1", "2", odd);
                sameUnordered(s, 1, "SMEMBERS", "s" + odd);
                sameEncodingIfAvailable(s, "s" + odd);
                s.same("SISMEMBER", "s" + odd, odd);
                s.same("SREM", "s" + odd, odd);
                sameUnordered(s, 1, "SMEMBERS", "s" + odd);
            }
            s.same("CONFIG", "SET", "set-max-intset-entries", "4");
            sadd(s, "ints", "1", "2", "3", "4");
            s.same("SMEMBERS", "ints");
            sadd(s, "ints", "4", "5");
            sameUnordered(s, 1, "SMEMBERS", "ints");
            sameEncodingIfAvailable(s, "ints");
            s.same("SREM", "ints", "5", "4");
            sameUnordered(s, 1, "SMEMBERS", "ints");
            sameEncodingIfAvailable(s, "ints");
            s.same("SADD", "str", "a", "1");
            sameUnordered(s, 1, "SMEMBERS", "str");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void errors() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("HSET", "hash", "f", "v");
            s.same("SADD", "set", "1");
            for (String[] c : List.of(
                    new String[] {"SADD", "hash", "x"}, new String[] {"SREM", "hash", "x"},
                    new String[] {"SCARD", "hash"}, new String[] {"SISMEMBER", "hash", "x"},
                    new String[] {"SMISMEMBER", "hash", "x"}, new String[] {"SMEMBERS", "hash"},
                    new String[] {"SPOP", "hash"}, new String[] {"SPOP", "hash", "2"},
                    new String[] {"SPOP", "hash", "-1"}, new String[] {"SRANDMEMBER", "hash"},
                    new String[] {"SRANDMEMBER", "hash", "2"}, new String[] {"SRANDMEMBER", "hash", "x"},
                    new String[] {"SINTER", "set", "hash"}, new String[] {"SINTER", "nokey", "hash"},
                    new String[] {"SINTERCARD", "2", "set", "hash"}, new String[] {"SINTERSTORE", "d", "set", "hash"},
                    new String[] {"SUNION", "set", "hash"}, new String[] {"SUNIONSTORE", "d", "hash"},
                    new String[] {"SDIFF", "nokey", "hash"}, new String[] {"SDIFFSTORE", "d", "set", "hash"},
                    new String[] {"SSCAN", "hash", "0"}, new String[] {"SSCAN", "hash", "0", "COUNT", "0"},
                    new String[] {"SSCAN", "nokey", "0", "COUNT", "0"}, new String[] {"SSCAN", "set", "0", "COUNT", "0"},
                    new String[] {"SSCAN", "set", "x"}, new String[] {"SSCAN", "set", "0", "MATCH"},
                    new String[] {"SMOVE", "hash", "set", "1"}, new String[] {"SMOVE", "set", "hash", "1"},
                    new String[] {"SMOVE", "nokey", "hash", "1"}, new String[] {"SMOVE", "set", "hash", "nomember"},
                    new String[] {"SPOP", "set", "1", "2"}, new String[] {"SPOP", "set", "x"},
                    new String[] {"SPOP", "set", "-1"}, new String[] {"SPOP", "nokey", "-1"},
                    new String[] {"SRANDMEMBER", "set", "1", "2"}, new String[] {"SRANDMEMBER", "set", "1.5"},
                    new String[] {"SRANDMEMBER", "set", "-9223372036854775808"},
                    new String[] {"SINTERCARD", "0", "set"}, new String[] {"SINTERCARD", "-1", "set"},
                    new String[] {"SINTERCARD", "x", "set"}, new String[] {"SINTERCARD", "3", "set", "a"},
                    new String[] {"SINTERCARD", "1", "set", "LIMIT"}, new String[] {"SINTERCARD", "1", "set", "LIMIT", "-1"},
                    new String[] {"SINTERCARD", "1", "set", "LIMIT", "x"}, new String[] {"SINTERCARD", "1", "set", "BOGUS", "1"},
                    new String[] {"SINTERCARD", "1", "set", "LIMIT", "1", "LIMIT", "2"},
                    new String[] {"SADD", "s"}, new String[] {"SREM", "s"}, new String[] {"SMOVE", "a", "b"},
                    new String[] {"SPOP"}, new String[] {"SRANDMEMBER"}, new String[] {"SCARD", "a", "b"},
                    new String[] {"SISMEMBER", "a"}, new String[] {"SMISMEMBER", "a"}, new String[] {"SMEMBERS"},
                    new String[] {"SINTER"}, new String[] {"SINTERCARD", "1"}, new String[] {"SINTERSTORE", "d"},
                    new String[] {"SUNION"}, new String[] {"SUNIONSTORE", "d"}, new String[] {"SDIFF"},
                    new String[] {"SDIFFSTORE", "d"}, new String[] {"SSCAN", "s"})) {
                s.same(c);
            }
            s.same("SMEMBERS", "set");
            s.same("HGETALL", "hash");
        }
    }

    @Test
    void algebraOfIntsetsAndHashtables() throws IOException {
        try (Twin.Session s = twin.session()) {
            sadd(s, "a", "1", "2", "3", "4", "5");
            sadd(s, "b", "4", "5", "6", "3");
            sadd(s, "c", "5", "3", "9");
            sadd(s, "x", "a", "b", "c", "3", "5");
            sadd(s, "y", "b", "c", "d", "5");
            for (String cmd : List.of("SINTER", "SUNION", "SDIFF")) {
                s.same(cmd, "a", "b");
                s.same(cmd, "a", "b", "c");
                s.same(cmd, "c", "a", "b", "nokey");
                s.same(cmd, "a");
                s.same(cmd, "a", "a");
                s.same(cmd, "nokey");
                s.same(cmd, "nokey", "a");
                sameUnordered(s, 1, cmd, "x", "y");
                sameUnordered(s, 1, cmd, "x", "a");
                sameUnordered(s, 1, cmd, "a", "x", "y");
                sameUnordered(s, 1, cmd, "y", "x", "nokey");
            }
            // stored results of integers are intsets: ascending when read back
            for (String cmd : List.of("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE")) {
                s.same(cmd, "d", "a", "b");
                s.same("SMEMBERS", "d");
                sameEncodingIfAvailable(s, "d");
                s.same(cmd, "d", "x", "a");
                sameUnordered(s, 1, "SMEMBERS", "d");
                sameEncodingIfAvailable(s, "d");
                s.same(cmd, "d", "a", "nokey");
                sameUnordered(s, 1, "SMEMBERS", "d");
                // the destination may be a source, or any type: it is replaced
                s.same("HSET", "h", "f", "v");
                s.same(cmd, "h", "a", "c");
                s.same("SMEMBERS", "h");
                s.same(cmd, "a2", "a", "a");
                s.same("SMEMBERS", "a2");
                // an empty result deletes the destination
                s.same("HSET", "h2", "f", "v");
                s.same(cmd, "h2", "nokey");
                s.same("HLEN", "h2");
            }
            s.same("SINTERSTORE", "x", "x", "y");
            sameUnordered(s, 1, "SMEMBERS", "x");
            s.same("SINTERCARD", "2", "a", "b");
            s.same("SINTERCARD", "3", "a", "b", "c");
            s.same("SINTERCARD", "2", "a", "nokey");
            s.same("SINTERCARD", "1", "a", "LIMIT", "0");
            s.same("SINTERCARD", "1", "a", "LIMIT", "2");
            s.same("SINTERCARD", "1", "a", "limit", "100");
            s.same("SINTERCARD", "2", "a", "b", "LIMIT", "1");
            // Redis's SDIFF picks the algorithm that copies the first set and removes the others when the first
            // set is large: the copy of a non-integer makes the result a hashtable (its order is hash order)
            sadd(s, "big", "z", "1", "2", "3", "4", "5", "6", "7", "8", "9");
            sadd(s, "zz", "z");
            sadd(s, "w", "q");
            sameUnordered(s, 1, "SDIFF", "big", "zz", "w");
            s.same("SDIFFSTORE", "dd", "big", "zz", "w");
            sameUnordered(s, 1, "SMEMBERS", "dd");
            sameEncodingIfAvailable(s, "dd");
            s.same("SDIFFSTORE", "dd", "big", "zz");
            s.same("SMEMBERS", "dd");
            sameEncodingIfAvailable(s, "dd");
            hello(s, 3);
            s.same("SINTER", "a", "b");
            s.same("SUNION", "a", "b");
            s.same("SDIFF", "a", "b");
            s.same("SINTER", "a", "nokey");
            s.same("SUNION", "nokey");
            s.same("SDIFF", "nokey", "a");
            s.same("SINTERCARD", "2", "a", "b");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void smove() throws IOException {
        try (Twin.Session s = twin.session()) {
            sadd(s, "src", "1", "2", "a");
            sadd(s, "ints", "5", "6");
            s.same("SMOVE", "src", "src", "1");
            s.same("SMOVE", "src", "src", "zz");
            s.same("SMOVE", "src", "ints", "nope");
            s.same("SMOVE", "src", "ints", "1");
            s.same("SMEMBERS", "ints");
            s.same("SMOVE", "src", "ints", "a");
            sameUnordered(s, 1, "SMEMBERS", "ints");
            s.same("SMOVE", "src", "new", "2");
            s.same("SMEMBERS", "new");
            sameEncodingIfAvailable(s, "new");
            s.same("SCARD", "src");
            sadd(s, "src2", "b", "c");
            s.same("SMOVE", "src2", "new2", "b");
            s.same("SMEMBERS", "new2");
            sameEncodingIfAvailable(s, "new2");
            s.same("SADD", "new2", "c");
            s.same("SMOVE", "src2", "new2", "c");
            s.same("SCARD", "src2");
            sameUnordered(s, 1, "SMEMBERS", "new2");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void spop() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("SPOP", "nokey");
            s.same("SPOP", "nokey", "3");
            s.same("SPOP", "nokey", "0");
            sadd(s, "ints", "3", "1", "2");
            s.same("SPOP", "ints", "0");
            // popping at least the whole set answers it all (in intset order) and deletes the key
            s.same("SPOP", "ints", "3");
            s.same("SCARD", "ints");
            sadd(s, "one", "x");
            s.same("SPOP", "one");
            s.same("SCARD", "one");
            hello(s, 3);
            s.same("SPOP", "nokey", "3");
            sadd(s, "ints", "3", "1", "2");
            s.same("SPOP", "ints", "10");
            hello(s, 2);
            for (String kind : List.of("i", "m")) {
                for (int count : new int[] {1, 5, 30, 45, 49}) {
                    String key = kind + count;
                    sadd(s, key, range(kind.equals("i") ? "" : "m", 0, 50));
                    Set<String> popped = new HashSet<>();
                    List<String> r = flat(sameShape(s, "SPOP", key, Integer.toString(count)));
                    popped.addAll(r);
                    assertEquals(count, r.size());
                    assertEquals(count, popped.size(), "distinct");
                    Set<String> rest = new HashSet<>(flat(s.cascade.call("SMEMBERS", key)));
                    assertEquals(50 - count, rest.size());
                    rest.forEach(m -> assertTrue(!popped.contains(m)));
                    sameShape(s, "SCARD", key);
                    String one = flat(sameShape(s, "SPOP", key)).get(0);
                    assertTrue(!popped.contains(one) && rest.contains(one));
                }
            }
            // popping most of a hashtable of integers rebuilds the rest, as an intset when it is small enough
            s.same("CONFIG", "SET", "set-max-intset-entries", "4");
            sadd(s, "h", range("", 0, 20));
            sameShape(s, "SPOP", "h", "17");
            for (RawConnection conn : List.of(s.redis, s.cascade)) {
                List<String> left = flat(conn.call("SMEMBERS", "h"));
                List<Long> nums = new ArrayList<>();
                left.forEach(m -> nums.add(Long.parseLong(m)));
                List<Long> sorted = new ArrayList<>(nums);
                sorted.sort(null);
                assertEquals(sorted, nums, "an intset again");
            }
            sameEncodingIfAvailable(s, "h");
        }
    }

    @Test
    void srandmember() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("SRANDMEMBER", "nokey");
            s.same("SRANDMEMBER", "nokey", "3");
            s.same("SRANDMEMBER", "nokey", "-3");
            sadd(s, "ints", range("", 0, 10));
            sadd(s, "strs", range("m", 0, 40));
            s.same("SRANDMEMBER", "ints", "0");
            s.same("SRANDMEMBER", "ints", "10");
            s.same("SRANDMEMBER", "ints", "100");
            for (int resp : new int[] {2, 3}) {
                hello(s, resp);
                for (String key : List.of("ints", "strs")) {
                    int size = key.equals("ints") ? 10 : 40;
                    String prefix = key.equals("ints") ? "" : "m";
                    sameUnordered(s, 1, "SRANDMEMBER", key, Integer.toString(size + 1));
                    assertTrue(flat(sameShape(s, "SRANDMEMBER", key)).get(0).startsWith(prefix));
                    for (String count : List.of("1", "2", "4", Integer.toString(size - 1), "-1", "-5", "-100")) {
                        long n = Math.abs(Long.parseLong(count));
                        List<String> got = flat(sameShape(s, "SRANDMEMBER", key, count));
                        assertEquals(n, got.size());
                        for (String m : got) {
                            assertTrue(m.startsWith(prefix) && Integer.parseInt(m.substring(prefix.length())) < size, m);
                        }
                        if (!count.startsWith("-")) {
                            assertEquals(n, new HashSet<>(got).size(), "distinct " + got);
                        }
                    }
                }
            }
            hello(s, 2);
            Map<String, Integer> hist = new HashMap<>();
            for (String m : flat(s.cascade.call("SRANDMEMBER", "ints", "-10000"))) {
                hist.merge(m, 1, Integer::sum);
            }
            assertEquals(10, hist.size());
            hist.values().forEach(n -> assertTrue(n > 800 && n < 1200, hist.toString()));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200 && seen.size() < 40; i++) {
                seen.addAll(flat(s.cascade.call("SRANDMEMBER", "strs", "5")));
            }
            assertEquals(40, seen.size());
        }
    }

    @Test
    void sscanOfAHashtableWalksWithACursor() throws IOException {
        try (Twin.Session s = twin.session()) {
            sadd(s, "big", range("m", 0, 1000));
            sadd(s, "bigints", range("", 0, 1000));
            for (String key : List.of("big", "bigints")) {
                for (String count : List.of("10", "1000")) {
                    Set<String> r = fullScan(s.redis, key, count, null);
                    assertEquals(1000, r.size());
                    assertEquals(r, fullScan(s.cascade, key, count, null));
                }
                assertEquals(fullScan(s.redis, key, "5", "*99*"), fullScan(s.cascade, key, "5", "*99*"));
            }
            String first = s.cascade.call("SSCAN", "big", "0");
            assertTrue(!flat(first).get(0).equals("0"), "a hashtable is not answered at once: " + first);
        }
    }

    static Set<String> fullScan(RawConnection conn, String key, String count, String match) throws IOException {
        Set<String> out = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("SSCAN", key, cursor, "COUNT", count));
            if (match != null) {
                args.addAll(List.of("MATCH", match));
            }
            List<String> r = flat(conn.call(args.toArray(new String[0])));
            cursor = r.get(0);
            out.addAll(r.subList(1, r.size()));
            assertTrue(++calls < 100_000, "the scan ends");
        } while (!cursor.equals("0"));
        return out;
    }
}
