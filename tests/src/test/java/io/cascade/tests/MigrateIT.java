package io.cascade.tests;

import io.cascade.tests.support.FakeReplica;
import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Replication;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MIGRATE from Cascade and from redis-server, side by side: each source moves its keys to a target of its
 * own (a redis-server or a Cascade, the same kind for both), the same requests, and the replies, the
 * targets' datasets (DEBUG DIGEST, DUMP) and what is left on the sources are compared. Covers every type,
 * COPY, REPLACE, KEYS, AUTH/AUTH2, a missing key, a busy key on the target, a port where nothing listens, a
 * target too slow to answer, the DEL sent to the replicas, and the argument errors.
 */
@ExtendWith(Servers.class)
class MigrateIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    /** Targets of the redis-server source ([0]) and of the Cascade source ([1]), by kind. */
    private static ServerProcess[] redisTargets;
    private static ServerProcess[] cascadeTargets;

    /** The seed: one key of every type (deterministic, so both sources hold the same bytes). */
    private static final String[][] SEED = {
        {"SET", "s", "hello"}, {"SET", "n", "12345"}, {"SET", "t", "with-ttl", "EX", "1000"},
        {"RPUSH", "l", "a", "1", "b"}, {"HSET", "h", "f1", "v1", "f2", "2"}, {"SADD", "si", "1", "2", "3"},
        {"SADD", "ss", "a", "b", "c"}, {"ZADD", "z", "1", "a", "2.5", "b"}, {"PFADD", "hll", "a", "b", "c"},
        {"SETBIT", "bits", "100", "1"}, {"GEOADD", "geo", "13.361389", "38.115556", "Palermo"},
        {"XADD", "st", "1-1", "f", "v"}, {"XADD", "st", "2-1", "g", "w"}, {"XGROUP", "CREATE", "st", "grp", "0"},
    };
    private static final String[] KEYS = {"s", "n", "t", "l", "h", "si", "ss", "z", "hll", "bits", "geo", "st",
        "bigl", "bigh", "bigs", "bigz"};

    @BeforeAll
    static void startTargets() throws IOException {
        redisTargets = new ServerProcess[] {ServerProcess.redis(), ServerProcess.redis()};
        cascadeTargets = new ServerProcess[] {
            ServerProcess.cascade("--save", "", "--enable-debug-command", "yes"),
            ServerProcess.cascade("--save", "", "--enable-debug-command", "yes")};
    }

    @BeforeEach
    void flushTargets() throws IOException {
        for (ServerProcess p : new ServerProcess[] {redisTargets[0], redisTargets[1], cascadeTargets[0],
                cascadeTargets[1]}) {
            try (RawConnection c = new RawConnection(p.port())) {
                c.call("AUTH", "foobar"); // a test that failed may have left its password behind
                c.call("CONFIG", "SET", "requirepass", "");
                c.call("FLUSHALL");
            }
        }
    }

    private static ServerProcess[] targets(String kind) {
        return kind.equals("redis") ? redisTargets : cascadeTargets;
    }

    private static ServerProcess[] sources() {
        return new ServerProcess[] {twin.redis, twin.cascade};
    }

    /**
     * A session run on each source against its own target: "$PORT" in an argument is that target's port, and
     * a step starting with "@target" runs on the target. Returns each side's replies; asserts they are equal.
     */
    private static List<String> same(ServerProcess[] targets, String[]... steps) throws IOException {
        List<List<String>> sides = new ArrayList<>();
        ServerProcess[] sources = sources();
        for (int i = 0; i < 2; i++) {
            List<String> replies = new ArrayList<>();
            try (RawConnection src = new RawConnection(sources[i].port());
                 RawConnection dst = new RawConnection(targets[i].port())) {
                for (String[] step : steps) {
                    boolean onTarget = step[0].equals("@target");
                    String[] argv = new String[step.length - (onTarget ? 1 : 0)];
                    for (int j = 0; j < argv.length; j++) {
                        argv[j] = step[j + (onTarget ? 1 : 0)].replace("$PORT", String.valueOf(targets[i].port()));
                    }
                    String reply = (onTarget ? dst : src).call(argv);
                    replies.add(String.join(" ", step) + " -> " + reply);
                }
            }
            sides.add(replies);
        }
        assertEquals(String.join("\n", sides.get(0)), String.join("\n", sides.get(1)));
        return sides.get(0);
    }

    private static String[] c(String... argv) {
        return argv;
    }

    private static void seed() throws IOException {
        for (ServerProcess p : sources()) {
            try (RawConnection r = new RawConnection(p.port())) {
                for (String[] cmd : SEED) {
                    r.call(cmd);
                }
                // large values, in the encodings past the listpack limits
                for (int i = 0; i < 300; i++) {
                    String v = "value-" + i;
                    r.call("RPUSH", "bigl", v);
                    r.call("HSET", "bigh", "field-" + i, v);
                    r.call("SADD", "bigs", v);
                    r.call("ZADD", "bigz", Integer.toString(i), v);
                }
            }
        }
    }

    private static String call(ServerProcess p, String... argv) throws IOException {
        try (RawConnection r = new RawConnection(p.port())) {
            return r.call(argv);
        }
    }

    /** Every type in one MIGRATE ... KEYS: the targets end with what the sources had, the sources empty. */
    @ParameterizedTest
    @ValueSource(strings = {"redis", "cascade"})
    void everyTypeMovesWithKeys(String kind) throws IOException {
        seed();
        twin.sameDigest();
        String before = call(twin.redis, "DEBUG", "DIGEST");
        List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1", "$PORT", "", "0", "5000", "KEYS"));
        migrate.addAll(List.of(KEYS));
        same(targets(kind), migrate.toArray(new String[0]), c("DBSIZE"), c("@target", "DBSIZE"),
                c("@target", "DEBUG", "DIGEST"), c("@target", "TYPE", "st"), c("@target", "XINFO", "GROUPS", "st"));
        ServerProcess[] t = targets(kind);
        for (int i = 0; i < 2; i++) {
            assertEquals(before, call(t[i], "DEBUG", "DIGEST"), "target of " + sources()[i].kind());
            long ttl = Long.parseLong(call(t[i], "TTL", "t").substring(1).trim());
            assertTrue(ttl > 990 && ttl <= 1000, "TTL on the target: " + ttl);
        }
        assertEquals(":0\r\n", call(twin.cascade, "DBSIZE"));
    }

    /**
     * One key at a time with COPY to another db: the target's value of each is the source's (DEBUG
     * DIGEST-VALUE), and its DUMP the source's bytes where the encoding has an order of its own (a hashtable's
     * order depends on each server's hash seed).
     */
    @ParameterizedTest
    @ValueSource(strings = {"redis", "cascade"})
    void everyTypeCopiedOneByOne(String kind) throws IOException {
        seed();
        List<String[]> steps = new ArrayList<>();
        for (String key : KEYS) {
            steps.add(c("MIGRATE", "127.0.0.1", "$PORT", key, "3", "5000", "COPY"));
            steps.add(c("@target", "SELECT", "3"));
            steps.add(c("@target", "DEBUG", "DIGEST-VALUE", key));
            steps.add(c("DEBUG", "DIGEST-VALUE", key));
        }
        steps.add(c("DBSIZE"));
        List<String> replies = same(targets(kind), steps.toArray(new String[0][]));
        for (int i = 0; i < replies.size() - 1; i += 4) {
            assertEquals(result(replies.get(i + 3)), result(replies.get(i + 2)), replies.get(i));
        }
        ServerProcess[] t = targets(kind);
        for (int i = 0; i < 2; i++) {
            try (RawConnection src = new RawConnection(sources()[i].port());
                 RawConnection dst = new RawConnection(t[i].port())) {
                dst.call("SELECT", "3");
                for (String key : KEYS) {
                    if (!Set.of("ss", "bigs", "bigh").contains(key)) {
                        assertEquals(src.callBinary("DUMP", key), dst.callBinary("DUMP", key), key);
                    }
                }
            }
        }
        twin.sameDigest();
    }

    private static String result(String step) {
        return step.substring(step.indexOf(" -> "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "cascade"})
    void copyReplaceAndBusyKeys(String kind) throws IOException {
        same(targets(kind),
                c("RPUSH", "list", "a", "b", "c", "d"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY"),
                c("EXISTS", "list"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY"),
                c("RPUSH", "list", "e"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY", "REPLACE"),
                c("@target", "LRANGE", "list", "0", "-1"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000"),
                c("EXISTS", "list"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000"),
                // two busy keys among many, without REPLACE: only the acknowledged ones leave the source
                c("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"),
                c("@target", "MSET", "c", "_", "d", "_"),
                c("MIGRATE", "127.0.0.1", "$PORT", "", "0", "5000", "KEYS", "a", "b", "c", "d", "e", "f"),
                c("DBSIZE"), c("EXISTS", "c"), c("EXISTS", "d"), c("@target", "DBSIZE"),
                c("MIGRATE", "127.0.0.1", "$PORT", "", "0", "5000", "REPLACE", "KEYS", "c", "d"),
                c("DBSIZE"), c("@target", "MGET", "a", "b", "c", "d", "e", "f"),
                // missing keys: NOKEY, and with KEYS only the existing ones are moved
                c("MIGRATE", "127.0.0.1", "$PORT", "nokey", "0", "5000"),
                c("MIGRATE", "127.0.0.1", "$PORT", "", "0", "5000", "KEYS", "no1", "no2", "no1"),
                c("SET", "k1", "v1"), c("SET", "k2", "v2"),
                c("MIGRATE", "127.0.0.1", "$PORT", "", "5", "5000", "KEYS", "no1", "k1", "no2", "k2"),
                c("DBSIZE"), c("@target", "SELECT", "5"), c("@target", "MGET", "k1", "k2"),
                // a db the target does not have
                c("SET", "k3", "v3"),
                c("MIGRATE", "127.0.0.1", "$PORT", "k3", "100", "5000"),
                c("MIGRATE", "127.0.0.1", "$PORT", "k3", "0", "5000"),
                c("EXISTS", "k3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis", "cascade"})
    void authToAProtectedTarget(String kind) throws IOException {
        same(targets(kind),
                c("RPUSH", "list", "a", "b", "c", "d"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "AUTH", "foobar"),
                c("@target", "CONFIG", "SET", "requirepass", "foobar"),
                c("@target", "AUTH", "foobar"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY", "AUTH", "wrong"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "COPY", "AUTH", "foobar"),
                c("@target", "LRANGE", "list", "0", "-1"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "REPLACE", "AUTH2", "default", "foobar"),
                c("MIGRATE", "127.0.0.1", "$PORT", "list", "0", "5000", "REPLACE", "AUTH2", "default", "no"),
                c("EXISTS", "list"),
                c("@target", "CONFIG", "SET", "requirepass", ""));
    }

    /** Cached connections: a SELECT only when the db changes, a retry when the target closed the connection. */
    @ParameterizedTest
    @ValueSource(strings = {"redis", "cascade"})
    void cachedConnectionsSurviveTheTargetClosingThem(String kind) throws IOException {
        same(targets(kind),
                c("SET", "a", "1"), c("SET", "b", "2"), c("SET", "c", "3"),
                c("MIGRATE", "127.0.0.1", "$PORT", "a", "0", "5000"),
                c("@target", "CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"),
                c("MIGRATE", "127.0.0.1", "$PORT", "b", "1", "5000"),
                c("MIGRATE", "127.0.0.1", "$PORT", "c", "1", "5000"),
                c("@target", "DBSIZE"), c("@target", "SELECT", "1"), c("@target", "DBSIZE"));
        if (kind.equals("redis")) {
            // a Cascade target does not count its clients as redis-server does
            for (ServerProcess p : sources()) {
                assertTrue(call(p, "INFO", "stats").contains("migrate_cached_sockets:"));
            }
        }
    }

    @Test
    void unreachableTargetsAndArgumentErrors() throws IOException {
        int nobody = ServerProcess.freePort();
        String port = String.valueOf(nobody);
        twin.sameAll(
                c("SET", "k", "v"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "500"),
                c("MIGRATE", "127.0.0.1", "notaport", "k", "0", "500"),
                c("MIGRATE", "no.such.host.invalid", port, "k", "0", "500"),
                c("MIGRATE", "127.0.0.1", "-1", "k", "0", "500"),
                c("EXISTS", "k"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "500", "BOGUS"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "500", "AUTH"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "500", "AUTH2", "user"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "500", "KEYS", "a"),
                c("MIGRATE", "127.0.0.1", port, "k", "x", "500"),
                c("MIGRATE", "127.0.0.1", port, "k", "0", "x"),
                c("MIGRATE", "127.0.0.1", port, "k", "x", "y", "BOGUS"),
                c("MIGRATE", "127.0.0.1", port, "k", "0"),
                c("MIGRATE", "127.0.0.1", port, "", "0", "500", "KEYS"),
                c("MIGRATE", "127.0.0.1", port, "", "0", "500", "COPY", "KEYS", "missing"),
                c("MIGRATE", "127.0.0.1", port, "missing", "0", "500"),
                c("COMMAND", "GETKEYS", "MIGRATE", "h", "1", "k", "0", "1"),
                c("COMMAND", "GETKEYS", "MIGRATE", "h", "1", "", "0", "1", "AUTH2", "u", "p", "KEYS", "a", "b"),
                c("COMMAND", "GETKEYS", "MIGRATE", "h", "1", "", "0", "1", "AUTH", "KEYS", "KEYS", "a"),
                c("COMMAND", "GETKEYSANDFLAGS", "MIGRATE", "h", "1", "k", "0", "1", "COPY"),
                c("COMMAND", "INFO", "migrate"),
                c("DBSIZE"));
        twin.sameDigest();
    }

    /** A target that does not answer within the timeout: IOERR; Cascade answers reads meanwhile. */
    @Test
    void slowTargetTimesOut() throws Exception {
        ServerProcess[] targets = redisTargets;
        for (int i = 0; i < 2; i++) {
            ServerProcess source = sources()[i];
            call(source, "SET", "k", "v");
            try (RawConnection sleeper = new RawConnection(targets[i].port());
                 RawConnection migrating = new RawConnection(source.port())) {
                sleeper.send(RawConnection.encode("DEBUG", "SLEEP", "1.5"));
                Thread.sleep(100);
                long start = System.currentTimeMillis();
                migrating.send(RawConnection.encode("MIGRATE", "127.0.0.1", String.valueOf(targets[i].port()), "k",
                        "0", "400"));
                if (source == twin.cascade) {
                    Thread.sleep(50);
                    // the command thread is free: reads go on while the exchange waits for the target
                    assertEquals("$1\r\nv\r\n", call(source, "GET", "k"));
                    assertTrue(System.currentTimeMillis() - start < 350, "GET waited for the MIGRATE");
                }
                assertEquals("-IOERR error or timeout reading to target instance\r\n", migrating.readReply());
                long took = System.currentTimeMillis() - start;
                assertTrue(took >= 350 && took < 1400, source.kind() + " took " + took + " ms");
                assertEquals(":1\r\n", call(source, "EXISTS", "k"));
                sleeper.readReply();
            }
        }
    }

    /** Writes wait while a migration is in flight (the keys cannot change under it) and run after it. */
    @Test
    void writesWaitForTheMigration() throws Exception {
        ServerProcess target = redisTargets[1];
        call(twin.cascade, "SET", "k", "v");
        try (RawConnection sleeper = new RawConnection(target.port());
             RawConnection migrating = new RawConnection(twin.cascade.port());
             RawConnection writer = new RawConnection(twin.cascade.port())) {
            sleeper.send(RawConnection.encode("DEBUG", "SLEEP", "0.5"));
            Thread.sleep(100);
            migrating.send(RawConnection.encode("MIGRATE", "127.0.0.1", String.valueOf(target.port()), "k", "0",
                    "5000"));
            Thread.sleep(100);
            writer.send(RawConnection.encode("APPEND", "k", "-more"));
            assertEquals("+OK\r\n", migrating.readReply());
            // the APPEND ran after the key had left: it made a new key
            assertEquals(":5\r\n", writer.readReply());
            sleeper.readReply();
        }
        assertEquals("$5\r\n-more\r\n", call(twin.cascade, "GET", "k"));
        assertEquals("$1\r\nv\r\n", call(target, "GET", "k"));
    }

    /** Inside MULTI/EXEC and from a script MIGRATE runs to its end within the transaction or the script. */
    @Test
    void insideTransactionsAndScripts() throws IOException {
        same(redisTargets,
                c("SET", "a", "1"), c("SET", "b", "2"),
                c("MULTI"),
                c("MIGRATE", "127.0.0.1", "$PORT", "a", "0", "5000"),
                c("EXISTS", "a"),
                c("EXEC"),
                c("EVAL", "return redis.call('migrate', '127.0.0.1', ARGV[1], KEYS[1], '0', '5000')", "1", "b",
                        "$PORT"),
                c("EVAL", "return redis.call('migrate', '127.0.0.1', ARGV[1], KEYS[1], '0', '5000')", "1", "b",
                        "$PORT"),
                c("@target", "MGET", "a", "b"), c("DBSIZE"));
    }

    /** The replicas get the DEL of the keys moved (and nothing for COPY), as redis-server sends it. */
    @Test
    void replicasGetTheDelOfTheMovedKeys() throws Exception {
        List<List<String>> streams = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ServerProcess source = sources()[i];
            // the fake replica expects its full sync at once
            call(source, "CONFIG", "SET", "repl-diskless-sync-delay", "0");
            try (FakeReplica replica = new FakeReplica(source.port());
                 RawConnection r = new RawConnection(source.port());
                 RawConnection t = new RawConnection(redisTargets[i].port())) {
                String port = String.valueOf(redisTargets[i].port());
                // after a diskless sync redis-server starts the stream at the first ACK once the replica is
                // online; an ACK that comes before its fork is reaped is ignored, so one more follows
                replica.ack();
                Replication.await(() -> {
                    try {
                        return call(source, "INFO", "replication").contains(",state=online,");
                    } catch (IOException e) {
                        return false;
                    }
                }, 10_000, "the fake replica online");
                replica.ack();
                r.call("MSET", "a", "1", "b", "2", "c", "3");
                t.call("SET", "b", "busy");
                r.call("MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "a", "b", "c");
                r.call("SET", "d", "4");
                r.call("MIGRATE", "127.0.0.1", port, "d", "0", "5000", "COPY");
                r.call("SET", "end", "1");
                List<String> stream = new ArrayList<>();
                while (true) {
                    List<String> cmd;
                    try {
                        cmd = replica.next();
                    } catch (IOException e) {
                        throw new IOException(source.kind() + "'s stream stopped after " + stream, e);
                    }
                    if (cmd.get(0).equalsIgnoreCase("PING")) {
                        continue;
                    }
                    stream.add(String.join(" ", cmd));
                    if (cmd.get(0).equalsIgnoreCase("SET") && cmd.get(1).equals("end")) {
                        break;
                    }
                }
                streams.add(stream);
            }
        }
        assertEquals(streams.get(0), streams.get(1));
        assertTrue(streams.get(1).contains("DEL a c"), streams.get(1).toString());
    }

    /** A real redis-server replica of Cascade ends with Cascade's dataset after migrations. */
    @Test
    void aReplicaFollowsTheMigrations() throws Exception {
        try (ServerProcess replica = ServerProcess.redis()) {
            call(replica, "REPLICAOF", "127.0.0.1", String.valueOf(twin.cascade.port()));
            seed();
            String port = String.valueOf(redisTargets[1].port());
            call(twin.cascade, "MIGRATE", "127.0.0.1", port, "", "0", "5000", "KEYS", "s", "l", "bigz", "nokey");
            call(twin.cascade, "MIGRATE", "127.0.0.1", port, "h", "0", "5000", "COPY");
            Replication.awaitInSync(twin.cascade, replica);
            assertEquals(call(twin.cascade, "DEBUG", "DIGEST"), call(replica, "DEBUG", "DIGEST"));
            assertEquals(":0\r\n", call(replica, "EXISTS", "s", "l", "bigz"));
        }
    }

    /** AUTH's passwords are hidden from the slow log, as Redis's redactClientCommandArgument. */
    @Test
    void slowlogHidesThePasswords() throws IOException {
        same(redisTargets,
                c("CONFIG", "SET", "slowlog-log-slower-than", "0"),
                c("SLOWLOG", "RESET"),
                c("SET", "k", "v"),
                c("MIGRATE", "127.0.0.1", "$PORT", "k", "0", "5000", "COPY", "AUTH", "pw"),
                c("MIGRATE", "127.0.0.1", "$PORT", "k", "0", "5000", "COPY", "AUTH2", "user", "pw"),
                c("CONFIG", "SET", "slowlog-log-slower-than", "10000"));
        for (ServerProcess p : sources()) {
            String log = call(p, "SLOWLOG", "GET", "10");
            assertTrue(log.contains("AUTH\r\n$10\r\n(redacted)"), p.kind() + ": " + log);
            assertTrue(log.contains("AUTH2\r\n$10\r\n(redacted)\r\n$10\r\n(redacted)"), p.kind() + ": " + log);
            assertTrue(!log.contains("\r\npw\r\n") && !log.contains("\r\nuser\r\n"), p.kind() + ": " + log);
        }
    }

    /** The cached connection is counted in INFO and closed after 10 s unused, as Redis's. */
    @Test
    void cachedConnectionsAreReleased() throws Exception {
        call(twin.cascade, "SET", "k", "v");
        awaitCachedSockets(0); // those of the tests before
        call(twin.cascade, "MIGRATE", "127.0.0.1", String.valueOf(redisTargets[1].port()), "k", "0", "5000");
        assertTrue(call(twin.cascade, "INFO", "stats").contains("migrate_cached_sockets:1"));
        long start = System.currentTimeMillis();
        awaitCachedSockets(0);
        assertTrue(System.currentTimeMillis() - start > 9000, "closed before 10 s");
    }

    private static void awaitCachedSockets(int n) throws InterruptedException {
        Replication.await(() -> {
            try {
                return call(twin.cascade, "INFO", "stats").contains("migrate_cached_sockets:" + n + "\r\n");
            } catch (IOException e) {
                return false;
            }
        }, 20_000, "migrate_cached_sockets:" + n);
    }
}
