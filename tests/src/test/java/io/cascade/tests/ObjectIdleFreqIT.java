package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cascade.tests.SeedValues.b;
import static io.cascade.tests.SeedValues.command;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-key access clock against redis-server: OBJECT IDLETIME and FREQ, DEBUG OBJECT's lru fields, which
 * commands touch a key and which do not, the LFU counter, RESTORE's IDLETIME and FREQ. Both servers read the
 * same wall clock; Redis's LRU clock lags it by up to 1/hz, so exact comparisons start early in a second
 * (alignToSecond) and comparisons after a wait allow one second. Integer values below 10000 are avoided:
 * Redis shares those objects, and with them their access field. Test thread.
 */
@ExtendWith(Servers.class)
class ObjectIdleFreqIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    @AfterEach
    void defaults() throws IOException {
        twin.same("CONFIG", "SET", "maxmemory-policy", "noeviction", "lfu-log-factor", "10", "lfu-decay-time", "1");
    }

    /** Waits until 150-400 ms into a second, so that the next few commands see one LRU clock tick on both. */
    private static void alignToSecond() throws InterruptedException {
        while (true) {
            long ms = System.currentTimeMillis() % 1000;
            if (ms >= 150 && ms < 400) {
                return;
            }
            Thread.sleep(ms < 150 ? 150 - ms : 1150 - ms);
        }
    }

    private static long integer(String reply) {
        assertTrue(reply.startsWith(":"), "an integer reply: " + reply);
        return Long.parseLong(reply.substring(1).trim());
    }

    /** The integer replies of both servers to one command: {redis, cascade}. */
    private static long[] both(String... cmd) throws IOException {
        try (Twin.Session s = twin.session()) {
            return new long[] {integer(s.redis.call(cmd)), integer(s.cascade.call(cmd))};
        }
    }

    /** Both at least min, and within one second of each other (the wait spans a clock tick). */
    private static void closeIdle(long min, long[] idle, String what) {
        assertTrue(idle[0] >= min && idle[1] >= min, what + " idle at least " + min + ": " + idle[0] + " / " + idle[1]);
        assertTrue(Math.abs(idle[0] - idle[1]) <= 1, what + " idle within 1 s: " + idle[0] + " / " + idle[1]);
    }

    private static final Pattern LRU = Pattern.compile(" lru:(\\d+) lru_seconds_idle:(\\d+)");

    /** DEBUG OBJECT's lru and lru_seconds_idle on both: {{redis lru, idle}, {cascade lru, idle}}. */
    private static long[][] debugLru(String key) throws IOException {
        long[][] out = new long[2][];
        try (Twin.Session s = twin.session()) {
            String[] replies = {s.redis.call("DEBUG", "OBJECT", key), s.cascade.call("DEBUG", "OBJECT", key)};
            for (int i = 0; i < 2; i++) {
                Matcher m = LRU.matcher(replies[i]);
                assertTrue(m.find(), replies[i]);
                out[i] = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        return out;
    }

    @Test
    void freshKeysAndErrors() throws Exception {
        alignToSecond();
        twin.same("SET", "foo", "bar");
        assertEquals(":0\r\n", twin.same("OBJECT", "IDLETIME", "foo"));
        twin.same("OBJECT", "IDLETIME", "nokey");
        twin.same("OBJECT", "FREQ", "foo"); // not LFU: Redis's error
        twin.same("OBJECT", "FREQ", "nokey"); // the lookup comes first: nil
        twin.same("OBJECT", "IDLETIME");
        twin.same("OBJECT", "IDLETIME", "foo", "bar");
        twin.same("OBJECT", "FREQ", "foo", "bar");
        long[][] lru = debugLru("foo");
        assertEquals(0, lru[0][1]);
        assertEquals(lru[0][0], lru[1][0], "DEBUG OBJECT lru: the same clock");
        assertEquals(lru[0][1], lru[1][1]);
        twin.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        twin.same("OBJECT", "IDLETIME", "foo");
        twin.same("OBJECT", "FREQ", "foo");
        twin.same("CONFIG", "SET", "maxmemory-policy", "volatile-lfu");
        twin.same("OBJECT", "IDLETIME", "foo"); // LFU: Redis's error
        twin.same("OBJECT", "IDLETIME", "nokey");
        // a key created under LRU read as an LFU field: the clock's bits taken for minutes and counter, as Redis
        twin.same("OBJECT", "FREQ", "foo");
        try (Twin.Session s = twin.session()) {
            s.redis.call("HELLO", "3"); // the HELLO replies differ (server name, version, id)
            s.cascade.call("HELLO", "3");
            s.same("OBJECT", "FREQ", "nokey");
            s.same("OBJECT", "FREQ", "foo");
            s.same("OBJECT", "IDLETIME", "foo");
        }
    }

    @Test
    void idleTimeGrowsAndOnlyLookupsResetIt() throws Exception {
        twin.same("SET", "foo", "bar");
        twin.same("RPUSH", "list", "a", "b");
        twin.same("HSET", "hash", "f", "v");
        twin.same("SET", "big", "x".repeat(20_000)); // kept on the heap by Cascade
        for (String k : new String[] {"touched", "got", "set", "appended", "renamed", "copied", "pushed"}) {
            twin.same("SET", k, "value-" + k);
        }
        twin.same("EXPIRE", "foo", "1000");
        Thread.sleep(2_600);
        // none of these alters the last access time in Redis
        twin.same("TTL", "foo");
        both("PTTL", "foo");
        twin.same("TYPE", "foo");
        twin.same("EXISTS", "foo", "list");
        twin.same("OBJECT", "ENCODING", "foo");
        twin.same("OBJECT", "REFCOUNT", "list");
        twin.same("SCAN", "0", "COUNT", "1000", "TYPE", "list");
        twin.same("TYPE", "big");
        twin.same("DBSIZE");
        both("MEMORY", "USAGE", "hash");
        closeIdle(2, both("OBJECT", "IDLETIME", "foo"), "foo");
        closeIdle(2, both("OBJECT", "IDLETIME", "list"), "list");
        closeIdle(2, both("OBJECT", "IDLETIME", "hash"), "hash");
        closeIdle(2, both("OBJECT", "IDLETIME", "big"), "big");
        long[][] lru = debugLru("list");
        assertTrue(lru[0][1] >= 2 && Math.abs(lru[0][1] - lru[1][1]) <= 1, "lru_seconds_idle " + lru[0][1] + " / " + lru[1][1]);
        assertTrue(Math.abs(lru[0][0] - lru[1][0]) <= 1, "lru " + lru[0][0] + " / " + lru[1][0]);

        alignToSecond();
        twin.same("TOUCH", "touched", "nokey");
        twin.same("GET", "got");
        twin.same("GETRANGE", "big", "0", "3");
        twin.same("SET", "set", "new");
        twin.same("APPEND", "appended", "more");
        twin.same("RENAME", "renamed", "renamed2");
        twin.same("COPY", "copied", "copy");
        twin.same("LPUSH", "list", "c");
        twin.same("HGET", "hash", "f");
        for (String k : new String[] {"touched", "got", "big", "set", "appended", "renamed2", "copied", "copy", "list", "hash"}) {
            assertEquals(":0\r\n", twin.same("OBJECT", "IDLETIME", k), k);
        }
        closeIdle(2, both("OBJECT", "IDLETIME", "pushed"), "untouched key");
    }

    @Test
    void lfuCounter() throws Exception {
        // lfu-log-factor 0 makes every access increment; lfu-decay-time 0 stops the per-minute decay
        twin.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0", "lfu-decay-time", "0");
        try (Twin.Session s = twin.session()) {
            s.same("SET", "k", "v");
            assertEquals(":5\r\n", s.same("OBJECT", "FREQ", "k"), "LFU_INIT_VAL");
            for (int i = 0; i < 300; i++) {
                s.same("GET", "k");
            }
            assertEquals(":255\r\n", s.same("OBJECT", "FREQ", "k"));
            s.same("SET", "j", "v");
            for (int i = 0; i < 10; i++) {
                s.same("GET", "j");
            }
            s.same("TYPE", "j");
            s.same("EXISTS", "j");
            s.same("TTL", "j");
            s.same("OBJECT", "ENCODING", "j");
            assertEquals(":15\r\n", s.same("OBJECT", "FREQ", "j"), "TYPE, EXISTS, TTL and OBJECT do not count");
            s.same("SET", "j", "w"); // the overwrite keeps the counter, after its own lookup
            s.same("OBJECT", "FREQ", "j");
            s.same("RENAME", "j", "j2");
            s.same("OBJECT", "FREQ", "j2");
            s.same("MOVE", "j2", "1");
            s.same("SELECT", "1");
            s.same("OBJECT", "FREQ", "j2");
            s.same("SELECT", "0");
            s.same("COPY", "k", "k2");
            s.same("OBJECT", "FREQ", "k2");
            s.same("OBJECT", "FREQ", "k");
            s.same("SET", "k3", "x");
            s.same("GET", "k3");
            s.same("COPY", "k", "k3", "REPLACE");
            s.same("OBJECT", "FREQ", "k3");
            s.same("HSET", "h", "f", "v");
            s.same("HGET", "h", "f");
            s.same("HSET", "h", "g", "w");
            s.same("OBJECT", "FREQ", "h");
            s.same("RPUSH", "l", "a", "b");
            s.same("LRANGE", "l", "0", "-1");
            s.same("LPOP", "l");
            s.same("OBJECT", "FREQ", "l");
            s.same("OBJECT", "IDLETIME", "l");
            s.same("DEL", "k2");
            s.same("SET", "k2", "again");
            assertEquals(":5\r\n", s.same("OBJECT", "FREQ", "k2"), "a new key starts again");
        }
        alignToSecond();
        long[][] lru = debugLru("k");
        assertEquals(lru[0][0], lru[1][0], "DEBUG OBJECT lru under LFU: minutes << 8 | counter");
        assertEquals(lru[0][1], lru[1][1], "lru_seconds_idle, computed from those bits as Redis does");
        // the default factor: a probabilistic counter, in a range neither server leaves in practice
        twin.same("CONFIG", "SET", "lfu-log-factor", "10");
        try (Twin.Session s = twin.session()) {
            s.same("SET", "m", "v");
            for (int i = 0; i < 100; i++) {
                s.same("GET", "m");
            }
        }
        long[] freq = both("OBJECT", "FREQ", "m");
        for (long f : freq) {
            assertTrue(f >= 6 && f <= 13, "100 hits with lfu-log-factor 10: about 10, got " + f);
        }
    }

    /** RESTORE key 0 payload [options...] on one server, its reply as text. */
    private static Object restore(Jedis j, byte[] payload, String key, String... options) {
        byte[][] args = new byte[3 + options.length][];
        args[0] = b(key);
        args[1] = b("0");
        args[2] = payload;
        for (int i = 0; i < options.length; i++) {
            args[3 + i] = b(options[i]);
        }
        Object r = j.sendCommand(command("RESTORE"), args);
        return r instanceof byte[] x ? new String(x) : r;
    }

    private static void restoreBoth(byte[] payload, String key, String... options) {
        try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
            assertEquals(restore(r, payload, key, options), restore(c, payload, key, options), "RESTORE " + key);
        }
    }

    @Test
    void restoreSetsIdleTimeOrFrequency() throws Exception {
        twin.same("SET", "foo", "bar");
        byte[] payload;
        try (Jedis r = twin.redis.jedis(); Jedis c = twin.cascade.jedis()) {
            payload = r.dump("foo");
            assertArrayEquals(payload, c.dump("foo"));
        }
        alignToSecond();
        restoreBoth(payload, "idle", "IDLETIME", "1000");
        assertEquals(":1000\r\n", twin.same("OBJECT", "IDLETIME", "idle"));
        long[][] lru = debugLru("idle");
        assertEquals(1000, lru[0][1]);
        assertEquals(lru[0][0], lru[1][0]);
        assertEquals(lru[0][1], lru[1][1]);
        restoreBoth(payload, "freq", "FREQ", "100"); // no effect under LRU
        assertEquals(":0\r\n", twin.same("OBJECT", "IDLETIME", "freq"));
        restoreBoth(payload, "longago", "IDLETIME", "100000000"); // more than the 24-bit clock holds: wraps as Redis
        twin.same("OBJECT", "IDLETIME", "longago");
        restoreBoth(payload, "idle", "REPLACE", "IDLETIME", "5");
        twin.same("OBJECT", "IDLETIME", "idle");
        twin.same("GET", "idle");
        assertEquals(":0\r\n", twin.same("OBJECT", "IDLETIME", "idle"));

        twin.same("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        restoreBoth(payload, "lfu", "FREQ", "100");
        assertEquals(":100\r\n", twin.same("OBJECT", "FREQ", "lfu"));
        restoreBoth(payload, "lfu2", "IDLETIME", "1000"); // no effect under LFU
        assertEquals(":5\r\n", twin.same("OBJECT", "FREQ", "lfu2"));
        restoreBoth(payload, "lfu", "REPLACE", "FREQ", "0");
        assertEquals(":0\r\n", twin.same("OBJECT", "FREQ", "lfu"));
        restoreBoth(payload, "lfu3", "FREQ", "255");
        assertEquals(":255\r\n", twin.same("OBJECT", "FREQ", "lfu3"));
    }
}
