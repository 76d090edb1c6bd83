package io.cascade.tests;

import io.cascade.tests.support.FakeReplica;
import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a Cascade master sends its replicas, compared command by command with what a real redis-server 7.0.15
 * master sends for the same client commands (spec 6.1 to 6.4): the rewrites (relative TTLs made absolute,
 * GETSET as SET, SPOP as SREMs, blocking pops as their non-blocking forms, ...), SELECT placement, MULTI/EXEC
 * wrapping of execution units, the DELs of lazily expired keys, and the commands that are not propagated at
 * all because they changed nothing. Then a real redis-server replica of Cascade under the same kind of load
 * ends with the same dataset (DEBUG DIGEST).
 */
@ExtendWith(Servers.class)
class PropagationIT {
    /**
     * Every step ends with a transaction of these two writes, so the streams can be cut into the part each step
     * produced; it leaves no key behind (RANDOMKEY and SCAN steps must see only their own keys).
     */
    private static final String[] MARK = {"INCR", "stream:mark"};
    private static final String[] UNMARK = {"DEL", "stream:mark"};
    /** Absolute times computed by the two masters a few milliseconds apart may differ by this much. */
    private static final long TOLERANCE_MS = 10_000;
    private static final String[] MASTER_DIRECTIVES = {"--repl-diskless-sync", "yes", "--repl-diskless-sync-delay",
            "0"};

    /** One master with its client connections and the fake replica reading its stream. */
    private static final class Side implements AutoCloseable {
        final ServerProcess server;
        final RawConnection client;
        final RawConnection blocker;
        final FakeReplica stream;

        Side(ServerProcess server) throws IOException {
            this.server = server;
            this.client = new RawConnection(server.port());
            this.blocker = new RawConnection(server.port());
            this.stream = new FakeReplica(server.port());
            long deadline = System.currentTimeMillis() + 10_000;
            while (!client.callBinary("INFO", "replication").contains(",state=online,")) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IOException(server.kind() + " never showed the fake replica online");
                }
                sleepBriefly();
            }
            stream.ack();
        }

        /** The stream up to the next mark, without the keepalive pings and GETACKs. */
        List<List<String>> untilMark() throws IOException {
            List<List<String>> out = new ArrayList<>();
            while (true) {
                List<String> cmd = stream.next();
                String name = cmd.get(0).toLowerCase(Locale.ROOT);
                if (cmd.equals(List.of(MARK))) {
                    // the mark's own MULTI came just before it, its DEL and EXEC follow
                    assertEquals(List.of("MULTI"), out.remove(out.size() - 1), server.kind() + " mark");
                    assertEquals(List.of(UNMARK), stream.next(), server.kind() + " mark");
                    assertEquals(List.of("EXEC"), stream.next(), server.kind() + " mark");
                    stream.ack();
                    return out;
                }
                if (name.equals("ping") || (name.equals("replconf") && cmd.size() > 1
                        && cmd.get(1).equalsIgnoreCase("getack"))) {
                    continue;
                }
                out.add(cmd);
            }
        }

        void awaitBlocked(int n) throws Exception {
            long deadline = System.currentTimeMillis() + 10_000;
            while (!client.callBinary("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
                if (System.currentTimeMillis() > deadline) {
                    fail(server.kind() + ": never saw " + n + " blocked client(s)");
                }
                sleepBriefly();
            }
        }

        /** Polling interval of the condition waits. */
        static void sleepBriefly() {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            stream.close();
            blocker.close();
            client.close();
        }
    }

    private Side redis;
    private Side cascade;
    private String payload;

    @AfterEach
    void closeSides() throws IOException {
        if (redis != null) {
            redis.close();
        }
        if (cascade != null) {
            cascade.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- steps

    /** Runs the command on both masters, compares their replies and what each one propagated for it. */
    private void step(String... cmd) throws Exception {
        String r = redis.client.callBinary(cmd);
        String c = cascade.client.callBinary(cmd);
        assertEquals(r, c, "reply to " + String.join(" ", cmd));
        compareStreams(String.join(" ", cmd));
    }

    /** As step, for commands whose reply is random (SPOP with a count): the replies are not compared. */
    private void randomStep(String... cmd) throws Exception {
        redis.client.callBinary(cmd);
        cascade.client.callBinary(cmd);
        compareStreams(String.join(" ", cmd));
    }

    /** A transaction: MULTI, the commands, EXEC, as one step. */
    private void tx(String[]... cmds) throws Exception {
        StringBuilder what = new StringBuilder("MULTI");
        for (Side s : List.of(redis, cascade)) {
            s.client.callBinary("MULTI");
        }
        for (String[] cmd : cmds) {
            what.append("; ").append(String.join(" ", cmd));
            assertEquals(redis.client.callBinary(cmd), cascade.client.callBinary(cmd), "reply to queued " + Arrays.toString(cmd));
        }
        assertEquals(redis.client.callBinary("EXEC"), cascade.client.callBinary("EXEC"), "EXEC reply of " + what);
        compareStreams(what + "; EXEC");
    }

    /**
     * A client blocks on block (with no timeout), then the main client runs each of then; the blocked client is
     * served by one of them. Both replies and the stream must match.
     */
    private void servedLater(String[] block, String[]... then) throws Exception {
        for (Side s : List.of(redis, cascade)) {
            s.blocker.send(RawConnection.encode(block));
            s.awaitBlocked(1);
            for (String[] cmd : then) {
                s.client.callBinary(cmd);
            }
        }
        assertEquals(redis.blocker.readReply(), cascade.blocker.readReply(), "reply to " + String.join(" ", block));
        compareStreams(String.join(" ", block) + " served later");
    }

    private void compareStreams(String what) throws Exception {
        for (Side s : List.of(redis, cascade)) {
            s.client.callBinary("MULTI");
            s.client.callBinary(MARK);
            s.client.callBinary(UNMARK);
            s.client.callBinary("EXEC");
        }
        List<List<String>> expected = redis.untilMark();
        List<List<String>> actual = cascade.untilMark();
        String message = "propagated for: " + what + "\n  redis:   " + expected + "\n  cascade: " + actual;
        if (expected.size() != actual.size()) {
            fail(message);
        }
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(sameCommand(expected.get(i), actual.get(i)), message);
        }
    }

    /**
     * Exact equality, except absolute times in ms (SET ... PXAT t, PEXPIREAT k t, RESTORE k t ... ABSTTL), which
     * the two masters compute from their own clocks, the members of keys named rnd:*, which SPOP picks at
     * random (their count must still match), and which key named any:* a DEL names (SCAN and RANDOMKEY find
     * expired keys in their hash order).
     */
    private static boolean sameCommand(List<String> e, List<String> a) {
        if (e.size() != a.size()) {
            return false;
        }
        String name = e.get(0).toLowerCase(Locale.ROOT);
        int time = -1;
        if (name.equals("set")) {
            for (int i = 3; i < e.size() - 1; i++) {
                if (e.get(i).equalsIgnoreCase("pxat")) {
                    time = i + 1;
                }
            }
        } else if (name.equals("pexpireat")) {
            time = 2;
        } else if (name.equals("restore") && e.stream().anyMatch(x -> x.equalsIgnoreCase("absttl"))) {
            time = 2;
        } else if (name.equals("xclaim") && e.size() == 14 && e.get(6).equalsIgnoreCase("time")) {
            time = 7; // streamPropagateXCLAIM's delivery time
        }
        if (name.equals("xadd")) {
            return sameXadd(e, a);
        }
        if (name.equals("del") && e.size() == 2 && e.get(1).startsWith("any:")) {
            return a.get(0).equalsIgnoreCase("del") && a.get(1).startsWith("any:");
        }
        boolean random = e.size() > 1 && e.get(1).startsWith("rnd:");
        for (int i = 0; i < e.size(); i++) {
            if (i == time) {
                if (Math.abs(Long.parseLong(e.get(i)) - Long.parseLong(a.get(i))) > TOLERANCE_MS) {
                    return false;
                }
            } else if (!(random && i > 1) && !e.get(i).equals(a.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * XADD with the ID each master generated from its clock for "*": the milliseconds may differ within the
     * tolerance, everything else (the sequence, the trimming rewritten to "=") must be equal.
     */
    private static boolean sameXadd(List<String> e, List<String> a) {
        for (int i = 0; i < e.size(); i++) {
            String x = e.get(i);
            String y = a.get(i);
            if (x.equals(y)) {
                continue;
            }
            String[] xi = x.split("-");
            String[] yi = y.split("-");
            if (xi.length != 2 || yi.length != 2 || !xi[1].equals(yi[1]) || xi[0].length() < 13
                    || Math.abs(Long.parseLong(xi[0]) - Long.parseLong(yi[0])) > TOLERANCE_MS) {
                return false;
            }
        }
        return true;
    }

    /**
     * Until a time has passed on this machine's clock, which the servers share: reading the keys to find out
     * would expire them.
     */
    private static void awaitPast(long whenMs) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() <= whenMs + 1) {
            assertTrue(System.currentTimeMillis() < deadline);
            Side.sleepBriefly();
        }
    }

    private void both(String... cmd) throws Exception {
        redis.client.callBinary(cmd);
        cascade.client.callBinary(cmd);
    }

    private static String future(long seconds) {
        return Long.toString(System.currentTimeMillis() / 1000 + seconds);
    }

    private static String futureMs(long ms) {
        return Long.toString(System.currentTimeMillis() + ms);
    }

    // ---------------------------------------------------------------------------------------------- tests

    private void start() throws Exception {
        redis = new Side(ServerProcess.redis(MASTER_DIRECTIVES));
        List<String> args = new ArrayList<>(List.of("--save", "", "--appendonly", "no", "--enable-debug-command",
                "yes"));
        args.addAll(List.of(MASTER_DIRECTIVES));
        cascade = new Side(ServerProcess.cascade(args.toArray(new String[0])));
        // only lazy expiry: the active cycle would delete keys at moments the two masters do not share
        both("DEBUG", "SET-ACTIVE-EXPIRE", "0");
    }

    @Test
    void stringsPropagateAsRedisRewritesThem() throws Exception {
        start();
        step("SET", "s1", "v");
        step("set", "s2", "v", "EX", "100");
        step("SET", "s3", "v", "px", "100000", "NX");
        step("SET", "s3", "v2", "XX", "GET", "EXAT", future(100));
        step("SET", "s4", "v", "PXAT", futureMs(100_000));
        step("SET", "s3", "v3", "KEEPTTL");
        step("SET", "s1", "new", "GET");
        step("set", "s1", "n2", "get", "KEEPTTL", "GET");
        step("SET", "s1", "x", "NX", "GET");
        step("SET", "s1", "x", "NX");
        step("SET", "missing", "x", "XX");
        step("SET", "s9", "get", "GET");
        // Redis reads options as C strings: "GET\0junk" is GET, and it is dropped from the propagated SET too
        step("SET", "s11", "v", "GET\u0000junk", "NX");
        step("HSET", "hash", "f", "v");
        step("SET", "hash", "x", "GET");
        step("SET", "hash", "x", "GET", "EX", "10");
        step("SET", "missing", "x", "XX", "GET");
        step("SET", "s9", "y", "GET", "NX");
        step("SET", "s9", "y", "EX", "100", "GET", "NX");
        step("SET", "s9", "y", "EX", "100", "GET", "XX");
        step("SET", "s10", "v", "EXAT", "1");
        step("SETEX", "s10", "0", "v");
        step("EXPIRE", "s9", "10", "GT");
        step("EXPIRE", "s9", "10", "LT");
        step("SETNX", "s1", "y");
        step("setnx", "s5", "y");
        step("SETEX", "s6", "100", "v");
        step("psetex", "s7", "100000", "v");
        step("GETSET", "s1", "z");
        step("getset", "s6", "z");
        step("GETDEL", "s1");
        step("GETDEL", "s1");
        both("CONFIG", "SET", "lazyfree-lazy-user-del", "yes");
        step("getdel", "s5");
        both("CONFIG", "SET", "lazyfree-lazy-user-del", "no");
        step("GETEX", "s4");
        step("GETEX", "s4", "EX", "100");
        step("getex", "s4", "px", "100000");
        step("GETEX", "s4", "EXAT", future(200));
        step("GETEX", "s4", "PXAT", futureMs(200_000));
        step("GETEX", "s4", "PERSIST");
        step("GETEX", "s4", "PERSIST");
        step("GETEX", "s4", "EXAT", "1");
        step("GETEX", "missing", "EX", "10");
        step("SET", "s4", "v");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        step("GETEX", "s4", "PXAT", "1");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        step("INCRBYFLOAT", "f", "1.5");
        step("incrbyfloat", "f", "0.1");
        step("INCRBYFLOAT", "f", "1e2");
        step("EXPIRE", "f", "100");
        step("INCRBYFLOAT", "f", "-3");
        step("INCRBYFLOAT", "s3", "abc");
        step("SETRANGE", "s8", "5", "abc");
        step("SETRANGE", "s8", "0", "");
        step("SETRANGE", "missing", "0", "");
        step("APPEND", "s8", "x");
        step("APPEND", "s8", "");
        step("INCR", "n");
        step("DECRBY", "n", "5");
        step("MSET", "m1", "1", "m2", "2");
        step("MSETNX", "m1", "1", "m3", "3");
        step("MSETNX", "m4", "1", "m3", "3");
        step("SETBIT", "b1", "7", "1");
        step("SETBIT", "b1", "7", "1");
        step("SETBIT", "b2", "3", "1");
        step("BITOP", "OR", "b3", "b1", "b2");
        step("BITOP", "AND", "b4", "missing1", "missing2");
        step("BITOP", "AND", "b3", "missing1", "missing2");
        step("BITFIELD", "bf", "INCRBY", "u8", "0", "5");
        step("BITFIELD", "bf", "GET", "u8", "0");
        step("PFADD", "hll", "a", "b", "c");
        step("PFADD", "hll", "a");
        step("PFADD", "hll2", "x");
        step("PFCOUNT", "hll");
        step("PFCOUNT", "hll");
        step("PFCOUNT", "hll", "hll2");
        step("PFMERGE", "hll3", "hll", "hll2");
        step("PFADD", "hll4");
        step("PFADD", "hll4");
    }

    @Test
    void expiresPropagateAsAbsoluteTimesOrDeletes() throws Exception {
        start();
        for (int i = 0; i < 10; i++) {
            both("SET", "k" + i, "v");
        }
        step("EXPIRE", "k0", "100");
        step("pexpire", "k0", "100000", "xx");
        step("EXPIREAT", "k0", future(300), "GT");
        step("EXPIREAT", "k0", future(200), "GT");
        step("pexpireat", "k0", futureMs(100_000), "lt");
        step("PEXPIREAT", "k0", futureMs(500_000), "LT");
        step("EXPIRE", "k0", "100", "NX");
        step("EXPIRE", "k1", "100", "XX");
        step("EXPIRE", "k1", "100", "NX");
        step("EXPIRE", "missing", "10");
        step("EXPIRE", "k1", "-1");
        step("PEXPIRE", "k2", "0");
        step("EXPIREAT", "k3", "1");
        step("PEXPIREAT", "k4", "1");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        step("PEXPIREAT", "k5", "1");
        step("EXPIRE", "k6", "-10");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        step("PERSIST", "k0");
        step("PERSIST", "k0");
        step("PERSIST", "missing");
        step("EXPIRE", "k7", "abc");
        step("EXPIRE", "k7", "10", "NX", "XX");
    }

    @Test
    void expiredKeysAreDeletedWithinTheUnitThatFoundThem() throws Exception {
        start();
        // SET with a time already past stores the key (7.0): it is logically expired from then on
        step("SET", "e1", "v", "PXAT", "1");
        step("GET", "e1");
        step("SET", "e2", "v", "PXAT", "1");
        step("SET", "e2", "new");
        step("SET", "e3", "1", "PXAT", "1");
        step("INCR", "e3");
        step("SET", "e4", "v", "PXAT", "1");
        step("EXPIRE", "e4", "100");
        step("SET", "e5", "v", "PXAT", "1");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        step("EXISTS", "e5");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        step("SET", "e6", "v", "PXAT", "1");
        step("SET", "e7", "v", "PXAT", "1");
        tx(new String[] {"GET", "e6"}, new String[] {"SET", "t1", "1"}, new String[] {"GET", "e7"});
        step("SET", "e8", "v", "PXAT", "1");
        step("DEL", "e8");
        step("SET", "e9", "v", "PXAT", "1");
        step("SETNX", "e9", "w");
        step("RPUSH", "el", "a");
        step("PEXPIREAT", "el", "1");
        step("SADD", "es", "a");
        step("SET", "e12", "1.5", "PXAT", "1");
        step("INCRBYFLOAT", "e12", "1");
        step("SET", "e13", "abc", "PXAT", "1");
        step("SETRANGE", "e13", "1", "x");
        step("SET", "e14", "abc", "PXAT", "1");
        step("GETDEL", "e14");
        step("SET", "e15", "abc", "PXAT", "1");
        step("GETEX", "e15", "EX", "10");
        step("SET", "e16", "abc", "PXAT", "1");
        step("SET", "e16", "x", "NX", "GET");
        step("HSET", "e17", "f", "1");
        step("PEXPIREAT", "e17", "1");
        step("HSET", "e18", "f", "1");
        step("EXPIREAT", "e18", "1", "NX");
        // reads of every kind find expired keys and delete them; KEYS only skips them (keyIsExpired). The time
        // is far enough ahead that both masters still take the PEXPIREAT as a TTL to set, not as a delete
        long soon = System.currentTimeMillis() + 500;
        for (String[] write : List.of(new String[] {"SET", "x:s", "v"}, new String[] {"RPUSH", "x:l", "a"},
                new String[] {"SADD", "x:set", "a"}, new String[] {"HSET", "x:h", "f", "v"},
                new String[] {"ZADD", "x:z", "1", "a"}, new String[] {"PFADD", "x:hll", "a"})) {
            step(write);
            step("PEXPIREAT", write[1], Long.toString(soon));
        }
        awaitPast(soon);
        step("KEYS", "x:*");
        step("DBSIZE");
        step("TYPE", "x:s");
        step("LRANGE", "x:l", "0", "-1");
        step("MGET", "x:set", "x:h", "x:z");
        step("TTL", "x:hll");
        step("SET", "x:s", "v", "PXAT", "1");
        step("TOUCH", "x:s", "missing");
        step("SET", "x:s", "v", "PXAT", "1");
        step("STRLEN", "x:s");
        step("SET", "x:s", "v", "PXAT", "1");
        step("DUMP", "x:s");
        step("SET", "x:s", "v", "PXAT", "1");
        step("RENAME", "x:s", "x:t");
        step("SET", "x:s", "v", "PXAT", "1");
        step("COPY", "x:s", "x:t");
        step("SET", "x:s", "v", "PXAT", "1");
        step("OBJECT", "ENCODING", "x:s");
        step("DEL", "x:s");
        step("SELECT", "8");
        step("SET", "only", "v", "PXAT", "1");
        step("RANDOMKEY");
        step("SET", "only", "v", "PXAT", "1");
        step("SCAN", "0");
        // CMD_TOUCHES_ARBITRARY_KEYS: the DELs of the expired keys SCAN and RANDOMKEY find go unwrapped
        step("SELECT", "9");
        for (String cmd : new String[] {"SCAN", "RANDOMKEY"}) {
            for (int i = 0; i < 3; i++) {
                step("SET", "any:" + i, "v", "PXAT", "1");
            }
            step(cmd.equals("SCAN") ? new String[] {"SCAN", "0"} : new String[] {"RANDOMKEY"});
        }
        step("SELECT", "0");
        step("SET", "e10", "v", "PXAT", "1");
        step("SELECT", "4");
        step("SET", "e11", "v", "PXAT", "1");
        step("SELECT", "0");
        step("MOVE", "e10", "4");
        step("SELECT", "4");
        step("GET", "e11");
        step("SELECT", "0");
    }

    @Test
    void collectionsPropagateAsRedisRewritesThem() throws Exception {
        start();
        step("HSET", "h", "f", "1", "g", "2");
        step("HSET", "h", "f", "1");
        step("HINCRBYFLOAT", "h", "f", "2.5");
        step("hincrbyfloat", "h", "new", "1e3");
        step("HINCRBY", "h", "g", "3");
        step("HSETNX", "h", "f", "x");
        step("HSETNX", "h", "z", "x");
        step("HDEL", "h", "missing");
        step("HDEL", "h", "f", "missing");
        step("HDEL", "missing", "f");

        step("SADD", "s", "a", "b");
        step("SADD", "s", "a");
        step("SREM", "s", "missing");
        step("SREM", "s", "b");
        step("SPOP", "s");
        step("SPOP", "s");
        step("SADD", "s", "1", "2", "3");
        step("SPOP", "s", "3");
        step("SADD", "s", "1", "2", "3");
        step("spop", "s", "10");
        step("SPOP", "s", "0");
        step("SPOP", "missing", "2");
        step("SADD", "s", "x");
        step("SPOP", "s", "0");
        for (String set : List.of("rnd:small", "rnd:ints")) {
            List<String> add = new ArrayList<>(List.of("SADD", set));
            for (int i = 0; i < 10; i++) {
                add.add(set.equals("rnd:ints") ? Integer.toString(i) : "m" + i);
            }
            step(add.toArray(new String[0]));
            randomStep("SPOP", set, "2");    // a few members popped one by one
            randomStep("SPOP", set, "7");    // most of the set: Redis rebuilds the rest
            randomStep("SPOP", set);
            step("DEL", set);
        }
        step("SRANDMEMBER", "s");
        step("SRANDMEMBER", "s", "-5");
        step("SADD", "s2", "a", "b");
        step("SMOVE", "s2", "s3", "a");
        step("SMOVE", "s2", "s3", "missing");
        step("SMOVE", "s2", "s2", "b");
        step("SINTERSTORE", "s4", "s2", "s3");
        step("SUNIONSTORE", "s4", "s2", "s3");
        step("SDIFFSTORE", "s4", "missing", "s3");
        step("SDIFFSTORE", "s5", "missing", "s3");

        step("RPUSH", "l", "a", "b", "c", "d", "e");
        step("LPUSHX", "missing", "a");
        step("LINSERT", "l", "BEFORE", "c", "x");
        step("LINSERT", "l", "AFTER", "missing", "x");
        step("LINSERT", "missing", "AFTER", "c", "x");
        step("LSET", "l", "0", "A");
        step("LTRIM", "l", "0", "10");
        step("LTRIM", "l", "1", "-1");
        step("LREM", "l", "0", "missing");
        step("LREM", "l", "0", "x");
        step("LPOP", "l");
        step("RPOP", "l", "2");
        step("LPOP", "missing");
        step("LMOVE", "l", "l2", "LEFT", "RIGHT");
        step("RPOPLPUSH", "l2", "l");
        step("RPOPLPUSH", "missing", "l");
        step("RPUSH", "l", "1", "2", "3");
        step("LMPOP", "2", "missing", "l", "LEFT", "COUNT", "2");
        step("LMPOP", "1", "l", "RIGHT", "COUNT", "10");
        step("LMPOP", "1", "l", "RIGHT");
        step("LTRIM", "l2", "1", "0");

        step("ZADD", "z", "1", "a", "2", "b", "3", "c");
        step("ZADD", "z", "1", "a");
        step("ZADD", "z", "NX", "5", "a");
        step("ZADD", "z", "INCR", "2", "a");
        step("ZADD", "z", "XX", "INCR", "2", "missing");
        step("ZINCRBY", "z", "1.5", "b");
        step("ZREM", "z", "missing");
        step("ZREM", "z", "c");
        step("ZADD", "z", "4", "d", "5", "e", "6", "f", "7", "g");
        step("ZREMRANGEBYSCORE", "z", "100", "200");
        step("ZREMRANGEBYSCORE", "z", "7", "7");
        step("ZREMRANGEBYRANK", "z", "0", "0");
        step("ZREMRANGEBYLEX", "z", "-", "+");
        step("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        step("ZPOPMIN", "z");
        step("ZPOPMAX", "z", "2");
        step("ZPOPMIN", "missing");
        step("ZPOPMIN", "z", "0");
        step("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        step("ZADD", "z2", "1", "x", "2", "b");
        step("ZMPOP", "2", "missing", "z", "MIN", "COUNT", "2");
        step("ZMPOP", "1", "z", "MAX");
        step("ZUNIONSTORE", "z3", "2", "z", "z2");
        step("ZINTERSTORE", "z4", "2", "z", "z2", "WEIGHTS", "1", "2");
        step("ZINTERSTORE", "z4", "2", "z", "missing");
        step("ZINTERSTORE", "z5", "2", "z", "missing");
        step("ZDIFFSTORE", "z5", "2", "z2", "z");
        step("ZRANGESTORE", "z6", "z2", "0", "-1");
        step("ZRANGESTORE", "z6", "z2", "10", "20");
        step("ZRANGESTORE", "z7", "z2", "10", "20");
    }

    @Test
    void streamsPropagateAsRedisRewritesThem() throws Exception {
        start();
        both("CONFIG", "SET", "stream-node-max-entries", "3");
        step("XADD", "s", "1-0", "a", "1");
        step("XADD", "s", "1-*", "a", "2");
        step("XADD", "s", "5", "a", "3");
        randomStep("XADD", "auto", "*", "a", "4");
        step("XADD", "s", "1-0", "a", "x"); // refused: nothing
        step("XADD", "missing", "NOMKSTREAM", "*", "a", "1");
        for (int i = 0; i < 10; i++) {
            step("XADD", "t", (100 + i) + "-*", "f", Integer.toString(i));
        }
        step("XADD", "t", "MAXLEN", "~", "4", "200-*", "f", "v");
        step("XADD", "t", "MAXLEN", "~", "100", "201-0", "f", "v"); // nothing trimmed: still rewritten
        step("XADD", "t", "MAXLEN", "=", "9", "202-0", "f", "v");
        step("XADD", "t", "MINID", "~", "108", "LIMIT", "3", "203-*", "f", "v");
        step("XTRIM", "t", "MAXLEN", "~", "3");
        step("XTRIM", "t", "MAXLEN", "~", "3"); // trims nothing: not propagated
        step("XTRIM", "t", "MINID", "~", "202");
        step("XTRIM", "t", "MINID", "203");
        step("XTRIM", "t", "MAXLEN", "100");
        step("XDEL", "t", "203-0", "9-9");
        step("XDEL", "t", "9-9");
        step("XSETID", "t", "300-0", "ENTRIESADDED", "50", "MAXDELETEDID", "250-0");
        step("XGROUP", "CREATE", "s", "g", "0");
        step("XGROUP", "CREATE", "s", "g", "0"); // BUSYGROUP
        step("XGROUP", "CREATE", "new", "g", "$", "MKSTREAM");
        step("XGROUP", "CREATECONSUMER", "s", "g", "made");
        step("XGROUP", "CREATECONSUMER", "s", "g", "made");
        // deliveries propagate as XCLAIMs (one unit), and nothing when nothing is delivered
        step("XREADGROUP", "GROUP", "g", "c1", "COUNT", "2", "STREAMS", "s", ">");
        step("XREADGROUP", "GROUP", "g", "c1", "COUNT", "1", "STREAMS", "s", ">");
        step("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "new", ">");
        step("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0");
        step("XGROUP", "SETID", "s", "g", "1-0");
        step("XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "s", ">");
        step("XREADGROUP", "GROUP", "g", "c2", "NOACK", "STREAMS", "s", ">");
        step("XACK", "s", "g", "1-0", "9-9");
        step("XACK", "s", "g", "9-9");
        step("XCLAIM", "s", "g", "c3", "0", "1-1", "5-0");
        step("XCLAIM", "s", "g", "c3", "0", "1-1", "JUSTID", "RETRYCOUNT", "5");
        step("XCLAIM", "s", "g", "c3", "3600000", "1-1");
        step("XCLAIM", "s", "g", "c3", "0", "9-9", "LASTID", "99-0");
        step("XDEL", "s", "1-1");
        step("XCLAIM", "s", "g", "c4", "0", "1-1", "5-0");
        step("XAUTOCLAIM", "s", "g", "c5", "0", "0", "COUNT", "5");
        step("XAUTOCLAIM", "s", "g", "c5", "3600000", "0");
        step("XGROUP", "DELCONSUMER", "s", "g", "c5");
        step("XGROUP", "DESTROY", "s", "g");
        step("XGROUP", "DESTROY", "s", "g");
        // blocked readers: XREAD propagates nothing, XREADGROUP its XCLAIMs after the XADD that served it
        step("XGROUP", "CREATE", "q", "g", "$", "MKSTREAM");
        servedLater(new String[] {"XREAD", "BLOCK", "0", "STREAMS", "q", "$"},
                new String[] {"XADD", "q", "1-0", "a", "1"});
        step("XGROUP", "SETID", "q", "g", "$");
        servedLater(new String[] {"XREADGROUP", "GROUP", "g", "w", "BLOCK", "0", "STREAMS", "q", ">"},
                new String[] {"MULTI"}, new String[] {"XADD", "q", "2-0", "a", "2"},
                new String[] {"XADD", "q", "3-0", "a", "3"}, new String[] {"EXEC"});
        servedLater(new String[] {"XREADGROUP", "GROUP", "g", "nw", "NOACK", "BLOCK", "0", "STREAMS", "q", ">"},
                new String[] {"XADD", "q", "4-0", "a", "4"});
        servedLater(new String[] {"XREADGROUP", "GROUP", "g", "w", "BLOCK", "0", "STREAMS", "q", ">"},
                new String[] {"XGROUP", "DESTROY", "q", "g"});
        servedLater(new String[] {"XREAD", "BLOCK", "50", "STREAMS", "q", "$"});
        tx(new String[] {"XADD", "q", "5-*", "a", "5"}, new String[] {"XTRIM", "q", "MAXLEN", "~", "1"},
                new String[] {"XREAD", "BLOCK", "0", "STREAMS", "q", "$"});
        assertEquals(redis.client.callBinary("DEBUG", "DIGEST-VALUE", "t", "q", "new"),
                cascade.client.callBinary("DEBUG", "DIGEST-VALUE", "t", "q", "new"));
    }

    @Test
    void geoWritesPropagateAsRedisSendsThem() throws Exception {
        start();
        // GEOADD goes as the ZADD it runs (lower-case "zadd", scores as integers); the STORE forms go as they are
        step("GEOADD", "geo", "13.361389", "38.115556", "Palermo", "15.087269", "37.502669", "Catania");
        step("geoadd", "geo", "ch", "NX", "13.5", "38.1", "Palermo", "2", "48", "Paris");
        step("GEOADD", "geo", "XX", "CH", "13.5", "38.1", "Palermo", "1", "1", "absent");
        step("GEOADD", "geo", "13.5", "38.1", "Palermo");
        step("GEOADD", "geo", "200", "38.1", "bad");
        step("GEORADIUS", "geo", "15", "37", "200", "km", "STORE", "g1");
        step("GEORADIUS", "geo", "15", "37", "200", "km", "STOREDIST", "g2", "COUNT", "1");
        step("GEORADIUSBYMEMBER", "geo", "Palermo", "300", "km", "STORE", "g3");
        step("GEOSEARCHSTORE", "g4", "geo", "FROMLONLAT", "15", "37", "BYBOX", "400", "400", "km", "STOREDIST");
        step("GEOSEARCHSTORE", "g4", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m");
        step("GEOSEARCHSTORE", "g4", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m");
        step("GEORADIUS", "missing", "15", "37", "200", "km", "STORE", "g1");
        step("GEORADIUS", "missing", "15", "37", "200", "km", "STORE", "g1");
        step("GEOSEARCH", "geo", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km");
        step("GEORADIUS_RO", "geo", "15", "37", "200", "km");
        step("GEOPOS", "geo", "Palermo");
    }

    @Test
    void keyspaceCommandsAndDatabases() throws Exception {
        start();
        step("DEL", "missing");
        step("SET", "a", "1");
        step("SET", "b", "2");
        step("DEL", "a", "missing");
        step("UNLINK", "missing");
        step("unlink", "b");
        step("SET", "a", "1");
        step("MOVE", "a", "2");
        step("MOVE", "a", "2");
        step("SET", "c", "3");
        step("COPY", "c", "d");
        step("COPY", "c", "d");
        step("COPY", "c", "d", "REPLACE");
        step("COPY", "c", "e", "DB", "3");
        step("COPY", "missing", "e");
        step("RENAME", "d", "d2");
        step("RENAME", "d2", "d2");
        step("RENAMENX", "c", "d2");
        step("RENAMENX", "c", "d3");
        step("RENAME", "missing", "x");
        step("SELECT", "3");
        step("SET", "in3", "v", "EX", "100");
        step("SELECT", "2");
        step("GET", "a");
        step("SET", "in2", "v");
        step("SWAPDB", "2", "3");
        step("SWAPDB", "5", "6");
        step("SWAPDB", "5", "5");
        step("SELECT", "0");
        step("RPUSH", "list", "3", "1", "2");
        step("SORT", "list");
        step("SORT", "list", "STORE", "sorted");
        step("SORT", "list", "LIMIT", "10", "5", "STORE", "sorted");
        step("SORT", "missing", "STORE", "sorted2");
        step("FLUSHDB");
        step("SELECT", "9");
        step("FLUSHDB");
        step("SELECT", "0");
        step("FLUSHALL");

        both("SET", "src", "value");
        payload = redis.client.callBinary("DUMP", "src");
        String dump = payload.substring(payload.indexOf("\r\n") + 2, payload.length() - 2);
        step("RESTORE", "r1", "0", dump);
        step("RESTORE", "r2", "100000", dump);
        step("restore", "r3", futureMs(100_000), dump, "ABSTTL");
        step("RESTORE", "r1", "50000", dump, "REPLACE");
        step("RESTORE", "r1", "1", dump, "ABSTTL", "REPLACE");
        step("RESTORE", "r4", "1", dump, "ABSTTL");
        step("RESTORE", "r2", "0", dump);
        step("RESTORE", "r5", "0", dump, "IDLETIME", "100");
        step("RESTORE", "r6", "1", dump, "ABSTTL", "REPLACE");
        assertEquals("$5\r\nvalue\r\n", cascade.client.callBinary("GET", "r5"), "the payload restored for real");
    }

    @Test
    void transactionsAndSelects() throws Exception {
        start();
        tx(new String[] {"SET", "t1", "1"});
        tx(new String[] {"SET", "t1", "1"}, new String[] {"INCR", "t1"});
        tx(new String[] {"GET", "t1"});
        tx(new String[] {"SET", "t2", "v", "EX", "100"}, new String[] {"GETSET", "t2", "w"},
                new String[] {"SPOP", "missing"}, new String[] {"INCRBYFLOAT", "t3", "1.25"});
        tx(new String[] {"SET", "t4", "1"}, new String[] {"SELECT", "5"}, new String[] {"SET", "t4", "2"},
                new String[] {"SELECT", "0"});
        step("SELECT", "5");
        tx(new String[] {"DEL", "missing"}, new String[] {"SELECT", "6"}, new String[] {"SET", "t5", "1"},
                new String[] {"SELECT", "7"}, new String[] {"SET", "t5", "2"});
        step("SELECT", "7");
        step("SET", "t6", "1");
        step("SELECT", "0");
        step("SADD", "ts", "1", "2", "3");
        tx(new String[] {"SPOP", "ts", "5"}, new String[] {"SADD", "ts", "a"}, new String[] {"SPOP", "ts"});
        step("RPUSH", "tl", "a", "b");
        tx(new String[] {"BLPOP", "tl", "0"}, new String[] {"BRPOP", "tl", "missing", "0"},
                new String[] {"BLPOP", "tl", "0"});
        tx(new String[] {"EXPIRE", "t1", "-1"}, new String[] {"FLUSHDB"});
        tx(new String[] {"FLUSHALL"});
        step("RPUSH", "tl", "a");
        tx(new String[] {"SET", "bad", "x"}, new String[] {"LPUSH", "bad", "y"}, new String[] {"GETDEL", "bad"});
    }

    @Test
    void scriptsPropagateTheirEffectsAsOneUnit() throws Exception {
        start();
        step("EVAL", "return redis.call('set', 'e1', 'v')", "0");
        step("EVAL", "redis.call('set', 'e1', 'v'); redis.call('incr', 'e2'); return 1", "0");
        step("EVAL", "return redis.call('get', 'e1')", "0");
        step("EVAL", "redis.call('set', 'e3', 'v', 'EX', 100); redis.call('rpush', 'el', 'a', 'b'); "
                + "return redis.call('lpop', 'el')", "0");
        step("EVAL", "redis.call('select', 3); redis.call('set', 'e4', 'x'); redis.call('select', 4); "
                + "redis.call('set', 'e4', 'y'); return 1", "0");
        step("SELECT", "2");
        step("EVAL", "redis.call('set', 'e5', 'x'); return 1", "0");
        step("EVAL", "redis.call('set', 'e5', 'x'); redis.call('set', 'e6', 'y'); return 1", "0");
        step("SELECT", "0");
        step("EVAL", "redis.call('set', 'e7', 'x'); redis.call('incr', 'e7'); return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set', 'e8', 'x'); "
                + "redis.set_repl(redis.REPL_ALL); redis.call('set', 'e9', 'y'); return 1", "0");
        step("EVAL", "redis.set_repl(redis.REPL_AOF); redis.call('set', 'e10', 'x'); return 1", "0");
        randomStep("EVAL", "redis.call('sadd', 'rnd:es', 'a', 'b', 'c'); return redis.call('spop', 'rnd:es', 3)",
                "0");
        step("EVAL", "redis.call('rpush', 'bl', 'x'); return redis.call('blpop', 'bl', 0)", "0");
        step("EVAL", "redis.call('set', 'e11', 'x'); error('after a write')", "0");
        step("EVAL", "redis.call('del', 'nosuchkey'); return 1", "0");
        step("EVAL_RO", "return redis.call('get', 'e1')", "0");
        tx(new String[] {"SET", "e12", "1"}, new String[] {"EVAL", "redis.call('incr', 'e12'); return 1", "0"},
                new String[] {"INCR", "e12"});
        step("SCRIPT", "LOAD", "redis.call('incr', 'e13'); return 1");
        step("EVALSHA", "2d404c6ff489f5ed097976654ebb88a1dd8dfc5c", "0");
        step("SCRIPT", "FLUSH");
    }

    @Test
    void blockingPopsPropagateAsTheirNonBlockingForms() throws Exception {
        start();
        step("RPUSH", "l", "a", "b", "c", "d", "e", "f");
        step("BLPOP", "missing", "l", "0");
        step("BRPOP", "l", "0");
        step("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "2");
        step("BLMPOP", "0", "2", "missing", "l", "RIGHT", "COUNT", "5");
        step("RPUSH", "l", "a", "b", "c");
        step("BRPOPLPUSH", "l", "l2", "0");
        step("BLMOVE", "l", "l2", "LEFT", "LEFT", "0");
        step("BLMOVE", "l", "l2", "RIGHT", "LEFT", "0");
        step("BLPOP", "missing", "0.01");
        step("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d");
        step("BZPOPMIN", "z", "0");
        step("BZPOPMAX", "missing", "z", "0");
        step("BZMPOP", "0", "1", "z", "MIN", "COUNT", "5");

        servedLater(new String[] {"BLPOP", "q", "0"}, new String[] {"RPUSH", "q", "a", "b"});
        servedLater(new String[] {"BRPOP", "q2", "qq", "0"}, new String[] {"RPUSH", "q2", "x"});
        servedLater(new String[] {"BLMPOP", "0", "1", "q3", "LEFT", "COUNT", "5"},
                new String[] {"RPUSH", "q3", "1", "2"});
        servedLater(new String[] {"BRPOPLPUSH", "q4", "q5", "0"}, new String[] {"LPUSH", "q4", "v"});
        servedLater(new String[] {"BLMOVE", "q6", "q7", "LEFT", "RIGHT", "0"}, new String[] {"LPUSH", "q6", "w"});
        servedLater(new String[] {"BZPOPMIN", "zq", "0"}, new String[] {"ZADD", "zq", "1", "a", "2", "b"});
        servedLater(new String[] {"BZPOPMAX", "zq2", "0"}, new String[] {"ZADD", "zq2", "1", "a"});
        servedLater(new String[] {"BZMPOP", "0", "1", "zq3", "MAX", "COUNT", "3"},
                new String[] {"ZADD", "zq3", "1", "a", "2", "b"});
        // served by a transaction: the pushes are one unit, the pop its own
        servedLater(new String[] {"BLPOP", "q8", "0"}, new String[] {"MULTI"}, new String[] {"RPUSH", "q8", "a"},
                new String[] {"SET", "other", "1"}, new String[] {"EXEC"});
        // the key is created and removed again in the same transaction: nothing to serve
        servedLater(new String[] {"BLPOP", "q9", "0"}, new String[] {"MULTI"}, new String[] {"RPUSH", "q9", "a"},
                new String[] {"DEL", "q9"}, new String[] {"EXEC"}, new String[] {"RPUSH", "q9", "b"});
        // two keys made ready in one transaction: the client is served from the first one signalled
        servedLater(new String[] {"BLPOP", "q11", "q12", "0"}, new String[] {"MULTI"},
                new String[] {"RPUSH", "q12", "a"}, new String[] {"RPUSH", "q11", "b"}, new String[] {"EXEC"});
        // a pop that times out propagates nothing
        servedLater(new String[] {"BLPOP", "q13", "0.05"});
        servedLater(new String[] {"BZPOPMIN", "zq4", "0.05"});
        // in another database than the one the stream was on
        step("SELECT", "3");
        servedLater(new String[] {"BLPOP", "q10", "0"}, new String[] {"SELECT", "0"},
                new String[] {"RPUSH", "q10", "in0"}, new String[] {"SELECT", "3"},
                new String[] {"RPUSH", "q10", "in3"});
    }

    /** A round of every rewritten command, on db round % 3, with expired keys read and written, as one client would. */
    private static void rewriteLoad(RawConnection m, RawConnection blocker, ServerProcess master, int round)
            throws Exception {
        String r = Integer.toString(round);
        m.callBinary("SELECT", Integer.toString(round % 3));
        m.callBinary("SET", "s:" + r, "v", "EX", "1000");
        m.callBinary("SET", "s:" + r, "w", "PX", "1000000", "XX", "GET");
        m.callBinary("SET", "g:" + r, "v", "GET");
        m.callBinary("SETEX", "sx:" + r, "1000", "v");
        m.callBinary("PSETEX", "px:" + r, "1000000", "v");
        m.callBinary("GETSET", "sx:" + r, "w");
        m.callBinary("GETDEL", "g:" + r);
        m.callBinary("GETEX", "px:" + r, "EXAT", future(3000));
        m.callBinary("GETEX", "s:" + r, "PERSIST");
        m.callBinary("INCRBYFLOAT", "f", "0.1");
        m.callBinary("INCRBYFLOAT", "f" + r, "1e-3");
        m.callBinary("HINCRBYFLOAT", "h", "f" + (round % 5), "2.25");
        m.callBinary("EXPIRE", "f" + r, "500");
        m.callBinary("PEXPIRE", "f" + r, "400000", "LT");
        m.callBinary("EXPIREAT", "h", future(5000), "NX");
        m.callBinary("SET", "gone:" + r, "v");
        m.callBinary("EXPIRE", "gone:" + r, "-1");
        m.callBinary("SET", "old:" + r, "v", "PXAT", "1");
        m.callBinary(round % 2 == 0 ? "GET" : "INCR", "old:" + r);
        m.callBinary("SET", "old2:" + r, "1", "PXAT", "1");
        m.callBinary("APPEND", "old2:" + r, "x");
        m.callBinary("SADD", "set", "a" + r, "b" + r, "c" + r, "d" + r, "e" + r, "f" + r, "g" + r);
        m.callBinary("SPOP", "set");
        m.callBinary("SPOP", "set", "2");
        m.callBinary("SPOP", "set", "3");
        m.callBinary("SADD", "small", "x", "y");
        m.callBinary("SPOP", "small", "5");
        m.callBinary("RPUSH", "l", "a", "b", "c");
        m.callBinary("LMPOP", "1", "l", "LEFT", "COUNT", "2");
        m.callBinary("BLPOP", "l", "0");
        m.callBinary("ZADD", "z", "1", "a" + r, "2", "b" + r);
        m.callBinary("ZADD", "z", "INCR", "1.5", "a" + r);
        m.callBinary("ZMPOP", "1", "z", "MIN", "COUNT", "1");
        m.callBinary("BZPOPMAX", "z", "0");
        m.callBinary("RESTORE", "rs:" + r, "100000", dumpOf(m, "h"), "REPLACE");
        // streams: IDs from the master's clock, approximate trims, group deliveries as XCLAIMs
        m.callBinary("XADD", "st", "MAXLEN", "~", "20", "*", "r", r);
        m.callBinary("XADD", "st", "*", "r", r, "more", "fields");
        m.callBinary("XGROUP", "CREATE", "st", "g", "0");
        m.callBinary("XREADGROUP", "GROUP", "g", "c" + (round % 2), "COUNT", "2", "STREAMS", "st", ">");
        m.callBinary("XREADGROUP", "GROUP", "g", "n", "NOACK", "COUNT", "1", "STREAMS", "st", ">");
        m.callBinary("XAUTOCLAIM", "st", "g", "c2", "0", "0", "COUNT", "1");
        m.callBinary("XTRIM", "st", "MINID", "~", "1");
        m.callBinary("MULTI");
        m.callBinary("SET", "tx:" + r, "v", "EX", "100");
        m.callBinary("SPOP", "set", "2");
        m.callBinary("INCRBYFLOAT", "f", "1");
        m.callBinary("EXEC");
        // a pop served later, in the load's own database
        blocker.callBinary("SELECT", Integer.toString(round % 3));
        blocker.send(RawConnection.encode("BLMOVE", "bq", "bq2", "LEFT", "RIGHT", "0"));
        long deadline = System.currentTimeMillis() + 10_000;
        while (!m.callBinary("INFO", "clients").contains("blocked_clients:1\r\n")) {
            assertTrue(System.currentTimeMillis() < deadline, master.kind() + ": BLMOVE never blocked");
            Thread.sleep(5);
        }
        m.callBinary("RPUSH", "bq", "x" + r);
        assertEquals("$" + ("x" + r).length() + "\r\nx" + r + "\r\n", blocker.readReply());
    }

    private static String dumpOf(RawConnection m, String key) throws IOException {
        String reply = m.callBinary("DUMP", key);
        return reply.startsWith("$-1") ? "" : reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
    }

    @Test
    void aRedisReplicaOfCascadeEndsWithTheSameDataset() throws Exception {
        List<String> args = new ArrayList<>(List.of("--save", "", "--appendonly", "no", "--enable-debug-command",
                "yes"));
        args.addAll(List.of(MASTER_DIRECTIVES));
        ServerProcess master = ServerProcess.cascade(args.toArray(new String[0]));
        try (RawConnection m = new RawConnection(master.port()); RawConnection blocker = new RawConnection(master.port())) {
            // the active cycle would delete keys between the offset check and the digests
            m.callBinary("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            for (int round = 0; round < 5; round++) {
                rewriteLoad(m, blocker, master, round);
            }
            ServerProcess replica = ServerProcess.redis("--replicaof", "127.0.0.1 " + master.port());
            try (RawConnection r = new RawConnection(replica.port())) {
                awaitSameOffset(m, r);
                for (int round = 5; round < 60; round++) {
                    rewriteLoad(m, blocker, master, round);
                }
                awaitSameOffset(m, r);
                String digest = m.callBinary("DEBUG", "DIGEST");
                assertEquals(digest, r.callBinary("DEBUG", "DIGEST"), "DEBUG DIGEST of the replica and of its master");
                assertTrue(!digest.equals("+" + "0".repeat(40) + "\r\n"), "the dataset is not empty");
                assertEquals(m.callBinary("DBSIZE"), r.callBinary("DBSIZE"));
                for (int db = 0; db < 3; db++) {
                    m.callBinary("SELECT", Integer.toString(db));
                    r.callBinary("SELECT", Integer.toString(db));
                    // not XINFO GROUPS: a Redis replica's entries-read lags its master's anyway (the XCLAIMs
                    // carry the last ID, not the counter)
                    for (String[] cmd : List.of(new String[] {"XPENDING", "st", "g"},
                            new String[] {"XINFO", "STREAM", "st"})) {
                        assertEquals(m.callBinary(cmd), r.callBinary(cmd), String.join(" ", cmd) + " in db " + db);
                    }
                }
            }
        }
    }

    /** Until the replica's link is up and it has processed everything its master has sent. */
    private static void awaitSameOffset(RawConnection master, RawConnection replica) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            String r = replica.callBinary("INFO", "replication");
            String m = master.callBinary("INFO", "replication");
            if (r.contains("master_link_status:up\r\n") && field(m, "master_repl_offset").equals(field(r, "master_repl_offset"))) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "replica never caught up:\n" + m + "\n" + r);
            Thread.sleep(10);
        }
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return "";
    }
}
