package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Subscribers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyspace notifications on redis-server 7.0 and Cascade side by side: a subscriber on each listens to
 * {@code __key*__:*} while the same commands run on both, and after every command what each subscriber
 * received is compared byte for byte (RESP2 and RESP3), for every event class and a few partial flag sets.
 */
@ExtendWith(Servers.class)
class KeyspaceEventsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    /**
     * Commands of every family that raises events, each followed by what its subscriber received. Results
     * that are random in Redis (SPOP of a member among several) are avoided.
     */
    private static final List<String[]> COMMANDS = List.of(
            c("SET", "s", "1"), c("SET", "s", "2", "EX", "100"), c("SET", "s", "3", "NX"), c("SET", "nx", "1", "XX"),
            c("SET", "s", "4", "GET"), c("SETNX", "s", "5"), c("SETNX", "s2", "5"), c("SETEX", "se", "100", "v"),
            c("PSETEX", "pse", "100000", "v"), c("GETSET", "s", "6"), c("MSET", "a", "1", "b", "2"),
            c("MSETNX", "c", "1", "d", "2"), c("MSETNX", "c", "1", "e", "2"), c("INCR", "i"), c("DECR", "i"),
            c("INCRBY", "i", "5"), c("DECRBY", "i", "2"), c("INCRBYFLOAT", "f", "1.5"), c("APPEND", "s", "xyz"),
            c("APPEND", "ap", "new"), c("SETRANGE", "s", "1", "QQ"), c("SETRANGE", "sr", "3", "x"),
            c("SETRANGE", "s", "0", ""), c("GETDEL", "a"), c("GETDEL", "a"), c("GETEX", "b", "EX", "100"),
            c("GETEX", "b", "PERSIST"), c("GETEX", "b", "PERSIST"), c("GETEX", "b"), c("GETEX", "b", "PXAT", "1"),
            c("EXPIRE", "c", "100"), c("PEXPIRE", "c", "100000"), c("EXPIREAT", "c", "99999999999"),
            c("EXPIRE", "c", "100", "NX"), c("PERSIST", "c"), c("PERSIST", "c"), c("EXPIRE", "c", "0"),
            c("EXPIRE", "nokey", "10"), c("SETBIT", "bm", "7", "1"), c("SETBIT", "bm", "7", "1"),
            c("SETBIT", "bm", "100", "0"), c("BITOP", "OR", "bo", "bm", "bm"), c("BITOP", "AND", "bo", "nokey"),
            c("BITOP", "AND", "bo", "nokey"), c("BITFIELD", "bf", "SET", "u8", "0", "255"),
            c("BITFIELD", "bf", "GET", "u8", "0"), c("BITFIELD", "bf", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "10"),
            c("PFADD", "h", "a", "b", "c"), c("PFADD", "h", "a"), c("PFADD", "h0"), c("PFMERGE", "h2", "h"),
            c("PFCOUNT", "h"), c("SET", "n1", "v"), c("RENAME", "s", "s2"), c("RENAMENX", "s2", "s3"),
            c("RENAMENX", "s3", "n1"), c("RENAME", "s3", "n1"), c("RENAME", "n1", "n1"), c("MOVE", "n1", "1"),
            c("SET", "n1", "v"), c("MOVE", "n1", "1"), c("COPY", "n1", "n2"), c("COPY", "n1", "n2"),
            c("COPY", "n1", "n2", "REPLACE"), c("COPY", "n1", "n3", "DB", "2"), c("DEL", "n1", "n2", "nokey"),
            c("UNLINK", "b", "pse"), c("TOUCH", "se"), c("LPUSH", "l", "a", "b", "c"), c("RPUSH", "l", "d"),
            c("LPUSHX", "nl", "a"), c("RPUSHX", "l", "e"), c("LINSERT", "l", "BEFORE", "a", "X"),
            c("LINSERT", "l", "BEFORE", "zz", "X"), c("LSET", "l", "0", "Y"), c("LREM", "l", "1", "X"),
            c("LREM", "l", "1", "nothere"), c("LTRIM", "l", "0", "10"), c("LTRIM", "l", "0", "2"), c("LPOP", "l"),
            c("LPOP", "l", "0"), c("RPOP", "l", "5"), c("RPUSH", "l2", "a", "b", "c"),
            c("LMOVE", "l2", "l3", "LEFT", "RIGHT"), c("RPOPLPUSH", "l2", "l3"), c("LMOVE", "l3", "l3", "LEFT", "LEFT"),
            c("LMOVE", "l2", "l3", "RIGHT", "LEFT"), c("LMPOP", "2", "nokey", "l3", "RIGHT", "COUNT", "10"),
            c("RPUSH", "sl", "3", "1", "2"), c("SORT", "sl", "STORE", "sorted"), c("SORT", "nokey", "STORE", "sorted"),
            c("SORT", "nokey", "STORE", "sorted"), c("HSET", "hh", "a", "1", "b", "2"), c("HMSET", "hh", "a", "2"),
            c("HSETNX", "hh", "a", "1"), c("HSETNX", "hh", "c", "3"), c("HINCRBY", "hh", "a", "5"),
            c("HINCRBYFLOAT", "hh", "b", "1.5"), c("HDEL", "hh", "zz"), c("HDEL", "hh", "a", "b", "c"),
            c("SADD", "st", "a", "b", "c"), c("SADD", "st", "a"), c("SREM", "st", "a"), c("SREM", "st", "zz"),
            c("SMOVE", "st", "st2", "b"), c("SMOVE", "st", "st2", "zz"), c("SMOVE", "st", "st2", "c"),
            c("SADD", "s1", "1", "2", "3"), c("SADD", "s2", "2", "3", "4"), c("SINTERSTORE", "si", "s1", "s2"),
            c("SUNIONSTORE", "su", "s1", "s2"), c("SDIFFSTORE", "sd", "s1", "s2"), c("SINTERSTORE", "si", "s1", "nokey"),
            c("SDIFFSTORE", "sd", "nokey", "s1"), c("SINTERCARD", "2", "s1", "s2"), c("SADD", "one", "x"),
            c("SPOP", "one"), c("SPOP", "s2", "10"), c("SPOP", "s1", "0"), c("ZADD", "z", "1", "a", "2", "b", "3", "c"),
            c("ZADD", "z", "XX", "5", "a"), c("ZADD", "z", "NX", "5", "a"), c("ZADD", "z", "GT", "1", "a"),
            c("ZINCRBY", "z", "1", "b"), c("ZADD", "z", "INCR", "1", "b"), c("ZREM", "z", "a"), c("ZREM", "z", "zz"),
            c("ZADD", "z", "1", "a", "4", "d", "5", "e"), c("ZREMRANGEBYSCORE", "z", "0", "1"),
            c("ZREMRANGEBYRANK", "z", "0", "0"), c("ZREMRANGEBYLEX", "z", "-", "+"), c("ZADD", "z1", "1", "a", "2", "b"),
            c("ZADD", "z2", "2", "b", "3", "c"), c("ZUNIONSTORE", "zu", "2", "z1", "z2"),
            c("ZINTERSTORE", "zi", "2", "z1", "z2"), c("ZDIFFSTORE", "zd", "2", "z1", "z2"),
            c("ZDIFFSTORE", "zd", "2", "z1", "z1"), c("ZRANGESTORE", "zr", "z1", "0", "-1"),
            c("ZRANGESTORE", "zr", "z1", "5", "6"), c("ZPOPMIN", "z1"), c("ZPOPMAX", "z2", "5"), c("ZPOPMIN", "z1", "0"),
            c("ZMPOP", "1", "z1", "MIN"), c("XADD", "x", "1-0", "f", "v"), c("XADD", "x", "MAXLEN", "1", "2-0", "f", "v"),
            c("XADD", "x", "1-0", "f", "v"), c("XADD", "xn", "NOMKSTREAM", "1-0", "f", "v"),
            c("XTRIM", "x", "MAXLEN", "0"), c("XTRIM", "x", "MAXLEN", "0"), c("XADD", "x", "3-0", "f", "v"),
            c("XADD", "x", "4-0", "f", "v"), c("XDEL", "x", "3-0", "9-9"), c("XDEL", "x", "9-9"),
            c("XSETID", "x", "10-0"), c("XGROUP", "CREATE", "x", "g", "0"), c("XGROUP", "CREATE", "x", "g", "0"),
            c("XGROUP", "CREATE", "xm", "g", "$", "MKSTREAM"), c("XGROUP", "CREATECONSUMER", "x", "g", "c1"),
            c("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "x", ">"), c("XCLAIM", "x", "g", "c3", "0", "4-0"),
            c("XAUTOCLAIM", "x", "g", "c4", "0", "0"), c("XGROUP", "SETID", "x", "g", "0"),
            c("XGROUP", "DELCONSUMER", "x", "g", "c1"), c("XGROUP", "DESTROY", "x", "g"), c("COPY", "x", "x2"),
            c("RENAME", "x2", "x3"), c("DEL", "x3"), c("XREAD", "STREAMS", "nokey", "0"), c("XLEN", "nokey"),
            c("XRANGE", "nokey", "-", "+"), c("XINFO", "STREAM", "nokey"), c("SET", "lazy", "v", "PXAT", "1"), c("GET", "lazy"), c("GET", "nokey"),
            c("EXISTS", "nokey"), c("HGET", "nokey", "f"), c("MGET", "nokey", "s1", "m2"), c("TYPE", "nokey"),
            c("TTL", "nokey"), c("STRLEN", "nokey"), c("LRANGE", "nokey", "0", "-1"), c("SMEMBERS", "nokey"),
            c("SINTER", "nokey", "s1"), c("ZSCORE", "nokey", "a"), c("ZUNION", "2", "nokey", "z"),
            c("ZINTERCARD", "2", "nokey", "z"), c("HGETALL", "nokey"), c("BITCOUNT", "nokey"), c("PFCOUNT", "nokey"),
            c("SORT_RO", "nokey"), c("DUMP", "nokey"), c("OBJECT", "ENCODING", "nokey"), c("LCS", "nokey", "s1"),
            c("GETEX", "nokey"), c("GETDEL", "nokey"), c("SSCAN", "nokey", "0"), c("LMPOP", "1", "nokey", "LEFT"),
            c("SELECT", "3"), c("SET", "db3", "v"), c("DEL", "db3"),
            c("SELECT", "0"), c("FLUSHDB"));

    private static String[] c(String... words) {
        return words;
    }

    @AfterEach
    void reset() throws IOException {
        twin.same("CONFIG", "SET", "notify-keyspace-events", "");
        twin.same("DEBUG", "SET-ACTIVE-EXPIRE", "1");
    }

    /** Runs the command list with these classes enabled and compares what the subscribers got after each. */
    private static String compareEvents(String flags, int resp) throws IOException {
        StringBuilder all = new StringBuilder();
        twin.flushAll();
        // active expiry off: a key expires when touched, at the same point on both servers
        twin.same("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        twin.same("CONFIG", "SET", "notify-keyspace-events", flags);
        try (Twin.Session control = twin.session(); Subscribers subs = Subscribers.open(twin, resp)) {
            subs.same("PSUBSCRIBE", "__key*__:*");
            for (String[] command : COMMANDS) {
                control.same(command);
                all.append(subs.drain(control, String.join(" ", command) + " with notify-keyspace-events " + flags));
            }
            // RESTORE of each server's own DUMP payload (the same bytes for the same value)
            control.same("SET", "src", "value");
            subs.drain(control, "SET src");
            String redisDump = bulk(control.redis.callBinary("DUMP", "src"));
            String cascadeDump = bulk(control.cascade.callBinary("DUMP", "src"));
            assertEquals(redisDump, cascadeDump, "DUMP payload");
            for (String[] restore : List.of(c("RESTORE", "rs", "0", redisDump), c("RESTORE", "rs", "0", redisDump,
                    "REPLACE"), c("RESTORE", "rs", "100000", redisDump, "REPLACE"), c("RESTORE", "rs", "1", redisDump,
                    "REPLACE", "ABSTTL"))) {
                assertEquals(control.redis.callBinary(restore), control.cascade.callBinary(restore), "RESTORE reply");
                all.append(subs.drain(control, String.join(" ", restore).replace(redisDump, "<payload>")));
            }
        }
        return all.toString();
    }

    private static String bulk(String reply) {
        return reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void everyEventOfEveryClass(int resp) throws IOException {
        String got = compareEvents("KEA", resp);
        for (String event : List.of("__keyevent@0__:set", "__keyspace@0__:s", "__keyevent@0__:rename_from",
                "__keyevent@1__:move_to", "__keyevent@2__:copy_to", "__keyevent@0__:sortstore",
                "__keyevent@0__:zrangestore", "__keyevent@0__:restore", "__keyevent@0__:expired",
                "__keyevent@3__:del", "__keyevent@0__:pfadd", "__keyevent@0__:setbit", "__keyevent@0__:hincrbyfloat",
                "__keyevent@0__:sdiffstore", "__keyevent@0__:zpopmin", "__keyevent@0__:xadd",
                "__keyevent@0__:xtrim", "__keyevent@0__:xdel", "__keyevent@0__:xsetid",
                "__keyevent@0__:xgroup-create", "__keyevent@0__:xgroup-createconsumer",
                "__keyevent@0__:xgroup-setid", "__keyevent@0__:xgroup-delconsumer",
                "__keyevent@0__:xgroup-destroy")) {
            assertTrue(got.contains(event), event + " was published");
        }
    }

    @Test
    void resp3ClientListeningToItsOwnEvents() throws IOException {
        twin.flushAll();
        twin.same("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        twin.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (Subscribers self = Subscribers.open(twin, 3)) {
            self.same("PSUBSCRIBE", "__key*__:*");
            // the pushes come where Redis adds them, before, after or inside the command's own reply
            for (String[] command : COMMANDS) {
                self.sameWithPushes(command);
            }
        }
    }

    @Test
    void newAndKeymissEvents() throws IOException {
        String got = compareEvents("KEnm", 2) + compareEvents("AKEnm", 3);
        assertTrue(got.contains("__keyevent@0__:new") && got.contains("__keyevent@0__:keymiss"), got);
    }

    @Test
    void partialClassSets() throws IOException {
        for (String flags : List.of("Kg", "E$", "El", "Ks", "Eh", "Kz", "KEx", "K$lshz", "EA")) {
            compareEvents(flags, 2);
        }
    }

    @Test
    void eventsWithoutKeyspaceOrKeyeventChannelAreSilent() throws IOException {
        // classes without K or E publish nothing
        assertEquals("", compareEvents("A", 2));
    }

    @Test
    void configSetParsesAndGetFormatsTheClasses() throws IOException {
        for (String flags : List.of("KEA", "AKE", "gK", "$lshzxetd", "g$lshzxetdKE", "AnKEm", "nK", "Em", "", "xe",
                "KKEE", "dtK", "lA")) {
            twin.same("CONFIG", "SET", "notify-keyspace-events", flags);
            twin.same("CONFIG", "GET", "notify-keyspace-events");
        }
        twin.same("CONFIG", "SET", "notify-keyspace-events", "KEAq");
        twin.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
        twin.same("CONFIG", "GET", "notify-keyspace-events");
    }

    @Test
    void activeExpireCycleRaisesExpired() throws IOException, InterruptedException {
        twin.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (Twin.Session control = twin.session(); Subscribers subs = Subscribers.open(twin, 2)) {
            subs.same("PSUBSCRIBE", "__key*__:*");
            control.same("SET", "gone", "v", "PX", "1");
            // no command touches the key: it goes when the active cycle finds it (DBSIZE does not expire keys)
            await(() -> dbsize(control.redis) == 0 && dbsize(control.cascade) == 0, 10_000,
                    "the active expire cycle deleted the key on both");
            String got = subs.drain(control, "active expiry");
            assertTrue(got.contains("__keyevent@0__:expired"), got);
        }
    }

    private static long dbsize(RawConnection c) {
        try {
            String r = c.call("DBSIZE");
            return Long.parseLong(r.substring(1).trim());
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void transactionsAndServedBlockedClients() throws IOException, InterruptedException {
        twin.same("CONFIG", "SET", "notify-keyspace-events", "KEA");
        try (Twin.Session control = twin.session(); Twin.Session blocked = twin.session();
             Subscribers subs = Subscribers.open(twin, 3)) {
            subs.same("PSUBSCRIBE", "__key*__:*");
            control.same("MULTI");
            control.same("RPUSH", "q", "a", "b");
            control.same("LPOP", "q");
            control.same("INCR", "n");
            control.same("EXEC");
            subs.drain(control, "MULTI/EXEC");
            control.same("DEL", "q");
            subs.drain(control, "DEL q");
            for (String[] wait : List.of(c("BLPOP", "q", "0"), c("BLMOVE", "q", "dst", "LEFT", "RIGHT", "0"),
                    c("BLMPOP", "0", "1", "q", "LEFT", "COUNT", "5"), c("BRPOPLPUSH", "q", "dst", "0"))) {
                blocked.redis.send(RawConnection.encode(wait));
                blocked.cascade.send(RawConnection.encode(wait));
                await(() -> blockedClients(control.redis) == 1 && blockedClients(control.cascade) == 1, 10_000,
                        "the client is blocked on both");
                control.same("RPUSH", "q", "x");
                assertEquals(blocked.redis.readReply(), blocked.cascade.readReply(), String.join(" ", wait));
                subs.drain(control, "RPUSH serving " + String.join(" ", wait));
            }
            control.same("ZADD", "zq", "1", "m");
            control.same("DEL", "zq");
            blocked.redis.send(RawConnection.encode("BZPOPMIN", "zq", "0"));
            blocked.cascade.send(RawConnection.encode("BZPOPMIN", "zq", "0"));
            await(() -> blockedClients(control.redis) == 1 && blockedClients(control.cascade) == 1, 10_000,
                    "the client is blocked on both");
            control.same("ZADD", "zq", "1", "m");
            assertEquals(blocked.redis.readReply(), blocked.cascade.readReply(), "BZPOPMIN");
            subs.drain(control, "ZADD serving BZPOPMIN");
        }
    }

    private static long blockedClients(RawConnection c) {
        try {
            String info = c.call("INFO", "clients");
            return Long.parseLong(field(info.substring(info.indexOf("\r\n") + 2), "blocked_clients"));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
