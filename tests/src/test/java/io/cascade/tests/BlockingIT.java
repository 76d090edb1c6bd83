package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocking list commands with several connections per server, on redis-server and Cascade side by side: who
 * is served, in which order and with what, timeouts, MULTI, requests pipelined behind a blocked command,
 * disconnections and CLIENT UNBLOCK. Every reply is compared with Redis's.
 */
@ExtendWith(Servers.class)
class BlockingIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();
    private final List<Conn> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (Conn c : open) {
            c.close();
        }
        open.clear();
        awaitBlocked(0);
    }

    /** One connection to each server, used in lockstep. */
    private final class Conn implements AutoCloseable {
        final RawConnection redis;
        final RawConnection cascade;
        /** CLIENT ID on each server: they differ. */
        final String redisId;
        final String cascadeId;

        Conn() throws IOException {
            redis = new RawConnection(twin.redis.port());
            cascade = new RawConnection(twin.cascade.port());
            open.add(this);
            redisId = redis.call("CLIENT", "ID").substring(1).trim();
            cascadeId = cascade.call("CLIENT", "ID").substring(1).trim();
        }

        /** CLIENT UNBLOCK of target's ids with the given mode words; both replies compared. */
        String unblock(Conn target, String... mode) throws IOException {
            List<String> r = new ArrayList<>(List.of("CLIENT", "UNBLOCK", target.redisId));
            List<String> c = new ArrayList<>(List.of("CLIENT", "UNBLOCK", target.cascadeId));
            r.addAll(List.of(mode));
            c.addAll(List.of(mode));
            String expected = redis.call(r.toArray(new String[0]));
            assertEquals(expected, cascade.call(c.toArray(new String[0])), "CLIENT UNBLOCK " + String.join(" ", mode));
            return expected;
        }

        /** Sends without waiting for the reply (the command may block). */
        void send(String... cmd) throws IOException {
            redis.send(RawConnection.encode(cmd));
            cascade.send(RawConnection.encode(cmd));
        }

        /** Reads one reply from each and asserts they are the same. */
        String read(String what) throws IOException {
            String expected = redis.readReply();
            assertEquals(expected, cascade.readReply(), what);
            return expected;
        }

        String same(String... cmd) throws IOException {
            send(cmd);
            return read("reply to " + String.join(" ", cmd));
        }

        @Override
        public void close() throws IOException {
            redis.close();
            cascade.close();
        }
    }

    /** Opens a connection that blocks in cmd, and waits until both servers count blocked clients. */
    private Conn blocked(int expectedBlocked, String... cmd) throws IOException {
        Conn c = new Conn();
        c.send(cmd);
        awaitBlocked(expectedBlocked);
        return c;
    }

    private static void awaitBlocked(int n) throws IOException {
        twin.awaitBlocked(n);
    }

    @Test
    void pushServesTheBlockedClient() throws IOException {
        Conn pusher = new Conn();
        for (String[] cmd : new String[][] {{"BLPOP", "k", "0"}, {"BRPOP", "k", "0"}, {"BLMPOP", "0", "1", "k", "RIGHT", "COUNT", "2"},
            {"BLMOVE", "k", "dst", "RIGHT", "LEFT", "0"}, {"BRPOPLPUSH", "k", "dst", "0"}}) {
            Conn waiter = blocked(1, cmd);
            pusher.same("RPUSH", "k", "a", "b", "c");
            waiter.read(cmd[0] + " served");
            awaitBlocked(0);
            pusher.same("LRANGE", "k", "0", "-1");
            pusher.same("LRANGE", "dst", "0", "-1");
            pusher.same("FLUSHALL");
        }
        twin.sameDigest();
    }

    @Test
    void firstBlockedIsFirstServedPerKey() throws IOException {
        Conn c1 = blocked(1, "BLPOP", "k", "0");
        Conn c2 = blocked(2, "BRPOP", "other", "k", "0");
        Conn c3 = blocked(3, "BLMPOP", "0", "2", "k", "other", "LEFT", "COUNT", "5");
        Conn pusher = new Conn();
        pusher.same("RPUSH", "k", "a", "b");
        c1.read("first blocked");
        c2.read("second blocked");
        awaitBlocked(1);
        pusher.same("RPUSH", "other", "x", "y", "z");
        c3.read("third, served from the other key");
        awaitBlocked(0);
        pusher.same("LLEN", "other");
        // the same key named twice waits once (Redis issue #801)
        Conn twice = blocked(1, "BLPOP", "list1", "list2", "list2", "list1", "0");
        pusher.same("LPUSH", "list2", "v");
        twice.read("served once");
        twin.sameDigest();
    }

    @Test
    void keysReadyInOneTransactionAreServedAfterExec() throws IOException {
        Conn waiter = blocked(1, "BLPOP", "k", "0");
        Conn tx = new Conn();
        tx.same("MULTI");
        tx.same("LPUSH", "k", "a");
        tx.same("LPUSH", "k", "b");
        tx.same("LPUSH", "k", "c");
        tx.same("EXEC");
        waiter.read("served with the state after EXEC");
        tx.same("LRANGE", "k", "0", "-1");
        // a key pushed and emptied within one EXEC serves nobody
        Conn still = blocked(1, "BRPOP", "e", "0");
        tx.same("MULTI");
        tx.same("RPUSH", "e", "x");
        tx.same("RPOP", "e");
        tx.same("EXEC");
        tx.same("RPUSH", "g", "other");
        awaitBlocked(1);
        tx.same("RPUSH", "e", "y");
        still.read("served by the later push");
        // two keys made ready in one EXEC: served in the order they became ready
        Conn both = blocked(1, "BLPOP", "k1", "k2", "0");
        tx.same("MULTI");
        tx.same("RPUSH", "k2", "two");
        tx.same("RPUSH", "k1", "one");
        tx.same("EXEC");
        both.read("the key that was ready first");
        twin.sameDigest();
    }

    @Test
    void movesChainAndCircleAsInRedis() throws IOException {
        Conn c1 = blocked(1, "BLMOVE", "list1", "list2", "RIGHT", "LEFT", "0");
        Conn c2 = blocked(2, "BLMOVE", "list2", "list3", "LEFT", "RIGHT", "0");
        Conn p = new Conn();
        p.same("RPUSH", "list1", "foo");
        c1.read("first move");
        c2.read("second move, from the first one's push");
        p.same("LRANGE", "list3", "0", "-1");
        p.same("FLUSHALL");
        Conn r1 = blocked(1, "BRPOPLPUSH", "cl1", "cl2", "0");
        Conn r2 = blocked(2, "BRPOPLPUSH", "cl2", "cl1", "0");
        p.same("RPUSH", "cl1", "foo");
        r1.read("circular 1");
        r2.read("circular 2");
        p.same("LRANGE", "cl1", "0", "-1");
        p.same("LLEN", "cl2");
        Conn self = blocked(1, "BRPOPLPUSH", "blist", "blist", "0");
        p.same("RPUSH", "blist", "foo");
        self.read("self-referential");
        p.same("LRANGE", "blist", "0", "-1");
        twin.sameDigest();
    }

    @Test
    void aDestinationOfAnotherTypeFailsOnlyThatClient() throws IOException {
        Conn p = new Conn();
        p.same("SET", "target", "string");
        Conn bad = blocked(1, "BRPOPLPUSH", "src", "target", "0");
        Conn good = blocked(2, "BLMOVE", "src", "ok", "LEFT", "LEFT", "0");
        p.same("RPUSH", "src", "a", "b");
        bad.read("WRONGTYPE for the first");
        good.read("the second is served");
        p.same("LRANGE", "src", "0", "-1");
        p.same("LRANGE", "ok", "0", "-1");
        // a key created with another type leaves list waiters blocked
        Conn waiter = blocked(1, "BLPOP", "becomes", "0");
        p.same("SET", "becomes", "string");
        p.same("PING");
        awaitBlocked(1);
        p.unblock(waiter, "TIMEOUT");
        waiter.read("unblocked");
        twin.sameDigest();
    }

    @Test
    void timeoutsAnswerNullInBothProtocols() throws IOException {
        for (String resp : new String[] {"2", "3"}) {
            for (String[] cmd : new String[][] {{"BLPOP", "k", "0.05"}, {"BRPOP", "k1", "k2", "0.01"},
                {"BLMOVE", "k", "d", "LEFT", "LEFT", "0.02"}, {"BRPOPLPUSH", "k", "d", "0.001"},
                {"BLMPOP", "0.03", "1", "k", "LEFT"}}) {
                Conn c = new Conn();
                c.redis.call("HELLO", resp);
                c.cascade.call("HELLO", resp);
                c.send(cmd);
                c.read("timeout of " + String.join(" ", cmd) + " in RESP" + resp);
                c.same("PING");
            }
        }
        awaitBlocked(0);
    }

    @Test
    void requestsPipelinedBehindABlockedCommandWait() throws IOException {
        Conn c = new Conn();
        StringBuilder pipeline = new StringBuilder();
        pipeline.append(new String(RawConnection.encode("BLPOP", "k", "0")));
        pipeline.append(new String(RawConnection.encode("LLEN", "k")));
        pipeline.append(new String(RawConnection.encode("RPUSH", "k", "mine")));
        // more than the pending-request limit, so that reading stops and must resume after the unblock
        for (int i = 0; i < 1000; i++) {
            pipeline.append(new String(RawConnection.encode("ECHO", "e" + i)));
        }
        pipeline.append(new String(RawConnection.encode("BRPOP", "k", "0")));
        pipeline.append(new String(RawConnection.encode("PING")));
        c.redis.send(pipeline.toString());
        c.cascade.send(pipeline.toString());
        awaitBlocked(1);
        Conn p = new Conn();
        p.same("LLEN", "k");
        p.same("RPUSH", "k", "a", "b");
        c.read("BLPOP served");
        c.read("LLEN after");
        c.read("RPUSH by the unblocked client");
        for (int i = 0; i < 1000; i++) {
            c.read("echo " + i);
        }
        c.read("BRPOP served from what was left");
        c.read("PING");
        p.same("LRANGE", "k", "0", "-1");
        twin.sameDigest();
    }

    @Test
    void aDisconnectedClientWaitsNoMore() throws IOException {
        Conn gone = blocked(1, "BLPOP", "k", "0");
        Conn next = blocked(2, "BLPOP", "k", "0");
        gone.close();
        awaitBlocked(1);
        Conn p = new Conn();
        p.same("RPUSH", "k", "a", "b");
        next.read("the remaining client is served");
        p.same("LRANGE", "k", "0", "-1");
    }

    @Test
    void clientUnblockTimeoutAndError() throws IOException {
        Conn p = new Conn();
        Conn w = new Conn();
        for (String[] mode : new String[][] {{}, {"TIMEOUT"}, {"error"}}) {
            w.send("BLMPOP", "0", "1", "k", "LEFT");
            awaitBlocked(1);
            assertTrue(clientFlags(twin.redis, w.redisId).contains("b"));
            assertEquals(clientFlags(twin.redis, w.redisId), clientFlags(twin.cascade, w.cascadeId));
            p.unblock(w, mode);
            w.read("unblocked " + String.join(" ", mode));
            assertEquals(clientFlags(twin.redis, w.redisId), clientFlags(twin.cascade, w.cascadeId));
        }
        p.unblock(w);
        p.unblock(p);
        p.same("CLIENT", "UNBLOCK", "asd");
        p.same("CLIENT", "UNBLOCK", "1", "SOON");
        p.same("CLIENT", "UNBLOCK", "1", "TIMEOUT", "extra");
        p.same("CLIENT", "UNBLOCK", "999999");
        w.send("BLPOP", "k", "0");
        awaitBlocked(1);
        p.same("RPUSH", "k", "foo");
        w.read("still served normally");
    }

    private static String clientFlags(ServerProcess server, String id) throws IOException {
        try (RawConnection r = new RawConnection(server.port())) {
            Matcher m = Pattern.compile("flags=(\\S+)").matcher(r.call("CLIENT", "LIST", "ID", id));
            assertTrue(m.find());
            return m.group(1);
        }
    }

    @Test
    void aBlockingCommandCountsAsOneCall() throws IOException {
        Conn p = new Conn();
        p.same("CONFIG", "RESETSTAT");
        Conn w = blocked(1, "BLPOP", "k", "0");
        p.same("RPUSH", "k", "v");
        w.read("served");
        Conn t = new Conn();
        t.same("BRPOP", "k", "0.01");
        Conn e = new Conn();
        p.same("SET", "str", "x");
        Conn wrong = blocked(1, "BLMOVE", "src", "str", "LEFT", "LEFT", "0");
        p.same("RPUSH", "src", "v");
        wrong.read("WRONGTYPE");
        String r = p.redis.call("INFO", "all");
        String c = p.cascade.call("INFO", "all");
        for (String cmd : new String[] {"blpop", "brpop", "blmove", "rpush"}) {
            assertEquals(callCounts(r, cmd), callCounts(c, cmd), cmd);
        }
        for (String f : new String[] {"errorstat_WRONGTYPE:count=\\d+", "total_error_replies:\\d+"}) {
            Matcher mr = Pattern.compile(f).matcher(r);
            Matcher mc = Pattern.compile(f).matcher(c);
            assertTrue(mr.find() && mc.find(), f);
            assertEquals(mr.group(), mc.group(), f);
        }
        e.same("PING");
    }

    /** calls, rejected_calls and failed_calls of one command in INFO commandstats (the times differ). */
    private static String callCounts(String info, String cmd) {
        Matcher m = Pattern.compile("cmdstat_" + cmd + ":calls=(\\d+),.*rejected_calls=(\\d+),failed_calls=(\\d+)")
                .matcher(info);
        assertTrue(m.find(), cmd);
        return m.group(1) + " " + m.group(2) + " " + m.group(3);
    }

    @Test
    void watchSeesThePushOfAServedMove() throws IOException {
        Conn w = blocked(1, "BRPOPLPUSH", "from", "watched", "0");
        Conn tx = new Conn();
        tx.same("WATCH", "watched");
        Conn p = new Conn();
        p.same("RPUSH", "from", "v");
        w.read("served");
        tx.same("MULTI");
        tx.same("PING");
        tx.same("EXEC");
        // while the client only waits, the watched key is untouched
        Conn w2 = blocked(1, "BRPOPLPUSH", "from2", "watched2", "0");
        tx.same("WATCH", "watched2");
        tx.same("MULTI");
        tx.same("PING");
        tx.same("EXEC");
        p.same("RPUSH", "from2", "x");
        w2.read("served");
    }
}
