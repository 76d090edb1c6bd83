package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static io.cascade.tests.SeedValues.put;
import static io.cascade.tests.SeedValues.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generic key commands on redis-server and Cascade side by side: every reply compared, errors included.
 * Values are put on both with RESTORE of payloads redis-server DUMPed (SeedValues), so only key commands run
 * on Cascade here.
 */
@ExtendWith(Servers.class)
class KeysIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    /** The reply as a sorted list of its elements (KEYS and SCAN answer in hash-table order). */
    @SuppressWarnings("unchecked")
    private static List<String> sorted(String raw) {
        List<String> l = new ArrayList<>((List<String>) RespText.parse(raw));
        l.sort(null);
        return l;
    }

    private static void seedMixed() {
        string(twin, "str", "hello");
        string(twin, "num", "12345");
        put(twin, "list", "RPUSH", "$", "c", "a", "b");
        put(twin, "hash", "HSET", "$", "f", "v");
        put(twin, "set", "SADD", "$", "1", "2");
        put(twin, "bigset", "SADD", "$", "x", "y");
    }

    @Test
    void delExistsTypeTouchUnlink() throws IOException {
        seedMixed();
        for (String k : new String[] {"str", "num", "list", "hash", "set", "nokey"}) {
            twin.same("TYPE", k);
        }
        twin.same("EXISTS", "str", "str", "nokey", "list");
        twin.same("TOUCH", "str", "nokey", "hash");
        twin.same("DEL", "str", "nokey", "str");
        twin.same("UNLINK", "list", "hash", "hash");
        twin.same("EXISTS", "str", "list", "hash", "set");
        twin.same("DEL");
        twin.same("EXISTS");
        twin.same("TYPE");
        twin.same("TYPE", "a", "b");
        twin.same("TOUCH");
        SeedValues.sameDigest(twin);
    }

    @Test
    void keysAndRandomkey() throws IOException {
        twin.same("RANDOMKEY");
        twin.same("KEYS", "*");
        seedMixed();
        for (String p : new String[] {"*", "s*", "*t", "?um", "[a-l]*", "h[^x]sh", "nomatch*", "\\*"}) {
            assertEquals(sorted(rawKeys(p, true)), sorted(rawKeys(p, false)), "KEYS " + p);
        }
        twin.same("KEYS");
        twin.same("DEL", "num", "list", "hash", "set", "bigset");
        twin.same("RANDOMKEY");
        twin.same("RANDOMKEY", "extra");
    }

    private static String rawKeys(String pattern, boolean redis) throws IOException {
        try (var conn = new RawConnection(redis ? twin.redis.port() : twin.cascade.port())) {
            return conn.call("KEYS", pattern);
        }
    }

    @Test
    void renameAndRenamenx() throws IOException {
        string(twin, "a", "1");
        string(twin, "b", "2");
        twin.same("EXPIRE", "a", "1000");
        twin.same("RENAME", "a", "c");
        twin.same("TTL", "c");
        twin.same("EXISTS", "a");
        twin.same("RENAME", "nokey", "x");
        twin.same("RENAMENX", "nokey", "x");
        twin.same("RENAME", "c", "c");
        twin.same("RENAMENX", "c", "c");
        twin.same("RENAME", "c", "b");
        twin.same("TTL", "b");
        twin.same("RENAMENX", "b", "b2");
        string(twin, "z", "3");
        twin.same("RENAMENX", "b2", "z");
        twin.same("RENAME", "b2");
        twin.same("RENAME", "b2", "x", "y");
        SeedValues.sameDigest(twin);
    }

    @Test
    void moveBetweenDatabases() throws IOException {
        string(twin, "k", "v");
        put(twin, 1, "taken", "SET", "$", "x");
        string(twin, "taken", "y");
        try (Twin.Session s = twin.session()) {
            s.same("EXPIRE", "k", "500");
            s.same("MOVE", "k", "0");
            s.same("MOVE", "k", "16");
            s.same("MOVE", "k", "-1");
            s.same("MOVE", "k", "abc");
            s.same("MOVE", "k", "99999999999");
            s.same("MOVE", "nokey", "1");
            s.same("MOVE", "taken", "1");
            s.same("MOVE", "k", "1");
            s.same("EXISTS", "k");
            s.same("SELECT", "1");
            s.same("TTL", "k");
            s.same("DUMP", "taken");
        }
        SeedValues.sameDigest(twin);
    }

    @Test
    void copyWithDbAndReplace() throws IOException {
        put(twin, "list", "RPUSH", "$", "a", "b", "c");
        put(twin, "set", "SADD", "$", "1", "2", "3");
        put(twin, "hset", "SADD", "$", "m1", "m2");
        put(twin, "hash", "HSET", "$", "f1", "v1", "f2", "v2");
        string(twin, "str", "value");
        try (Twin.Session s = twin.session()) {
            s.same("EXPIRE", "list", "300");
            s.same("COPY", "list", "list2");
            s.same("TTL", "list2");
            s.same("COPY", "list", "list2");
            s.same("COPY", "str", "list2", "REPLACE");
            s.same("TYPE", "list2");
            s.same("COPY", "list", "list");
            s.same("COPY", "list", "list", "DB", "0");
            s.same("COPY", "list", "list", "DB", "1");
            s.same("COPY", "set", "set", "DB", "2", "REPLACE");
            s.same("COPY", "hash", "h2");
            s.same("COPY", "hset", "hset2");
            s.same("OBJECT", "ENCODING", "hset2");
            s.same("OBJECT", "ENCODING", "h2");
            s.same("COPY", "nokey", "x");
            s.same("COPY", "list", "x", "DB");
            s.same("COPY", "list", "x", "DB", "16");
            s.same("COPY", "list", "x", "DB", "x");
            s.same("COPY", "list", "x", "BOGUS");
            s.same("COPY", "list");
            s.same("SELECT", "2");
            s.same("OBJECT", "ENCODING", "set");
            s.same("DUMP", "set");
        }
        SeedValues.sameDigest(twin);
    }

    @Test
    void swapdb() throws IOException {
        string(twin, "a", "in0");
        put(twin, 1, "b", "SET", "$", "in1");
        try (Twin.Session s = twin.session(); Twin.Session w = twin.session()) {
            s.same("SWAPDB", "0", "1");
            s.same("EXISTS", "a");
            s.same("EXISTS", "b");
            s.same("SWAPDB", "0", "0");
            s.same("SWAPDB", "0", "16");
            s.same("SWAPDB", "-1", "0");
            s.same("SWAPDB", "x", "0");
            s.same("SWAPDB", "0", "x");
            s.same("SWAPDB", "0", "4294967296");
            s.same("SWAPDB", "0");
            // a WATCHed key of either database is touched
            w.same("WATCH", "b");
            s.same("SWAPDB", "1", "0");
            w.same("MULTI");
            w.same("PING");
            w.same("EXEC");
        }
        SeedValues.sameDigest(twin);
    }

    @Test
    void scan() throws IOException {
        for (int i = 0; i < 40; i++) {
            string(twin, "key:" + i, "v");
        }
        put(twin, "list", "RPUSH", "$", "a");
        put(twin, "hash", "HSET", "$", "f", "v");
        twin.same("SCAN", "x");
        twin.same("SCAN", " 1");
        twin.same("SCAN", "1x");
        twin.same("SCAN", "-");
        twin.same("SCAN", "0", "COUNT", "0");
        twin.same("SCAN", "0", "COUNT", "x");
        twin.same("SCAN", "0", "MATCH");
        twin.same("SCAN", "0", "BOGUS", "1");
        twin.same("SCAN", "18446744073709551616");
        twin.same("SCAN");
        for (String[] opts : new String[][] {{}, {"MATCH", "key:1*"}, {"TYPE", "list"}, {"TYPE", "LIST"},
                {"TYPE", "nosuchtype"}, {"COUNT", "3", "MATCH", "*"}, {"MATCH", "key:*", "TYPE", "string", "COUNT", "100"}}) {
            assertEquals(scanAll(true, opts), scanAll(false, opts), "SCAN with " + String.join(" ", opts));
        }
    }

    /** Every key a full SCAN iteration returns, sorted and de-duplicated. */
    @SuppressWarnings("unchecked")
    private static List<String> scanAll(boolean redis, String... opts) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        try (var conn = new RawConnection(redis ? twin.redis.port() : twin.cascade.port())) {
            String cursor = "0";
            int calls = 0;
            do {
                List<String> cmd = new ArrayList<>(List.of("SCAN", cursor));
                cmd.addAll(List.of(opts));
                List<Object> r = (List<Object>) RespText.parse(conn.call(cmd.toArray(new String[0])));
                cursor = (String) r.get(0);
                keys.addAll((List<String>) r.get(1));
                assertTrue(++calls < 10_000, "SCAN does not end");
            } while (!cursor.equals("0"));
        }
        return new ArrayList<>(keys);
    }

    @Test
    void objectSubcommands() throws IOException {
        string(twin, "int", "12345");
        string(twin, "bigint", "-9223372036854775808");
        string(twin, "notint", "012");
        string(twin, "emb", "x".repeat(44));
        string(twin, "raw", "x".repeat(45));
        put(twin, "list", "RPUSH", "$", "a");
        put(twin, "lp", "HSET", "$", "f", "v");
        put(twin, "ht", "HSET", "$", "f", "v".repeat(65));
        put(twin, "is", "SADD", "$", "1");
        put(twin, "hs", "SADD", "$", "a");
        for (String k : new String[] {"int", "bigint", "notint", "emb", "raw", "list", "lp", "ht", "is", "hs", "nokey"}) {
            twin.same("OBJECT", "ENCODING", k);
            twin.same("OBJECT", "REFCOUNT", k);
        }
        string(twin, "shared", "10000");
        twin.same("OBJECT", "REFCOUNT", "shared");
        twin.same("OBJECT", "FREQ", "int");
        twin.same("OBJECT", "FREQ", "nokey");
        twin.same("OBJECT", "IDLETIME", "nokey");
        twin.same("OBJECT", "HELP");
        twin.same("OBJECT", "help");
        twin.same("OBJECT");
        twin.same("OBJECT", "ENCODING");
        twin.same("OBJECT", "ENCODING", "a", "b");
        twin.same("OBJECT", "NOSUCH", "a");
        twin.same("OBJECT", "HELP", "extra");
        try (Twin.Session s = twin.session()) {
            s.redis.call("HELLO", "3");
            s.cascade.call("HELLO", "3");
            s.same("OBJECT", "ENCODING", "nokey");
            s.same("OBJECT", "HELP");
            s.same("FLUSHALL");
            s.same("RANDOMKEY");
        }
    }

    @Test
    void wrongArity() throws IOException {
        for (String c : new String[] {"DEL", "UNLINK", "EXISTS", "TOUCH", "KEYS", "MOVE", "RENAME", "RENAMENX", "COPY",
                "SWAPDB", "EXPIRE", "PEXPIRE", "EXPIREAT", "PEXPIREAT", "PERSIST", "TTL", "PTTL", "EXPIRETIME",
                "PEXPIRETIME", "DUMP", "RESTORE", "SORT", "SORT_RO", "SCAN"}) {
            twin.same(c);
        }
        twin.same("RESTORE", "k", "0");
    }
}
