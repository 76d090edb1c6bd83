package io.cascade.tests;

import io.cascade.storage.rdb.Crc64;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static io.cascade.tests.SeedValues.b;
import static io.cascade.tests.SeedValues.command;
import static io.cascade.tests.SeedValues.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * DUMP and RESTORE against redis-server: Cascade's DUMP of a value is byte for byte redis-server's, RESTORE
 * takes redis-server's payloads (including encodings 7.0 no longer writes) and answers every error as Redis.
 */
@ExtendWith(Servers.class)
class DumpRestoreIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    private static Object call(Jedis j, byte[]... args) {
        byte[][] rest = new byte[args.length - 1][];
        System.arraycopy(args, 1, rest, 0, rest.length);
        try {
            return j.sendCommand(command(new String(args[0])), rest);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    /** The reply of one binary command on each server, as comparable text. */
    private static void same(byte[]... args) {
        List<String> replies = new ArrayList<>();
        for (Jedis j : new Jedis[] {twin.redis.jedis(), twin.cascade.jedis()}) {
            try (j) {
                Object r = call(j, args);
                replies.add(r instanceof byte[] x ? HexFormat.of().formatHex(x) : String.valueOf(r));
            }
        }
        assertEquals(replies.get(0), replies.get(1), "reply to " + new String(args[0]));
    }

    private static void sameDump(String key) {
        same(b("DUMP"), b(key));
    }

    private static String repeat(String prefix, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(prefix).append(i % 97).append(' ');
        }
        return s.toString().trim();
    }

    private static String[] cmd(String line) {
        return line.split(" ");
    }

    @Test
    void dumpBytesAreRedisBytes() throws IOException {
        String[][] values = {
            {"SET", "$", "hello"}, {"SET", "$", "12345"}, {"SET", "$", "-2147483648"}, {"SET", "$", "2147483648"},
            {"SET", "$", "x".repeat(300)}, {"SET", "$", "0123"}, {"SET", "$", ""},
            {"SET", "$", "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0123456789"},
            {"RPUSH", "$", "a", "1", "-1", "127", "128", "-4096", "4095", "32767", "8388607", "2147483647",
                "9223372036854775807", "x".repeat(70), "y".repeat(5000)},
            {"HSET", "$", "f1", "v1", "f2", "2", "f3", "x".repeat(64)},
            {"HSET", "$", "only", "x".repeat(65)},
            {"SADD", "$", "1", "2", "3", "-5"}, {"SADD", "$", "70000", "1"}, {"SADD", "$", "5000000000"},
            {"SADD", "$", "member"},
        };
        for (int i = 0; i < values.length; i++) {
            put(twin, "k" + i, values[i]);
            sameDump("k" + i);
        }
        // a list of several quicklist nodes, built by RPUSH in order
        List<String> big = new ArrayList<>(List.of("RPUSH", "$"));
        big.addAll(List.of(cmd(repeat("item-", 3000))));
        put(twin, "big", big.toArray(new String[0]));
        sameDump("big");
        // an intset grown past set-max-intset-entries becomes a hashtable on load, as in Redis
        sameDump("nokey");
    }

    @Test
    void dumpFollowsCompressionAndListSettings() throws IOException {
        List<String> big = new ArrayList<>(List.of("RPUSH", "$"));
        big.addAll(List.of(cmd(repeat("compressible-element-", 4000))));
        String[] build = big.toArray(new String[0]);
        for (String[] setting : new String[][] {{"rdbcompression", "no"}, {"list-compress-depth", "1"},
                {"list-compress-depth", "2"}, {"list-max-listpack-size", "100"}, {"list-max-listpack-size", "-1"}}) {
            twin.same("CONFIG", "SET", setting[0], setting[1]);
            put(twin, "big", build);
            sameDump("big");
            twin.same("CONFIG", "SET", "rdbcompression", "yes");
            twin.same("CONFIG", "SET", "list-compress-depth", "0");
            twin.same("CONFIG", "SET", "list-max-listpack-size", "-2");
        }
        twin.same("CONFIG", "SET", "rdbcompression", "no");
        put(twin, "s", "SET", "$", "z".repeat(100));
        sameDump("s");
        twin.same("CONFIG", "SET", "rdbcompression", "yes");
    }

    @Test
    void restoreOptionsAndErrors() throws IOException {
        byte[] p = SeedValues.payload(twin, "SET", "$", "value");
        same(b("RESTORE"), b("k"), b("0"), p);
        same(b("RESTORE"), b("k"), b("0"), p);
        same(b("RESTORE"), b("k"), b("0"), p, b("REPLACE"));
        same(b("RESTORE"), b("k"), b("-1"), p, b("REPLACE"));
        same(b("RESTORE"), b("k"), b("x"), p, b("REPLACE"));
        same(b("RESTORE"), b("new"), b("x"), p);
        same(b("RESTORE"), b("new"), b("-5"), p);
        same(b("RESTORE"), b("k"), b("0"), p, b("BOGUS"));
        same(b("RESTORE"), b("k"), b("0"), p, b("IDLETIME"));
        same(b("RESTORE"), b("k"), b("0"), p, b("IDLETIME"), b("-1"));
        same(b("RESTORE"), b("k"), b("0"), p, b("IDLETIME"), b("x"));
        same(b("RESTORE"), b("k"), b("0"), p, b("FREQ"), b("256"));
        same(b("RESTORE"), b("k"), b("0"), p, b("FREQ"), b("-1"));
        same(b("RESTORE"), b("k"), b("0"), p, b("FREQ"), b("5"), b("IDLETIME"), b("5"));
        same(b("RESTORE"), b("k"), b("0"), p, b("IDLETIME"), b("5"), b("FREQ"), b("5"));
        same(b("RESTORE"), b("k2"), b("0"), p, b("IDLETIME"), b("100"), b("REPLACE"));
        same(b("RESTORE"), b("k3"), b("0"), p, b("FREQ"), b("100"));
        // version or checksum
        same(b("RESTORE"), b("bad"), b("0"), b("short"));
        byte[] crc = p.clone();
        crc[crc.length - 1] ^= 1;
        same(b("RESTORE"), b("bad"), b("0"), crc);
        byte[] version = p.clone();
        version[version.length - 10] = 11;
        same(b("RESTORE"), b("bad"), b("0"), version);
        // a well-formed footer around a broken value
        same(b("RESTORE"), b("bad"), b("0"), withFooter(new byte[] {0, (byte) 0x40}));
        same(b("RESTORE"), b("bad"), b("0"), withFooter(new byte[] {(byte) 200, 1, 2}));
        same(b("RESTORE"), b("bad"), b("0"), withFooter(new byte[] {1, 0}));
        same(b("RESTORE"), b("bad"), b("0"), withFooter(new byte[] {16, 3, 1, 2, 3}));
        same(b("EXISTS"), b("bad"), b("k"), b("k2"), b("k3"), b("new"));
        // TTLs: relative, absolute, already past
        same(b("RESTORE"), b("t1"), b("100000"), p);
        twin.same("TTL", "t1");
        long at = System.currentTimeMillis() + 500_000;
        same(b("RESTORE"), b("t2"), b(Long.toString(at)), p, b("ABSTTL"));
        twin.same("PEXPIRETIME", "t2");
        same(b("RESTORE"), b("t3"), b("1"), p, b("ABSTTL"));
        twin.same("EXISTS", "t3");
        same(b("RESTORE"), b("t2"), b("1000"), p, b("ABSTTL"), b("REPLACE"));
        twin.same("EXISTS", "t2");
        SeedValues.sameDigest(twin);
    }

    /** A payload: the bytes, RDB version 10 and the CRC64 of both, as DUMP writes it. */
    static byte[] withFooter(byte[] body) {
        byte[] out = new byte[body.length + 10];
        System.arraycopy(body, 0, out, 0, body.length);
        out[body.length] = 10;
        long crc = Crc64.update(0, out, 0, body.length + 2);
        for (int i = 0; i < 8; i++) {
            out[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return out;
    }

    /** Values in the encodings of older Redis versions: RESTORE converts them as 7.0 does. */
    @Test
    void olderEncodingsAreLoaded() throws IOException {
        String[] legacy = {
            // a ziplist list (RDB_TYPE_LIST_ZIPLIST) of "a", 1, "bb"
            "0a" + "14" + "14000000" + "0f000000" + "0300" + "000161" + "03f2" + "02" + "0262" + "62ff",
            // a plain list (RDB_TYPE_LIST)
            "01" + "02" + "0161" + "c005",
            // a plain set and a plain hash
            "02" + "01" + "0178", "04" + "01" + "0166" + "0176",
            // a hash ziplist (RDB_TYPE_HASH_ZIPLIST) of f -> v
            "0d" + "11" + "11000000" + "0d000000" + "0200" + "000166" + "030176" + "ff",
            // a zipmap (RDB_TYPE_HASH_ZIPMAP) of f -> vv
            "09" + "08" + "01" + "0166" + "02" + "00" + "7676" + "ff",
            // a quicklist v1 of one ziplist node
            "0e" + "01" + "14" + "14000000" + "0f000000" + "0300" + "000161" + "03f2" + "02" + "0262" + "62ff",
        };
        for (int i = 0; i < legacy.length; i++) {
            byte[] payload = withFooter(HexFormat.of().parseHex(legacy[i]));
            same(b("RESTORE"), b("old" + i), b("0"), payload);
            twin.same("TYPE", "old" + i);
            twin.same("OBJECT", "ENCODING", "old" + i);
            sameDump("old" + i);
        }
        SeedValues.sameDigest(twin);
    }

    @Test
    void dumpOfMissingKeyAndResp3() throws IOException {
        twin.same("DUMP", "nokey");
        try (Twin.Session s = twin.session()) {
            s.redis.call("HELLO", "3");
            s.cascade.call("HELLO", "3");
            s.same("DUMP", "nokey");
        }
    }
}
