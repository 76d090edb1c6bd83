package io.cascade.tests;

import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.cascade.tests.SeedValues.command;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys, values, fields and members far larger than a Chronicle segment tier (20 KB and 1 MB keys): every command
 * on them replies as redis-server does and leaves the same dataset (DEBUG DIGEST), which survives DEBUG RELOAD
 * and a restart from the RDB file; and an RDB file redis-server wrote with 16 KB and 100 KB keys loads at startup.
 */
@ExtendWith(Servers.class)
class LongKeysIT {
    private static ServerProcess redis;
    private static ServerProcess cascade;

    @BeforeAll
    static void start() throws Exception {
        redis = ServerProcess.redis();
        cascade = ServerProcess.cascade("--save", "", "--appendonly", "no", "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
        if (cascade != null) {
            cascade.close();
        }
    }

    private static Jedis connect(ServerProcess p) {
        return new Jedis("127.0.0.1", p.port(), 60_000);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A key of n bytes starting with tag, padded with a pattern (so keys of one length differ early). */
    static byte[] key(String tag, int n) {
        byte[] k = new byte[n];
        for (int i = 0; i < n; i++) {
            k[i] = (byte) ('a' + i % 23);
        }
        byte[] t = b(tag);
        System.arraycopy(t, 0, k, 0, t.length);
        return k;
    }

    static byte[] cat(byte[] a, String b) {
        byte[] t = b(b);
        byte[] r = Arrays.copyOf(a, a.length + t.length);
        System.arraycopy(t, 0, r, a.length, t.length);
        return r;
    }

    /** A reply as text; long bulk strings as their length and a hash, so failures print short messages. */
    static String text(Object r) {
        if (r instanceof byte[] x) {
            return x.length <= 64 ? "\"" + new String(x, StandardCharsets.ISO_8859_1) + "\""
                    : "bulk(" + x.length + " bytes, " + Integer.toHexString(Arrays.hashCode(x)) + ")";
        }
        if (r instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) {
                parts.add(text(o));
            }
            return parts.toString();
        }
        return String.valueOf(r);
    }

    static Object call(Jedis j, byte[]... args) {
        try {
            return j.sendCommand(command(new String(args[0], StandardCharsets.ISO_8859_1)),
                    Arrays.copyOfRange(args, 1, args.length));
        } catch (JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    /** Runs one command on both servers (on the given connections), asserts equal replies, returns the reply. */
    static String same(Jedis r, Jedis c, byte[]... args) {
        String expected = text(call(r, args));
        String actual = text(call(c, args));
        assertEquals(expected, actual, "reply to " + new String(args[0], StandardCharsets.ISO_8859_1));
        return expected;
    }

    static byte[][] cmd(Object... parts) {
        byte[][] out = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parts[i] instanceof byte[] x ? x : b(String.valueOf(parts[i]));
        }
        return out;
    }

    static String digest(Jedis j) {
        return text(call(j, cmd("DEBUG", "DIGEST")));
    }

    /** Every key SCAN returns, each as length:hash; asserts none comes twice (nothing changes meanwhile). */
    static Set<String> scanAll(Jedis j) {
        Set<String> keys = new TreeSet<>();
        byte[] cursor = b("0");
        do {
            List<?> reply = (List<?>) call(j, cmd("SCAN", cursor, "COUNT", "5"));
            cursor = (byte[]) reply.get(0);
            for (Object k : (List<?>) reply.get(1)) {
                assertTrue(keys.add(text(k)), "SCAN returned a key twice: " + text(k));
            }
        } while (!Arrays.equals(cursor, b("0")));
        return keys;
    }

    static Set<String> keysReply(Jedis j) {
        Set<String> keys = new TreeSet<>();
        for (Object k : (List<?>) call(j, cmd("KEYS", "*"))) {
            keys.add(text(k));
        }
        return keys;
    }

    /** The writes of the test, on keys of length n (tag makes each run's keys distinct). */
    static void writeEverything(Jedis r, Jedis c, int n) {
        byte[] s = key("str", n);
        byte[] big = new byte[20_000];
        Arrays.fill(big, (byte) 'v');
        same(r, c, cmd("SET", s, "hello"));
        same(r, c, cmd("GET", s));
        same(r, c, cmd("SETRANGE", s, 3, "p, world"));
        same(r, c, cmd("APPEND", s, "!"));
        same(r, c, cmd("GET", s));
        same(r, c, cmd("SET", key("bigval", n), big)); // a large value under a long key
        same(r, c, cmd("APPEND", key("bigval", n), "tail"));
        same(r, c, cmd("SETEX", key("setex", n), 1000, "x"));
        same(r, c, cmd("SET", key("float", n), "1.5"));
        same(r, c, cmd("INCRBYFLOAT", key("float", n), "2.25"));
        same(r, c, cmd("SET", key("int", n), "41"));
        same(r, c, cmd("INCR", key("int", n)));
        same(r, c, cmd("HSET", key("hash", n), "f", "1", "g", "2"));
        same(r, c, cmd("HSET", key("hash", n), key("field", n), "long field")); // a field as long as the key
        same(r, c, cmd("HGET", key("hash", n), key("field", n)));
        same(r, c, cmd("HSET", key("smallhash", n), "a", "1"));
        same(r, c, cmd("LPUSH", key("list", n), "a", "b", "c"));
        same(r, c, cmd("LPUSH", key("list", n), key("element", n)));
        same(r, c, cmd("RPOPLPUSH", key("list", n), key("list2", n)));
        same(r, c, cmd("RPOPLPUSH", key("list", n), key("list2", n)));
        same(r, c, cmd("SADD", key("set", n), "1", "2", "3"));
        same(r, c, cmd("SADD", key("mset", n), "x", key("member", n)));
        same(r, c, cmd("SISMEMBER", key("mset", n), key("member", n)));
        same(r, c, cmd("ZADD", key("zset", n), 1, "a", 2.5, key("zmember", n)));
        same(r, c, cmd("ZRANGE", key("zset", n), 0, -1, "WITHSCORES"));
        same(r, c, cmd("COPY", key("hash", n), key("hashcopy", n)));
        same(r, c, cmd("RENAME", key("smallhash", n), key("renamed", n)));
        same(r, c, cmd("MOVE", key("set", n), 3));
        same(r, c, cmd("BITFIELD", key("bits", n), "INCRBY", "u8", 0, 5, "GET", "u8", 0));
        same(r, c, cmd("BITFIELD", key("bits", n), "INCRBY", "u8", 0, 5));
        same(r, c, cmd("SET", key("gone", n), "x"));
        same(r, c, cmd("SET", key("gone2", n), "x"));
        same(r, c, cmd("DEL", key("gone", n)));
        same(r, c, cmd("UNLINK", key("gone2", n)));
        same(r, c, cmd("EXISTS", key("gone", n), key("gone2", n), s));
        same(r, c, cmd("EXPIRE", key("hashcopy", n), 5000));
        same(r, c, cmd("TTL", key("hashcopy", n)));
        same(r, c, cmd("TYPE", key("zset", n)));
        // (not "str": Redis keeps a string APPEND or SETRANGE built "raw", a history Cascade does not keep)
        same(r, c, cmd("SET", key("plain", n), "short text"));
        for (String t : List.of("plain", "hash", "smallhash", "list", "list2", "set", "mset", "zset", "bigval", "int")) {
            same(r, c, cmd("OBJECT", "ENCODING", key(t, n)));
        }
        // MULTI/EXEC holding writes on long keys
        same(r, c, cmd("MULTI"));
        same(r, c, cmd("SET", key("tx", n), "1"));
        same(r, c, cmd("HSET", key("txhash", n), "f", "v"));
        same(r, c, cmd("SADD", key("txset", n), "m"));
        same(r, c, cmd("ZADD", key("txzset", n), 3, "m"));
        same(r, c, cmd("BITFIELD", key("txbits", n), "INCRBY", "i16", 8, -3));
        same(r, c, cmd("EXEC"));
    }

    @Test
    void everyCommandOnLongKeysRepliesAsRedisAndKeepsTheSameDataset() throws Exception {
        try (Jedis r = connect(redis); Jedis c = connect(cascade)) {
            same(r, c, cmd("FLUSHALL"));
            for (int n : new int[] {20_000, 1_000_000}) {
                writeEverything(r, c, n);
            }
            same(r, c, cmd("SET", "short", "s"));
            assertEquals(digest(r), digest(c));
            same(r, c, cmd("DBSIZE"));
            Set<String> keys = scanAll(r);
            assertEquals(keys, scanAll(c), "SCAN returns every key once");
            assertEquals(keysReply(r), keysReply(c));
            assertEquals(keys, keysReply(c));
            for (int i = 0; i < 20; i++) {
                String k = text(call(c, cmd("RANDOMKEY")));
                assertTrue(keys.contains(k), "RANDOMKEY returned an existing key: " + k);
            }
            // DUMP/RESTORE across the two servers, both ways
            byte[] hk = key("hash", 1_000_000);
            byte[] fromRedis = (byte[]) call(r, cmd("DUMP", hk));
            byte[] fromCascade = (byte[]) call(c, cmd("DUMP", hk));
            same(r, c, cmd("RESTORE", cat(hk, ":restored"), 0, fromRedis));
            assertEquals("OK", text(call(r, cmd("RESTORE", cat(hk, ":restored2"), 0, fromCascade))).replace("\"", ""));
            assertEquals("OK", text(call(c, cmd("RESTORE", cat(hk, ":restored2"), 0, fromRedis))).replace("\"", ""));
            same(r, c, cmd("HGETALL", cat(hk, ":restored2")));
            // SWAPDB with the database MOVE wrote to, then back
            same(r, c, cmd("SWAPDB", 0, 3));
            same(r, c, cmd("DBSIZE"));
            same(r, c, cmd("SMEMBERS", key("set", 20_000)));
            same(r, c, cmd("SWAPDB", 0, 3));
            String digest = digest(r);
            assertEquals(digest, digest(c));

            // the dataset survives DEBUG RELOAD (SAVE then load) and a restart from its RDB file
            assertEquals("\"OK\"", text(call(c, cmd("DEBUG", "RELOAD"))));
            assertEquals(digest, digest(c), "after DEBUG RELOAD");
            assertEquals(scanAll(r), scanAll(c));
            same(r, c, cmd("TTL", key("hashcopy", 20_000)));
            assertEquals("\"OK\"", text(call(c, cmd("SAVE"))));
        }
        Path copy = Files.createTempDirectory("longkeys-rdb-");
        Files.copy(cascade.dir().resolve("dump.rdb"), copy.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        try (ServerProcess restarted = ServerProcess.cascade("--dir", copy.toString(), "--enable-debug-command", "yes");
                Jedis r = connect(redis); Jedis c = connect(restarted)) {
            assertEquals(digest(r), digest(c), "after a restart from the RDB file");
            same(r, c, cmd("DBSIZE"));
            same(r, c, cmd("GET", key("str", 1_000_000)));
            // and the restarted server keeps writing and deleting them
            same(r, c, cmd("HSET", key("hash", 1_000_000), "after", "restart"));
            same(r, c, cmd("DEL", key("zset", 20_000)));
            assertEquals(digest(r), digest(c));
            same(r, c, cmd("FLUSHDB"));
            same(r, c, cmd("DBSIZE"));
            same(r, c, cmd("GET", key("str", 1_000_000)));
        }
    }

    @Test
    void aBitfieldWriteOnA64KBKeyIsKeptAndReported() {
        try (Jedis r = connect(redis); Jedis c = connect(cascade)) {
            byte[] k = key("bitfield", 65_536);
            same(r, c, cmd("DEL", k));
            same(r, c, cmd("BITFIELD", k, "INCRBY", "u8", 0, 5));
            same(r, c, cmd("EXISTS", k));
            same(r, c, cmd("GET", k));
            same(r, c, cmd("DEL", k));
        }
    }

    static String info(Jedis j, String field) {
        for (String line : j.info("persistence").split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO persistence");
    }

    @Test
    void bgsaveWritesTheLongKeysAsTheyWereWhenItBegan() throws Exception {
        try (ServerProcess c = ServerProcess.cascade("--save", "", "--enable-debug-command", "yes"); Jedis j = connect(c)) {
            for (int i = 0; i < 40; i++) {
                call(j, cmd("SET", key("s" + i, 20_000), "value" + i));
                call(j, cmd("HSET", key("h" + i, 100_000), "f", i));
                call(j, cmd("SET", "short" + i, i));
            }
            String digest = digest(j);
            // 20 ms per key: the writes below come while most partitions are still to be saved
            j.configSet("rdb-key-save-delay", "20000");
            assertEquals("Background saving started", j.bgsave());
            for (int i = 0; i < 40; i++) {
                call(j, cmd("SETRANGE", key("s" + i, 20_000), 0, "changed")); // in place: the live string
                call(j, cmd("HSET", key("h" + i, 100_000), "f", "changed"));
                call(j, cmd("DEL", key("s" + (i + 1) % 40, 20_000)));
                call(j, cmd("SET", key("new" + i, 20_000), "x"));
            }
            assertEquals("1", info(j, "rdb_bgsave_in_progress"), "the writes came during the save");
            j.configSet("rdb-key-save-delay", "0");
            while (info(j, "rdb_bgsave_in_progress").equals("1")) {
                j.ping(); // waits on the condition: each INFO is a round trip to the server
            }
            assertEquals("ok", info(j, "rdb_last_bgsave_status"));
            Path copy = Files.createTempDirectory("longkeys-bgsave-");
            Files.copy(c.dir().resolve("dump.rdb"), copy.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
            try (ServerProcess loaded = ServerProcess.redis("--dir", copy.toString()); Jedis r = connect(loaded)) {
                assertEquals(digest, digest(r), "the file holds the dataset as it was when BGSAVE began");
                assertEquals(120L, call(r, cmd("DBSIZE")));
            }
        }
    }

    @Test
    void anRdbFileRedisWroteWith16KBAnd100KBKeysLoadsAtStartup() throws Exception {
        Path dir = Files.createTempDirectory("longkeys-redis-rdb-");
        String digest;
        long size;
        try (ServerProcess writer = ServerProcess.redis("--dir", dir.toString()); Jedis r = connect(writer)) {
            for (int n : new int[] {16_000, 16_384, 100_000}) {
                call(r, cmd("SET", key("s", n), "v"));
                byte[] v = new byte[16_000];
                Arrays.fill(v, (byte) 'x');
                call(r, cmd("SET", key("sv", n), v)); // key and value each near the old limit
                call(r, cmd("HSET", key("h", n), "a", "1", "b", "2"));
                call(r, cmd("RPUSH", key("l", n), "1", "2"));
                call(r, cmd("SADD", key("i", n), "1", "2"));
                call(r, cmd("SADD", key("m", n), "x", "y"));
                call(r, cmd("ZADD", key("z", n), 1, "x"));
                call(r, cmd("PEXPIRE", key("h", n), 3_600_000));
            }
            for (int i = 0; i < 100; i++) {
                call(r, cmd("SET", "short:" + i, i));
            }
            assertEquals("\"OK\"", text(call(r, cmd("SAVE"))));
            digest = digest(r);
            size = (Long) call(r, cmd("DBSIZE"));
        }
        Path copy = Files.createTempDirectory("longkeys-load-");
        Files.copy(dir.resolve("dump.rdb"), copy.resolve("dump.rdb"), StandardCopyOption.REPLACE_EXISTING);
        try (ServerProcess c = ServerProcess.cascade("--dir", copy.toString(), "--enable-debug-command", "yes");
                Jedis j = connect(c)) {
            assertEquals(size, call(j, cmd("DBSIZE")));
            assertEquals(digest, digest(j));
            assertEquals("\"v\"", text(call(j, cmd("GET", key("s", 100_000)))));
            assertTrue((Long) call(j, cmd("PTTL", key("h", 16_384))) > 3_000_000);
            assertEquals(16_000, ((byte[]) call(j, cmd("GET", key("sv", 16_000)))).length);
        }
    }
}
