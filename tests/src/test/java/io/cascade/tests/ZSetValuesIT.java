package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import static io.cascade.tests.SeedValues.b;
import static io.cascade.tests.SeedValues.command;
import static io.cascade.tests.SeedValues.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sorted-set values (before their own commands exist on Cascade): sets built with ZADD on redis-server, DUMPed
 * there and RESTOREd into both, then compared through what the generic commands show: DEBUG DIGEST and
 * DIGEST-VALUE, TYPE, OBJECT ENCODING, DUMP bytes, SORT, COPY / RENAME / MOVE, SCAN TYPE, DEBUG OBJECT; and
 * Cascade's DUMP restored into redis-server gives the same value.
 */
@ExtendWith(Servers.class)
class ZSetValuesIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    /** Scores and members of every shape: integral, fractional, infinite, large, ties, integer-like members. */
    private static final String[][] SETS = {
        {"small", "ZADD", "$", "1", "a", "2", "b", "3", "c"},
        {"fractions", "ZADD", "$", "0.1", "a", "1.5", "b", "-2.25", "c", "3.141592653589793", "d", "1e-300", "e",
            "-0.3333333333333333", "f", "123456.789", "g"},
        {"infinite", "ZADD", "$", "+inf", "top", "-inf", "bottom", "0", "mid", "inf", "top2", "-inf", "bottom2"},
        {"ties", "ZADD", "$", "5", "b", "5", "a", "5", "c", "5", "aa", "5", "", "5", "B", "4", "z"},
        {"intmembers", "ZADD", "$", "1", "100", "2", "-5", "3", "007", "4", "9223372036854775807", "5", "12345678901"},
        {"bigscores", "ZADD", "$", "4611686018427387904", "a", "4611686018427387905", "b", "9223372036854775807", "c",
            "-4611686018427387904", "d", "1e20", "e", "-1e20", "f", "9007199254740993", "g", "2.5e-320", "h"},
        {"negzero", "ZADD", "$", "-0", "a", "0", "b", "-0.0", "c"},
        {"long", "ZADD", "$", "1", "x".repeat(65), "2", "short", "-0", "zero"},
        {"verylong", "ZADD", "$", "7", "y".repeat(5000), "1.5", "z".repeat(100)},
    };

    @BeforeEach
    void seed() throws IOException {
        twin.flushAll();
        for (String[] s : SETS) {
            String[] cmd = new String[s.length - 1];
            System.arraycopy(s, 1, cmd, 0, cmd.length);
            put(twin, s[0], cmd);
        }
        List<String> large = new ArrayList<>(List.of("ZADD", "$"));
        for (int i = 0; i < 300; i++) {
            large.add(i % 7 == 0 ? Double.toString(i / 8.0) : Integer.toString(i % 50 - 25));
            large.add("member:" + i);
        }
        large.addAll(List.of("-0", "negzero", "+inf", "inf-member", "-inf", "minus-inf"));
        put(twin, "large", large.toArray(new String[0]));
        // a skiplist shrunk back under the limits: RESTORE makes it a listpack again on both
        large.addAll(List.of(";", "ZREMRANGEBYRANK", "$", "0", "-4"));
        put(twin, "shrunk", large.toArray(new String[0]));
    }

    private static List<String> keys() {
        List<String> k = new ArrayList<>();
        for (String[] s : SETS) {
            k.add(s[0]);
        }
        k.add("large");
        k.add("shrunk");
        return k;
    }

    private static String hex(Object reply) {
        return reply instanceof byte[] x ? HexFormat.of().formatHex(x) : String.valueOf(reply);
    }

    /** A reply as text: bulk strings decoded, arrays element by element. */
    private static String text(Object reply) {
        if (reply instanceof byte[] x) {
            return new String(x, StandardCharsets.ISO_8859_1);
        }
        if (reply instanceof List<?> l) {
            return l.stream().map(ZSetValuesIT::text).toList().toString();
        }
        return String.valueOf(reply);
    }

    private static byte[] dump(Jedis j, String key) {
        return j.dump(b(key));
    }

    private static void sameDump(String key) {
        try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
            assertEquals(hex(dump(r, key)), hex(dump(c, key)), "DUMP " + key);
        }
    }

    private static void sameValue(String key) throws IOException {
        twin.same("TYPE", key);
        twin.same("OBJECT", "ENCODING", key);
        twin.same("DEBUG", "DIGEST-VALUE", key);
        twin.same("EXISTS", key);
        sameDump(key);
    }

    /** DEBUG OBJECT's encoding and serializedlength fields (the rest names addresses and clocks). */
    private static String serializedLength(Jedis j, String key) {
        String s = text(j.sendCommand(command("DEBUG"), b("OBJECT"), b(key)));
        return s.substring(s.indexOf("encoding:"), s.indexOf(" lru:"));
    }

    @Test
    void valuesDigestsEncodingsAndDumps() throws IOException {
        for (String k : keys()) {
            sameValue(k);
            try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
                assertEquals(serializedLength(r, k), serializedLength(c, k), "DEBUG OBJECT " + k);
            }
        }
        twin.same("OBJECT", "ENCODING", "nokey");
        twin.same("DEBUG", "DIGEST-VALUE", "nokey", "small", "large");
        twin.sameDigest();
        // the type is checked by other families' commands
        twin.same("GET", "small");
        twin.same("LPUSH", "small", "x");
        twin.same("HGET", "large", "f");
        twin.same("SADD", "small", "x");
        twin.same("SCARD", "large");
    }

    @Test
    void cascadeDumpsRestoreIntoRedis() throws IOException {
        for (String k : keys()) {
            byte[] payload;
            try (Jedis c = twin.cascade.jedis()) {
                payload = dump(c, k);
            }
            try (Jedis r = twin.redis.jedis()) {
                assertEquals("OK", r.restore(b(k + ":back"), 0, payload));
            }
            try (Jedis r = twin.redis.jedis()) {
                assertEquals(text(r.sendCommand(command("DEBUG"), b("DIGEST-VALUE"), b(k))),
                        text(r.sendCommand(command("DEBUG"), b("DIGEST-VALUE"), b(k + ":back"))), "restored " + k);
                assertEquals(hex(dump(r, k)), hex(dump(r, k + ":back")), "redis DUMP of restored " + k);
            }
        }
    }

    @Test
    void copyRenameMoveAndScanType() throws IOException {
        twin.same("COPY", "small", "small2");
        twin.same("COPY", "large", "large2");
        twin.same("COPY", "large", "large2");
        twin.same("COPY", "fractions", "large2", "REPLACE");
        twin.same("COPY", "ties", "ties", "DB", "3");
        twin.same("RENAME", "infinite", "inf2");
        twin.same("RENAMENX", "inf2", "small");
        twin.same("MOVE", "bigscores", "2");
        twin.same("EXPIRE", "shrunk", "1000");
        twin.same("COPY", "shrunk", "shrunk2");
        twin.same("TTL", "shrunk2");
        for (String k : new String[] {"small2", "large2", "inf2", "shrunk2"}) {
            sameValue(k);
        }
        twin.sameDigest();
        try (Twin.Session s = twin.session()) {
            s.same("SELECT", "3");
            s.same("DEBUG", "DIGEST-VALUE", "ties");
            s.same("OBJECT", "ENCODING", "ties");
            s.same("SELECT", "2");
            s.same("DEBUG", "DIGEST-VALUE", "bigscores");
            s.same("TYPE", "bigscores");
        }
        put(twin, "str", "SET", "$", "v");
        put(twin, "lst", "RPUSH", "$", "v");
        try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
            assertEquals(scanAll(r, "zset"), scanAll(c, "zset"));
            assertEquals(scanAll(r, "list"), scanAll(c, "list"));
        }
    }

    private static TreeSet<String> scanAll(Jedis j, String type) {
        TreeSet<String> out = new TreeSet<>();
        String cursor = "0";
        do {
            ScanResult<String> r = j.scan(cursor, new ScanParams().count(7), type);
            out.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        return out;
    }

    @Test
    void sortOnSortedSets() throws IOException {
        put(twin, "nums", "ZADD", "$", "3", "10", "1", "-2", "2", "1.5", "0", "7e2", "5", "0");
        put(twin, "w_10", "SET", "$", "3");
        put(twin, "w_-2", "SET", "$", "1");
        put(twin, "w_1.5", "SET", "$", "2");
        String[][] sorts = {
            {"SORT", "nums"}, {"SORT", "nums", "DESC"}, {"SORT", "nums", "ALPHA"}, {"SORT", "ties", "ALPHA", "DESC"},
            {"SORT", "nums", "BY", "nosort"}, {"SORT", "nums", "BY", "nosort", "DESC"},
            {"SORT", "large", "BY", "nosort", "LIMIT", "5", "10"}, {"SORT", "large", "BY", "nosort", "DESC", "LIMIT", "5", "10"},
            {"SORT", "large", "BY", "nosort", "LIMIT", "295", "100"}, {"SORT", "large", "BY", "nosort", "LIMIT", "400", "1"},
            {"SORT", "large", "BY", "nosort", "DESC", "LIMIT", "0", "-1"}, {"SORT", "large", "BY", "nosort", "LIMIT", "-3", "2"},
            {"SORT", "nums", "BY", "w_*"}, {"SORT", "nums", "BY", "w_*", "GET", "#", "GET", "w_*"},
            {"SORT", "ties", "BY", "nosort", "ALPHA"}, {"SORT", "small"}, {"SORT", "small", "ALPHA", "LIMIT", "1", "1"},
            {"SORT_RO", "fractions"}, {"SORT_RO", "infinite", "ALPHA"}, {"SORT", "intmembers", "DESC"},
            {"SORT", "nums", "BY", "nosort", "STORE", "dst"}, {"LRANGE", "dst", "0", "-1"},
            {"SORT", "fractions", "ALPHA", "STORE", "dst2"}, {"LRANGE", "dst2", "0", "-1"},
        };
        for (String[] s : sorts) {
            twin.same(s);
        }
        // SORT converted every sorted set it read into a skiplist, for good, on both
        for (String k : new String[] {"nums", "small", "fractions", "infinite", "ties", "intmembers", "large"}) {
            sameValue(k);
        }
        twin.sameDigest();
    }

    @Test
    void restoreOfOlderEncodingsAndLimits() throws IOException {
        String[] payloads = {
            // RDB_TYPE_ZSET: scores as text, +inf as 254
            "03" + "03" + "0161" + "03312e35" + "0162" + "fe" + "0163" + "022d30",
            // RDB_TYPE_ZSET_ZIPLIST: z -> "-0", a -> "1.5", b -> 2 (a listpack keeps the "-0" text, and its -0)
            "0c1f" + "1f000000" + "1c000000" + "0600" + "00017a" + "03022d30" + "040161" + "0303312e35" + "050162"
                    + "03f3" + "ff",
            // RDB_TYPE_ZSET_2 holding one -0
            "05" + "01" + "0178" + "0000000000000080",
        };
        for (int i = 0; i < payloads.length; i++) {
            byte[] p = DumpRestoreIT.withFooter(HexFormat.of().parseHex(payloads[i]));
            for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
                try (j) {
                    assertEquals("OK", j.restore(b("old" + i), 0, p));
                }
            }
            sameValue("old" + i);
        }
        // broken values: a NaN score, a duplicate member, an odd listpack
        String[] broken = {"03" + "01" + "0161" + "fd", "05" + "02" + "0161" + "0000000000000000" + "0161"
                + "0000000000000000", "11" + "0b" + "0b000000" + "0100" + "810161" + "ff"};
        for (String bad : broken) {
            byte[] p = DumpRestoreIT.withFooter(HexFormat.of().parseHex(bad));
            List<String> replies = new ArrayList<>();
            for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
                try (j) {
                    replies.add(hex(j.sendCommand(command("RESTORE"), b("bad"), b("0"), p)));
                } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                    replies.add(e.getMessage());
                }
            }
            assertEquals(replies.get(0), replies.get(1), "RESTORE of " + bad);
        }
        // the limits decide the encoding a restored value gets
        twin.same("CONFIG", "SET", "zset-max-listpack-entries", "4");
        byte[] small;
        try (Jedis r = twin.redis.jedis()) {
            small = dump(r, "fractions");
        }
        for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
            try (j) {
                j.restore(b("converted"), 0, small);
            }
        }
        sameValue("converted");
        twin.same("CONFIG", "SET", "zset-max-listpack-entries", "128");
        twin.same("CONFIG", "SET", "zset-max-listpack-value", "2");
        byte[] shrunk;
        try (Jedis r = twin.redis.jedis()) {
            shrunk = dump(r, "long");
        }
        for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
            try (j) {
                j.restore(b("stays"), 0, shrunk);
                j.restore(b("small-restored"), 0, small);
            }
        }
        sameValue("stays");
        sameValue("small-restored");
        twin.same("CONFIG", "SET", "zset-max-listpack-value", "64");
        twin.sameDigest();
    }
}
