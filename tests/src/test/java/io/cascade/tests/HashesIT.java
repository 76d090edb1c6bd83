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
import static io.cascade.tests.CollectionReplies.sameShape;
import static io.cascade.tests.CollectionReplies.sameUnordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hash commands on redis-server and Cascade side by side: every reply compared. */
@ExtendWith(Servers.class)
class HashesIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.sameAll(new String[] {"CONFIG", "SET", "hash-max-listpack-entries", "128"},
                new String[] {"CONFIG", "SET", "hash-max-listpack-value", "64"});
    }

    @Test
    void fieldCommandsOnASmallHashKeepInsertionOrder() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("HSET", "h", "b", "1", "a", "2", "c", "3");
            s.same("HSET", "h", "a", "20", "d", "4");
            s.same("HMSET", "h", "e", "5", "b", "10");
            s.same("HSETNX", "h", "e", "x");
            s.same("HSETNX", "h", "f", "6");
            s.same("HSETNX", "new", "f", "6");
            s.same("HGET", "h", "a");
            s.same("HGET", "h", "nope");
            s.same("HGET", "nokey", "a");
            s.same("HMGET", "h", "a", "nope", "c");
            s.same("HMGET", "nokey", "a", "b");
            s.same("HLEN", "h");
            s.same("HLEN", "nokey");
            s.same("HSTRLEN", "h", "a");
            s.same("HSTRLEN", "h", "nope");
            s.same("HSTRLEN", "nokey", "a");
            s.same("HEXISTS", "h", "a");
            s.same("HEXISTS", "h", "nope");
            s.same("HEXISTS", "nokey", "a");
            // a listpack answers in insertion order, updates staying in place
            s.same("HKEYS", "h");
            s.same("HVALS", "h");
            s.same("HGETALL", "h");
            s.same("HDEL", "h", "a", "nope", "a");
            s.same("HDEL", "h", "c", "e");
            s.same("HGETALL", "h");
            s.same("HDEL", "nokey", "a");
            s.same("HKEYS", "nokey");
            s.same("HVALS", "nokey");
            s.same("HGETALL", "nokey");
            // deleting the last field deletes the key, the rest of the arguments are not looked at
            s.same("HDEL", "new", "f", "f");
            s.same("HLEN", "new");
            s.same("HSET", "int", "1", "100", "-5", "0");
            s.same("HGETALL", "int");
            s.same("HSTRLEN", "int", "1");
            s.same("HSET", "bin", "f\u0000\r\n", "v\u0000\u00ff");
            s.same("HGETALL", "bin");
            CollectionReplies.hello(s, 3);
            s.same("HGETALL", "h");
            s.same("HGETALL", "nokey");
            s.same("HKEYS", "h");
            s.same("HMGET", "h", "b", "zz");
            s.same("HGET", "h", "zz");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void errors() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("SADD", "set", "x");
            for (String[] c : List.of(
                    new String[] {"HSET", "set", "f", "v"}, new String[] {"HSETNX", "set", "f", "v"},
                    new String[] {"HMSET", "set", "f", "v"}, new String[] {"HGET", "set", "f"},
                    new String[] {"HMGET", "set", "f"}, new String[] {"HDEL", "set", "f"},
                    new String[] {"HLEN", "set"}, new String[] {"HSTRLEN", "set", "f"},
                    new String[] {"HEXISTS", "set", "f"}, new String[] {"HKEYS", "set"},
                    new String[] {"HVALS", "set"}, new String[] {"HGETALL", "set"},
                    new String[] {"HINCRBY", "set", "f", "1"}, new String[] {"HRANDFIELD", "set"},
                    new String[] {"HRANDFIELD", "set", "2"}, new String[] {"HSCAN", "set", "0"},
                    new String[] {"HSCAN", "set", "0", "COUNT", "x"})) {
                s.same(c);
            }
            for (String[] c : List.of(
                    new String[] {"HSET", "h", "f"}, new String[] {"HSET", "h", "f", "v", "g"},
                    new String[] {"HMSET", "h", "f", "v", "g"}, new String[] {"HMSET", "h"},
                    new String[] {"HSETNX", "h", "f"}, new String[] {"HGET", "h"},
                    new String[] {"HMGET", "h"}, new String[] {"HDEL", "h"}, new String[] {"HLEN"},
                    new String[] {"HSTRLEN", "h"}, new String[] {"HEXISTS", "h"}, new String[] {"HKEYS", "h", "x"},
                    new String[] {"HVALS"}, new String[] {"HGETALL", "h", "x"}, new String[] {"HINCRBY", "h", "f"},
                    new String[] {"HRANDFIELD"}, new String[] {"HSCAN", "h"})) {
                s.same(c);
            }
            s.same("HLEN", "h");
        }
    }

    @Test
    void hincrby() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("HINCRBY", "h", "n", "5");
            s.same("HINCRBY", "h", "n", "-12");
            s.same("HINCRBY", "h", "big", "17179869184");
            s.same("HINCRBY", "h", "big", "17179869184");
            s.same("HSET", "h", "s", "abc", "sp", " 1", "sp2", "1 ", "max", "9223372036854775807",
                    "min", "-9223372036854775808", "lead", "01");
            s.same("HINCRBY", "h", "s", "1");
            s.same("HINCRBY", "h", "sp", "1");
            s.same("HINCRBY", "h", "sp2", "1");
            s.same("HINCRBY", "h", "lead", "1");
            s.same("HINCRBY", "h", "max", "1");
            s.same("HINCRBY", "h", "max", "0");
            s.same("HINCRBY", "h", "max", "-1");
            s.same("HINCRBY", "h", "min", "-1");
            s.same("HINCRBY", "h", "min", "9223372036854775807");
            s.same("HINCRBY", "h", "n", "x");
            s.same("HINCRBY", "h", "n", "1.5");
            s.same("HINCRBY", "h", "n", "99999999999999999999");
            s.same("HINCRBY", "nokey", "n", "x");
            s.same("HLEN", "nokey");
            s.same("HGETALL", "h");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void aHashPastTheListpackLimitsIsAHashtable() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "SET", "hash-max-listpack-entries", "4");
            s.same("CONFIG", "SET", "hash-max-listpack-value", "8");
            s.same("HSET", "h", "f1", "1", "f2", "2", "f3", "3", "f4", "4");
            s.same("HGETALL", "h"); // still a listpack: exact order
            s.same("HSET", "h", "f5", "5");
            sameUnordered(s, 2, "HGETALL", "h");
            sameUnordered(s, 1, "HKEYS", "h");
            sameUnordered(s, 1, "HVALS", "h");
            s.same("HDEL", "h", "f1", "f2", "f3", "f4");
            s.same("HGETALL", "h");
            // a value longer than hash-max-listpack-value converts, even when it is not written (HSET of
            // existing fields converts before looking); HSETNX of an existing field does not
            s.same("HSET", "v", "a", "1", "b", "2");
            s.same("HSETNX", "v", "a", "123456789");
            s.same("HSET", "v", "c", "3");
            s.same("HGETALL", "v");
            s.same("HSET", "v", "d", "4", "a", "123456789");
            sameUnordered(s, 2, "HGETALL", "v");
            s.same("HSET", "w", "123456789", "x");
            s.same("HGET", "w", "123456789");
            s.same("HSET", "inc", "a", "1", "b", "2");
            s.same("HINCRBY", "inc", "a", "9999999999");
            s.same("HSET", "inc", "c", "3");
            sameUnordered(s, 2, "HGETALL", "inc");
            CollectionReplies.hello(s, 3);
            sameUnordered(s, 2, "HGETALL", "inc");
        }
        CollectionReplies.sameDigestIfAvailable(twin);
    }

    @Test
    void hrandfield() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "SET", "hash-max-listpack-entries", "16");
            s.same("HRANDFIELD", "nokey");
            s.same("HRANDFIELD", "nokey", "5");
            s.same("HRANDFIELD", "nokey", "-5", "WITHVALUES");
            for (int i = 0; i < 10; i++) {
                s.same("HSET", "small", "f" + i, "v" + i);
            }
            for (int i = 0; i < 40; i++) {
                s.same("HSET", "big", "f" + i, "v" + i);
            }
            s.same("HRANDFIELD", "small", "0");
            s.same("HRANDFIELD", "small", "0", "WITHVALUES");
            s.same("HRANDFIELD", "small", "x");
            s.same("HRANDFIELD", "small", "1", "WITHVALUE");
            s.same("HRANDFIELD", "small", "1", "WITHVALUES", "x");
            s.same("HRANDFIELD", "small", "-9223372036854775808");
            s.same("HRANDFIELD", "small", "-9223372036854770000", "WITHVALUES");
            s.same("HRANDFIELD", "small", "9223372036854775807", "WITHVALUES");
            s.same("HRANDFIELD", "small", "4611686018427387904", "WITHVALUES");
            for (String key : List.of("small", "big")) {
                int size = key.equals("small") ? 10 : 40;
                for (int resp : new int[] {2, 3}) {
                    CollectionReplies.hello(s, resp);
                    String one = sameShape(s, "HRANDFIELD", key);
                    assertTrue(flat(one).get(0).matches("f\\d+"), one);
                    // whole hash when the count reaches the size
                    sameUnordered(s, 2, "HRANDFIELD", key, "100", "WITHVALUES");
                    sameUnordered(s, 1, "HRANDFIELD", key, Integer.toString(size));
                    for (String count : List.of("1", "3", Integer.toString(size - 1), "-1", "-3", "-100")) {
                        long n = Math.abs(Long.parseLong(count));
                        List<String> fields = flat(sameShape(s, "HRANDFIELD", key, count));
                        assertEquals(n, fields.size());
                        fields.forEach(f -> assertTrue(f.matches("f\\d+") && Integer.parseInt(f.substring(1)) < size));
                        if (!count.startsWith("-")) {
                            assertEquals(n, new HashSet<>(fields).size(), "distinct " + fields);
                        }
                        List<String> pairs = flat(sameShape(s, "HRANDFIELD", key, count, "WITHVALUES"));
                        assertEquals(2 * n, pairs.size());
                        for (int i = 0; i < pairs.size(); i += 2) {
                            assertEquals("v" + pairs.get(i).substring(1), pairs.get(i + 1), "value of its field");
                        }
                    }
                }
            }
            // every field eventually comes, with about the same frequency
            CollectionReplies.hello(s, 2);
            Map<String, Integer> hist = new HashMap<>();
            for (String f : flat(s.cascade.call("HRANDFIELD", "small", "-10000"))) {
                hist.merge(f, 1, Integer::sum);
            }
            assertEquals(10, hist.size());
            hist.values().forEach(n -> assertTrue(n > 800 && n < 1200, hist.toString()));
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 200 && seen.size() < 40; i++) {
                seen.addAll(flat(s.cascade.call("HRANDFIELD", "big", "30")));
            }
            assertEquals(40, seen.size());
        }
    }

    @Test
    void hscan() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("HSCAN", "nokey", "0");
            s.same("HSCAN", "nokey", "0", "COUNT", "0");
            s.same("HSCAN", "nokey", "x");
            s.same("HSET", "h", "a1", "1", "b1", "2", "a2", "3", "c", "4");
            // a listpack answers everything at once with cursor 0
            s.same("HSCAN", "h", "0");
            s.same("HSCAN", "h", "123");
            s.same("HSCAN", "h", "0", "MATCH", "a*");
            s.same("HSCAN", "h", "0", "MATCH", "*", "COUNT", "1");
            s.same("HSCAN", "h", "0", "COUNT", "1", "MATCH", "*1");
            s.same("HSCAN", "h", "0", "COUNT", "0");
            s.same("HSCAN", "h", "0", "COUNT", "-1");
            s.same("HSCAN", "h", "0", "COUNT", "x");
            s.same("HSCAN", "h", "0", "COUNT");
            s.same("HSCAN", "h", "0", "MATCH");
            s.same("HSCAN", "h", "0", "TYPE", "string");
            s.same("HSCAN", "h", "0", "BOGUS", "1");
            s.same("HSCAN", "h", "-1");
            s.same("HSCAN", "h", "18446744073709551615");
            s.same("HSCAN", "h", "18446744073709551616");
            s.same("HSCAN", "h", "1x");
            for (String cursor : List.of("", "+5", "-", " 5", "5 ", "-18446744073709551615", "0x1")) {
                s.same("HSCAN", "h", cursor);
            }
            CollectionReplies.hello(s, 3);
            s.same("HSCAN", "h", "0");
            s.same("HSCAN", "nokey", "0");
            CollectionReplies.hello(s, 2);
            for (int i = 0; i < 1000; i++) {
                s.same("HSET", "big", "k" + i, "v" + i);
            }
            for (String count : List.of("10", "100", "1000")) {
                Map<String, String> redis = fullScan(s.redis, "big", count, null);
                Map<String, String> cascade = fullScan(s.cascade, "big", count, null);
                assertEquals(1000, cascade.size());
                assertEquals(redis, cascade);
            }
            assertEquals(fullScan(s.redis, "big", "7", "k1*"), fullScan(s.cascade, "big", "7", "k1*"));
            // fields present for the whole scan are all returned while others come and go
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int step = 0;
            do {
                List<String> r = flat(s.cascade.call("HSCAN", "big", cursor, "COUNT", "20"));
                cursor = r.get(0);
                for (int i = 1; i < r.size(); i += 2) {
                    seen.add(r.get(i));
                }
                for (int j = 0; j < 30; j++) {
                    s.cascade.call("HSET", "big", "tmp" + step + "_" + j, "x");
                }
                if (step > 3) {
                    for (int j = 0; j < 30; j++) {
                        s.cascade.call("HDEL", "big", "tmp" + (step - 3) + "_" + j);
                    }
                }
                step++;
            } while (!cursor.equals("0"));
            for (int i = 0; i < 1000; i++) {
                assertTrue(seen.contains("k" + i), "k" + i);
            }
        }
    }

    /** Every field and value a complete HSCAN returns. */
    static Map<String, String> fullScan(RawConnection conn, String key, String count,
                                        String match) throws IOException {
        Map<String, String> out = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(List.of("HSCAN", key, cursor, "COUNT", count));
            if (match != null) {
                args.addAll(List.of("MATCH", match));
            }
            List<String> r = flat(conn.call(args.toArray(new String[0])));
            cursor = r.get(0);
            for (int i = 1; i < r.size(); i += 2) {
                out.put(r.get(i), r.get(i + 1));
            }
            assertTrue(++calls < 100_000, "the scan ends");
        } while (!cursor.equals("0"));
        return out;
    }
}
