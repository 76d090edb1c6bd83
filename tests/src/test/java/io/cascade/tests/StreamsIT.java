package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.cascade.tests.CollectionReplies.hello;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream commands on redis-server and Cascade side by side: every reply compared byte for byte in RESP2 and
 * RESP3 (IDs explicit, or checked for their shape where "*" takes the clock; delivery and seen times masked),
 * the errors, the nodes' limits, the consumer groups, XINFO, DEBUG DIGEST, and the blocking reads with several
 * connections.
 */
@ExtendWith(Servers.class)
class StreamsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();
    private static final Pattern ID = Pattern.compile("\\d+-\\d+");
    private final List<RawConnection[]> open = new ArrayList<>();

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("CONFIG", "SET", "stream-node-max-entries", "100");
        twin.same("CONFIG", "SET", "stream-node-max-bytes", "4096");
    }

    @AfterEach
    void closeAll() throws IOException {
        for (RawConnection[] c : open) {
            c[0].close();
            c[1].close();
        }
        open.clear();
        awaitBlocked(0);
    }

    private static String[] c(String line) {
        String[] cmd = line.split(" ", -1);
        for (int i = 0; i < cmd.length; i++) {
            cmd[i] = cmd[i].equals("''") ? "" : cmd[i];
        }
        return cmd;
    }

    /** Runs each line (space separated; "''" is the empty string) in RESP2, then again in RESP3 after a flush. */
    private static void sameInBothProtocols(String... lines) throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            try (Twin.Session s = twin.session()) {
                hello(s, protocol);
                s.same("FLUSHALL");
                for (String line : lines) {
                    s.same(c(line));
                }
                s.same("DEBUG", "DIGEST");
            }
        }
    }

    @Test
    void xaddAndItsIds() throws IOException {
        sameInBothProtocols(
                "XADD s 1-1 a 1", "XADD s 1-* b 2", "XADD s 1 c 3", "XADD s 2 c 3", "XADD s 2-* d 4",
                "XADD s 0-0 a 1", "XADD new 0-0 a 1", "EXISTS new", "XADD new 0-* a 1", "XADD s 1-1 a 1",
                "XADD s 2-1 a 1", "XADD s abc a 1", "XADD s 3-x a 1", "XADD s - a 1", "XADD s + a 1",
                "XADD s -1 a 1", "XADD s 3--1 a 1", "XADD s 18446744073709551616-0 a 1", "XADD s 5-5 a",
                "XADD s 5-5", "XADD s 5-5 a b c", "XADD s 007-0 lead zeros", "XADD s 8-0 '' ''",
                "XADD s NOMKSTREAM 9-0 a b", "XADD none NOMKSTREAM 9-0 a b", "EXISTS none",
                "XADD s 18446744073709551615-18446744073709551614 a b", "XADD s 18446744073709551615-* a b",
                "XADD s * a b", "XADD s 1-0 a b", "XLEN s", "XRANGE s - +",
                "XADD t 5-18446744073709551615 a b", "XADD t 5-* a b", "XADD t 6-* a b",
                "SET str v", "XADD str 1-1 a b", "XADD str NOMKSTREAM 1-1 a b", "XLEN str", "XLEN nokey",
                "XLEN s extra", "TYPE s", "OBJECT ENCODING s", "XADD s", "XADD");
    }

    /** "*" takes this server's clock: the ID is now's milliseconds, then the same ms with the next sequence. */
    @Test
    void autoIdsFollowTheClockAndLastId() throws IOException {
        for (ServerProcess p : List.of(twin.redis, twin.cascade)) {
            try (RawConnection r = new RawConnection(p.port())) {
                long before = System.currentTimeMillis();
                String first = bulk(r.call("XADD", "auto", "*", "f", "v"));
                long after = System.currentTimeMillis();
                Matcher m = Pattern.compile("(\\d+)-(\\d+)").matcher(first);
                assertTrue(m.matches(), p.kind() + " " + first);
                long ms = Long.parseLong(m.group(1));
                assertTrue(ms >= before && ms <= after, p.kind() + " ms of " + first);
                // an explicit ID in the future: * continues from it rather than from the clock
                String future = (ms + 100_000) + "-5";
                assertEquals(future, bulk(r.call("XADD", "auto", future, "f", "v")));
                assertEquals((ms + 100_000) + "-6", bulk(r.call("XADD", "auto", "*", "f", "v")));
                assertEquals((ms + 100_000) + "-7", bulk(r.call("XADD", "auto", "MAXLEN", "2", "*", "f", "v")));
                assertEquals(":2", r.call("XLEN", "auto").trim());
            }
        }
    }

    private static String bulk(String raw) {
        Object o = RespText.parse(raw);
        return String.valueOf(o);
    }

    @Test
    void rangesAndCounts() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            lines.add("XADD s " + i + "-" + (i % 3) + " f" + (i % 4) + " v" + i + (i % 2 == 0 ? " g x" : ""));
        }
        lines.addAll(List.of("XRANGE s - +", "XREVRANGE s + -", "XRANGE s 3 7", "XRANGE s 3-1 7-0",
                "XREVRANGE s 7 3", "XRANGE s (3-0 (7-1", "XREVRANGE s (7-1 (3-0", "XRANGE s - + COUNT 3",
                "XREVRANGE s + - COUNT 2", "XRANGE s - + COUNT 0", "XRANGE s - + COUNT -5", "XRANGE s - + COUNT",
                "XRANGE s - + COUNT x", "XRANGE s - + LIMIT 1", "XRANGE s - + COUNT 1 COUNT 2", "XRANGE s 9 3",
                "XRANGE s (- +", "XRANGE s - (+", "XRANGE s ( +", "XRANGE s (0-0 +", "XRANGE s - (0-0",
                "XRANGE s (18446744073709551615-18446744073709551615 +", "XRANGE s 5 5", "XRANGE s 5-2 5-2",
                "XRANGE s x +", "XRANGE nokey - +", "XREVRANGE nokey + -", "XRANGE s -", "XRANGE s 00005 5",
                "XRANGE s ' 5' +", "XRANGE s 5- +"));
        sameInBothProtocols(lines.toArray(new String[0]));
    }

    @Test
    void xdelAndTombstones() throws IOException {
        sameInBothProtocols(
                "XADD s 1-0 a 1", "XADD s 2-0 a 2", "XADD s 3-0 a 3", "XADD s 4-0 a 4",
                "XDEL s 2-0 9-9", "XDEL s 2-0", "XDEL s 1-0 bad", "XRANGE s - +", "XDEL s 1-0 3-0 4-0",
                "XLEN s", "EXISTS s", "XRANGE s - +", "XINFO STREAM s", "XADD s 4-0 a b", "XADD s 5-0 a b",
                "XDEL nokey 1-0", "XDEL s", "XDEL s +", "SET str v", "XDEL str 1-0", "XINFO STREAM s");
    }

    @Test
    void trimmingExactAndApproximate() throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("CONFIG SET stream-node-max-entries 10");
        for (int i = 1; i <= 55; i++) {
            lines.add("XADD s " + i + "-0 f " + i);
        }
        lines.addAll(List.of("XTRIM s MAXLEN ~ 42", "XLEN s", "XTRIM s MAXLEN ~ 42 LIMIT 5", "XTRIM s MAXLEN = 45",
                "XLEN s", "XTRIM s MAXLEN 44", "XRANGE s - + COUNT 2", "XTRIM s MINID ~ 25", "XTRIM s MINID 27",
                "XRANGE s - + COUNT 2", "XTRIM s MINID ~ 40 LIMIT 10", "XTRIM s MINID ~ 40 LIMIT 0", "XLEN s",
                "XTRIM s MAXLEN 0", "XLEN s", "EXISTS s", "XINFO STREAM s",
                "XTRIM s", "XTRIM s MAXLEN", "XTRIM s MAXLEN -1", "XTRIM s MAXLEN x", "XTRIM s MINID x",
                "XTRIM s MINID - ", "XTRIM s MAXLEN 1 MINID 1", "XTRIM s MAXLEN 1 LIMIT 1", "XTRIM s LIMIT 1",
                "XTRIM s MAXLEN ~ 1 LIMIT -1", "XTRIM s FOO", "XTRIM nokey MAXLEN 1", "XTRIM nokey FOO 1"));
        for (int i = 100; i <= 130; i++) {
            lines.add("XADD t MAXLEN ~ 12 " + i + "-0 f " + i);
        }
        lines.addAll(List.of("XLEN t", "XADD t MINID ~ 125 131-0 f x", "XLEN t", "XADD t MINID 129 132-0 f x",
                "XRANGE t - +", "XADD t MAXLEN ~ 2 LIMIT 3 133-0 f x", "XLEN t", "XADD t MAXLEN 1 MINID 1 * f x",
                "XADD t LIMIT 5 * f x", "XADD t MAXLEN 1 LIMIT 5 * f x", "XADD t MAXLEN -3 * f x",
                "XADD t MINID bad * f x", "XADD t MAXLEN ~ x * f x", "CONFIG SET stream-node-max-entries 100"));
        sameInBothProtocols(lines.toArray(new String[0]));
    }

    @Test
    void largeValuesAndNodeLimits() throws IOException {
        String big = "x".repeat(5000);
        List<String> lines = new ArrayList<>(List.of("CONFIG SET stream-node-max-bytes 1024",
                "XADD s 1-0 f " + big, "XADD s 2-0 f small", "XADD s 3-0 " + big + " v", "XADD s 4-0 f small g h"));
        for (int i = 5; i < 40; i++) {
            lines.add("XADD s " + i + "-0 f " + "y".repeat(i * 10));
        }
        lines.addAll(List.of("XLEN s", "XRANGE s 30 +", "XINFO STREAM s", "XTRIM s MAXLEN ~ 10", "XINFO STREAM s",
                "CONFIG SET stream-node-max-bytes 0", "CONFIG SET stream-node-max-entries 0", "XADD s 50-0 a b",
                "XINFO STREAM s", "CONFIG SET stream-node-max-bytes 4096", "CONFIG SET stream-node-max-entries 100"));
        sameInBothProtocols(lines.toArray(new String[0]));
    }

    /** objectComputeSize's model: listpack allocations (pre-allocated, grown, shrunk), radix trees, groups. */
    @Test
    void memoryUsageAsRedisComputesIt() throws IOException {
        List<String> lines = new ArrayList<>(List.of("XADD s 1-0 a b", "MEMORY USAGE s", "XGROUP CREATE s g 0",
                "XREADGROUP GROUP g alice STREAMS s >", "MEMORY USAGE s"));
        for (int i = 2; i < 300; i++) {
            lines.add("XADD s " + i + "-0 f" + (i % 3) + " " + "v".repeat(1 + i % 37) + (i % 5 == 0 ? " g h" : ""));
            if (i % 41 == 0) {
                lines.addAll(List.of("MEMORY USAGE s", "MEMORY USAGE s SAMPLES 0", "MEMORY USAGE s SAMPLES 1"));
            }
        }
        lines.addAll(List.of("XREADGROUP GROUP g bob COUNT 50 STREAMS s >", "XGROUP CREATE s g2 0",
                "XREADGROUP GROUP g2 carol COUNT 200 STREAMS s >", "MEMORY USAGE s SAMPLES 0",
                "XDEL s 5-0 6-0 7-0 200-0", "MEMORY USAGE s SAMPLES 0", "XTRIM s MAXLEN 150", "MEMORY USAGE s",
                "XTRIM s MAXLEN ~ 100", "MEMORY USAGE s SAMPLES 0", "COPY s s2", "MEMORY USAGE s2 SAMPLES 0",
                "DEBUG RELOAD", "MEMORY USAGE s SAMPLES 0", "XADD s 400-0 a b", "MEMORY USAGE s SAMPLES 0",
                "CONFIG SET stream-node-max-bytes 1000", "CONFIG SET stream-node-max-entries 7"));
        for (int i = 1; i < 60; i++) {
            lines.add("XADD t " + i + "-0 f " + "x".repeat(1 + (i * 37) % 300));
        }
        lines.addAll(List.of("MEMORY USAGE t SAMPLES 0", "MEMORY USAGE t", "XTRIM t MAXLEN 30",
                "MEMORY USAGE t SAMPLES 0", "XGROUP CREATE e g $ MKSTREAM", "MEMORY USAGE e",
                "CONFIG SET stream-node-max-bytes 4096", "CONFIG SET stream-node-max-entries 100"));
        sameInBothProtocols(lines.toArray(new String[0]));
    }

    @Test
    void xsetid() throws IOException {
        sameInBothProtocols(
                "XADD s 5-0 a b", "XSETID s 4-0", "XSETID s 5-0", "XSETID s 10-0", "XADD s 9-0 a b",
                "XSETID s 10-0 ENTRIESADDED 0", "XSETID s 10-0 ENTRIESADDED -1", "XSETID s 10-0 ENTRIESADDED x",
                "XSETID s 10-0 ENTRIESADDED 7 MAXDELETEDID 3-0", "XINFO STREAM s", "XSETID s 10-0 MAXDELETEDID 11-0",
                "XSETID s 10-0 MAXDELETEDID bad", "XSETID s 10-0 FOO 1", "XSETID s bad", "XSETID s +",
                "XSETID nokey 1-0", "XSETID nokey bad", "SET str v", "XSETID str 1-0", "XDEL s 5-0",
                "XSETID s 1-0", "XINFO STREAM s", "XSETID s 18446744073709551615-18446744073709551615",
                "XADD s * a b", "XADD s 18446744073709551615-18446744073709551615 a b");
    }

    @Test
    void groupsAndReads() throws IOException {
        sameInBothProtocols(
                "XADD s 1-0 a 1", "XADD s 2-0 b 2", "XADD s 3-0 c 3",
                "XGROUP CREATE s g 0", "XGROUP CREATE s g 0", "XGROUP CREATE nokey g 0",
                "XGROUP CREATE nokey g $ MKSTREAM", "TYPE nokey", "XGROUP CREATE s g2 $ ENTRIESREAD 3",
                "XGROUP CREATE s g3 $ ENTRIESREAD -5", "XGROUP CREATE s g3 $ FOO", "XGROUP CREATE s g4 -",
                "XGROUP CREATE s g4 bad", "XGROUP CREATE s g5 1-0 MKSTREAM ENTRIESREAD 1", "XGROUP CREATE s",
                "XGROUP SETID s nog 0", "XGROUP SETID s g5 0 ENTRIESREAD 0", "XGROUP SETID s g5 0 MKSTREAM",
                "XGROUP SETID s g5 $", "XGROUP SETID nokey2 g 0", "XGROUP CREATECONSUMER s g alice",
                "XGROUP CREATECONSUMER s g alice", "XGROUP CREATECONSUMER s nog alice", "XINFO GROUPS s",
                "XREADGROUP GROUP g bob COUNT 1 STREAMS s >", "XREADGROUP GROUP g bob STREAMS s >",
                "XREADGROUP GROUP g bob STREAMS s >", "XREADGROUP GROUP g bob STREAMS s 0",
                "XREADGROUP GROUP g bob COUNT 1 STREAMS s 1-0", "XREADGROUP GROUP g alice STREAMS s 0",
                "XREADGROUP GROUP nog bob STREAMS s >", "XREADGROUP GROUP g bob STREAMS nokey3 >",
                "XREADGROUP GROUP g bob STREAMS s $", "XREADGROUP GROUP g bob STREAMS s",
                "XREADGROUP GROUP g bob STREAMS s bad", "XREADGROUP STREAMS s >", "XREADGROUP GROUP g STREAMS s >",
                "XREAD GROUP g bob STREAMS s >", "XREAD NOACK STREAMS s 0", "XREAD STREAMS s >",
                "XREAD STREAMS s 0", "XREAD COUNT 2 STREAMS s nokey3 0 0", "XREAD STREAMS s $",
                "XREAD STREAMS s 1-0 s 2-0", "XREAD COUNT x STREAMS s 0", "XREAD BLOCK x STREAMS s 0",
                "XREAD BLOCK -1 STREAMS s 0", "XREAD FOO STREAMS s 0", "XREAD STREAMS", "XREAD COUNT 1",
                "XREAD STREAMS s 3-0", "XREAD STREAMS s +", "XADD s 4-0 d 4",
                "XREADGROUP GROUP g2 carol NOACK STREAMS s >", "XINFO GROUPS s", "XINFO STREAM s",
                "XPENDING s g", "XPENDING s g2", "XPENDING s nog", "XPENDING nokey4 g",
                "XPENDING s g - + abc", "XPENDING s g IDLE abc - + 10", "XPENDING s g IDLE 0 - +",
                "XPENDING s g - +", "XPENDING s g x + 10", "XPENDING s g - + 0",
                "XPENDING s g - + 10 nobody", "XPENDING s g (3-0 (1-0 10",
                "XACK s g 1-0 bad", "XACK s g 1-0 1-0 9-9", "XACK s nog 1-0", "XACK nokey4 g 1-0", "XACK s g",
                "XPENDING s g", "XINFO GROUPS s", "SET str v", "XREAD STREAMS str 0", "XREADGROUP GROUP g c STREAMS str >",
                "XGROUP CREATE str g 0", "XACK str g 1-0", "XPENDING str g", "XINFO GROUPS str");
    }

    /** Replies that carry delivery, seen or idle times: compared with those times masked. */
    @Test
    void claimsAndPendingDetails() throws IOException {
        String[][] script = {
                {"XADD", "s", "1-0", "a", "1"}, {"XADD", "s", "2-0", "b", "2"}, {"XADD", "s", "3-0", "c", "3"},
                {"XADD", "s", "4-0", "d", "4"}, {"XGROUP", "CREATE", "s", "g", "0"},
                {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"},
                {"XPENDING", "s", "g", "-", "+", "10"}, {"XPENDING", "s", "g", "-", "+", "10", "bob"},
                {"XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10"},
                {"XPENDING", "s", "g", "-", "+", "10", "bob", "extra"},
                {"XCLAIM", "s", "g", "alice", "0", "2-0", "JUSTID"}, {"XCLAIM", "s", "g", "alice", "0", "2-0", "3-0"},
                {"XCLAIM", "s", "g", "alice", "0", "2-0", "FOO"}, {"XCLAIM", "s", "g", "alice", "abc", "2-0"},
                {"XCLAIM", "s", "nog", "alice", "0", "2-0"}, {"XCLAIM", "s", "g", "alice", "0", "2-0", "IDLE", "x"},
                {"XCLAIM", "s", "g", "alice", "0", "2-0", "TIME", "x"},
                {"XCLAIM", "s", "g", "alice", "0", "2-0", "RETRYCOUNT", "x"},
                {"XCLAIM", "s", "g", "alice", "0", "2-0", "LASTID", "bad"},
                {"XCLAIM", "s", "g", "alice", "3600000", "1-0"}, {"XPENDING", "s", "g", "-", "+", "10"},
                {"XDEL", "s", "3-0"}, {"XCLAIM", "s", "g", "dave", "0", "2-0", "3-0", "RETRYCOUNT", "7"},
                {"XPENDING", "s", "g", "-", "+", "10"}, {"XCLAIM", "s", "g", "dave", "0", "1-0", "FORCE", "JUSTID"},
                {"XCLAIM", "s", "g", "erin", "0", "4-0", "TIME", "1000", "RETRYCOUNT", "3", "LASTID", "9-0"},
                {"XINFO", "GROUPS", "s"}, {"XADD", "s", "5-0", "e", "5"},
                {"XCLAIM", "s", "g", "erin", "0", "5-0", "FORCE", "IDLE", "5000"},
                {"XPENDING", "s", "g"}, {"XPENDING", "s", "g", "-", "+", "10"},
                {"XAUTOCLAIM", "s", "g", "frank", "0", "0", "COUNT", "1"},
                {"XAUTOCLAIM", "s", "g", "frank", "0", "0", "COUNT", "0"},
                {"XAUTOCLAIM", "s", "g", "frank", "0", "0", "COUNT", "x"},
                {"XAUTOCLAIM", "s", "g", "frank", "0", "0", "FOO"}, {"XAUTOCLAIM", "s", "nog", "frank", "0", "0"},
                {"XAUTOCLAIM", "s", "g", "frank", "x", "0"}, {"XAUTOCLAIM", "s", "g", "frank", "0", "bad"},
                {"XAUTOCLAIM", "s", "g", "frank", "0", "(18446744073709551615-18446744073709551615"},
                {"XAUTOCLAIM", "s", "g", "frank", "3600000", "0"},
                {"XDEL", "s", "4-0"}, {"XAUTOCLAIM", "s", "g", "gina", "0", "0", "JUSTID"},
                {"XAUTOCLAIM", "s", "g", "gina", "0", "(2-0", "COUNT", "10"},
                {"XINFO", "CONSUMERS", "s", "g"}, {"XINFO", "CONSUMERS", "s", "nog"},
                {"XINFO", "STREAM", "s", "FULL"}, {"XINFO", "STREAM", "s", "FULL", "COUNT", "1"},
                {"XINFO", "STREAM", "s", "FULL", "COUNT"}, {"XINFO", "STREAM", "s", "FULL", "COUNT", "x"},
                {"XINFO", "STREAM", "s", "FOO"}, {"XINFO", "STREAM", "nokey"}, {"XINFO", "GROUPS", "s", "x"},
                {"XINFO", "HELP"}, {"XINFO", "HELP", "x"}, {"XINFO", "FOO", "s"}, {"XINFO"},
                {"XGROUP", "DELCONSUMER", "s", "g", "erin"}, {"XGROUP", "DELCONSUMER", "s", "g", "erin"},
                {"XGROUP", "DELCONSUMER", "s", "nog", "erin"}, {"XPENDING", "s", "g"},
                {"XGROUP", "DESTROY", "s", "g"}, {"XGROUP", "DESTROY", "s", "g"}, {"XGROUP", "DESTROY", "nokey", "g"},
                {"XGROUP", "FOO", "s", "g"}, {"XGROUP", "HELP"}, {"XGROUP", "DESTROY", "s", "g", "x"},
                {"XINFO", "GROUPS", "s"}, {"XINFO", "STREAM", "s"}};
        for (int protocol = 2; protocol <= 3; protocol++) {
            try (Twin.Session s = twin.session()) {
                hello(s, protocol);
                s.same("FLUSHALL");
                for (String[] cmd : script) {
                    String r = s.redis.call(cmd);
                    String a = s.cascade.call(cmd);
                    assertEquals(masked(RespText.parse(r)), masked(RespText.parse(a)), "reply to " + String.join(" ", cmd));
                }
            }
        }
    }

    /**
     * The reply with its clock-dependent numbers replaced: the values after "seen-time" and "idle", the idle time
     * or delivery time of PEL entries ([id, consumer, time, count] and [id, time, count]).
     */
    private static Object masked(Object o) {
        if (!(o instanceof List<?> l)) {
            return o;
        }
        List<Object> out = new ArrayList<>();
        for (Object x : l) {
            out.add(masked(x));
        }
        for (int i = 0; i + 1 < out.size(); i += 2) {
            if ("seen-time".equals(out.get(i)) || "idle".equals(out.get(i))) {
                out.set(i + 1, "time");
            }
        }
        boolean idFirst = !out.isEmpty() && out.get(0) instanceof String s0 && ID.matcher(s0).matches();
        if (idFirst && out.size() == 4 && out.get(1) instanceof String && isInt(out.get(2)) && isInt(out.get(3))) {
            out.set(2, "time");
        } else if (idFirst && out.size() == 3 && isInt(out.get(1)) && isInt(out.get(2))) {
            out.set(1, "time");
        }
        return out;
    }

    private static boolean isInt(Object o) {
        return o instanceof String s && s.startsWith(":");
    }

    @Test
    void typeCopyRenameAndTransactions() throws IOException {
        sameInBothProtocols(
                "XADD s 1-0 a 1", "XGROUP CREATE s g 0", "XREADGROUP GROUP g c STREAMS s >", "TYPE s",
                "OBJECT ENCODING s", "COPY s s2", "XINFO STREAM s2", "XPENDING s2 g", "XACK s2 g 1-0",
                "XPENDING s g", "RENAME s2 s3", "XINFO GROUPS s3", "EXISTS s2",
                "MULTI", "XADD s 2-0 b 2", "XREAD STREAMS s 1-0", "XREAD BLOCK 0 STREAMS s $",
                "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "XLEN s", "EXEC", "XPENDING s g",
                "LPUSH l x", "XGROUP CREATE l g 0", "XINFO STREAM l", "XCLAIM l g c 0 1-0", "XAUTOCLAIM l g c 0 0",
                "XPENDING l g", "XTRIM l MAXLEN 1", "XSETID l 1-0", "XDEL l 1-0", "XRANGE l - +", "XREVRANGE l + -");
    }

    /** Which stream commands signal the key to WATCH (Redis's signalModifiedKey): the EXEC after each tells. */
    @Test
    void watchSeesTheCommandsThatSignalTheKey() throws IOException {
        List<String> commands = List.of("XADD s 5-0 a b", "XADD s 1-0 a b", "XDEL s 2-0", "XDEL s 9-9",
                "XTRIM s MAXLEN 1", "XTRIM s MAXLEN 100", "XSETID s 100-0", "XGROUP CREATE s g2 0",
                "XGROUP SETID s g 0", "XGROUP CREATECONSUMER s g new", "XREADGROUP GROUP g c STREAMS s >",
                "XACK s g 2-0", "XCLAIM s g c2 0 3-0", "XAUTOCLAIM s g c3 0 0", "XGROUP DELCONSUMER s g c",
                "XGROUP DESTROY s g", "XGROUP CREATE n g $ MKSTREAM", "XREAD STREAMS s 0", "XINFO STREAM s");
        for (String command : commands) {
            try (Twin.Session watcher = twin.session(); Twin.Session other = twin.session()) {
                other.same("FLUSHALL");
                for (String setup : List.of("XADD s 2-0 a b", "XADD s 3-0 a b", "XGROUP CREATE s g 0",
                        "XREADGROUP GROUP g c COUNT 1 STREAMS s >")) {
                    other.same(c(setup));
                }
                watcher.same("WATCH", "s", "n");
                other.same(c(command));
                watcher.same("MULTI");
                watcher.same("PING");
                watcher.same("EXEC"); // null when the command touched a watched key
            }
        }
    }

    // ---- blocking reads ----

    private RawConnection[] conn(int protocol) throws IOException {
        RawConnection[] c = {new RawConnection(twin.redis.port()), new RawConnection(twin.cascade.port())};
        open.add(c);
        if (protocol == 3) {
            send(c, "HELLO 3");
            c[0].readReply();
            c[1].readReply();
        }
        return c;
    }

    private static void send(RawConnection[] c, String line) throws IOException {
        c[0].send(RawConnection.encode(c(line)));
        c[1].send(RawConnection.encode(c(line)));
    }

    private static String read(RawConnection[] c, String what) throws IOException {
        String expected = c[0].readReply();
        assertEquals(expected, c[1].readReply(), what);
        return expected;
    }

    private static void run(RawConnection[] c, String... lines) throws IOException {
        for (String line : lines) {
            send(c, line);
            read(c, line);
        }
    }

    private RawConnection[] blocked(int protocol, int n, String line) throws IOException {
        RawConnection[] c = conn(protocol);
        send(c, line);
        awaitBlocked(n);
        return c;
    }

    private static void awaitBlocked(int n) throws IOException {
        twin.awaitBlocked(n);
    }

    @Test
    void blockedReadersAreServedInOrder() throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            RawConnection[] w = conn(protocol);
            run(w, "FLUSHALL", "XADD s 1-0 a 1", "XGROUP CREATE s g $");
            RawConnection[] r1 = blocked(protocol, 1, "XREAD BLOCK 0 STREAMS s $");
            RawConnection[] r2 = blocked(protocol, 2, "XREAD COUNT 1 BLOCK 0 STREAMS nokey s 0-0 1-0");
            RawConnection[] g1 = blocked(protocol, 3, "XREADGROUP GROUP g c1 BLOCK 0 STREAMS s >");
            RawConnection[] g2 = blocked(protocol, 4, "XREADGROUP GROUP g c2 COUNT 5 BLOCK 0 STREAMS s >");
            RawConnection[] n1 = blocked(protocol, 5, "XREADGROUP GROUP g c3 NOACK BLOCK 0 STREAMS s >");
            // the first XADD serves both readers and the first group reader; the others wait for more
            run(w, "XADD s 2-0 b 2");
            read(r1, "XREAD $");
            read(r2, "XREAD on two keys");
            read(g1, "first consumer");
            awaitBlocked(2);
            run(w, "MULTI", "XADD s 3-0 c 3", "XADD s 4-0 d 4", "EXEC");
            read(g2, "second consumer, both entries of the transaction");
            awaitBlocked(1);
            run(w, "XADD s 5-0 e 5");
            read(n1, "NOACK consumer");
            awaitBlocked(0);
            run(w, "XPENDING s g", "XINFO GROUPS s", "XREADGROUP GROUP g c1 STREAMS s 0", "DEBUG DIGEST");
        }
    }

    @Test
    void blockedGroupReadersEndWhenTheirGroupOrKeyGoes() throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            RawConnection[] w = conn(protocol);
            run(w, "FLUSHALL", "XGROUP CREATE s g $ MKSTREAM", "XGROUP CREATE s2 g $ MKSTREAM",
                    "XGROUP CREATE s3 g $ MKSTREAM", "XGROUP CREATE s4 g $ MKSTREAM");
            RawConnection[] g = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
            run(w, "XGROUP DESTROY s g");
            read(g, "group destroyed: -NOGROUP");
            RawConnection[] d = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s2 >");
            RawConnection[] x = blocked(protocol, 2, "XREAD BLOCK 0 STREAMS s2 $");
            run(w, "DEL s2");
            read(d, "key deleted: -UNBLOCKED");
            awaitBlocked(1); // XREAD waits on
            run(w, "XADD s2 1-0 a b");
            read(x, "XREAD served by the new stream");
            RawConnection[] t = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s3 >");
            run(w, "SET s3 string");
            read(t, "type changed: -UNBLOCKED");
            RawConnection[] m = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s4 >");
            run(w, "MULTI", "DEL s4", "SADD s4 member", "EXEC");
            read(m, "replaced in a transaction: -UNBLOCKED");
            run(w, "XREADGROUP GROUP g c BLOCK 0 STREAMS s5 s > >");
            run(w, "XGROUP CREATE s6 g $ MKSTREAM");
            RawConnection[] fl = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s6 >");
            run(w, "FLUSHDB");
            read(fl, "flushed: -UNBLOCKED");
            // SWAPDB: another type, no key, or a stream without the group in the database swapped in
            for (String other : List.of("SET s7 x", "PING", "XGROUP CREATE s7 other $ MKSTREAM")) {
                run(w, "FLUSHALL", "XGROUP CREATE s7 g $ MKSTREAM", "SELECT 1", other, "SELECT 0");
                RawConnection[] sw = blocked(protocol, 1, "XREADGROUP GROUP g c BLOCK 0 STREAMS s7 >");
                run(w, "SWAPDB 0 1");
                read(sw, "swapped with a database where s7 is: " + other);
            }
            awaitBlocked(0);
        }
    }

    @Test
    void blockedReadsTimeOutAndDoNotBlockInTransactions() throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            RawConnection[] c = conn(protocol);
            run(c, "FLUSHALL", "XADD s 1-0 a 1", "XGROUP CREATE s g $");
            for (String line : List.of("XREAD BLOCK 50 STREAMS s $", "XREADGROUP GROUP g c BLOCK 50 STREAMS s >",
                    "XREAD BLOCK 30 STREAMS nokey 0")) {
                long start = System.nanoTime();
                send(c, line);
                read(c, line);
                assertTrue(System.nanoTime() - start >= 30_000_000L, "waited for the timeout of " + line);
            }
            run(c, "MULTI", "XREAD BLOCK 0 STREAMS s $", "XREADGROUP GROUP g c BLOCK 0 STREAMS s >", "EXEC");
            // a history read never blocks
            run(c, "XREADGROUP GROUP g c BLOCK 0 STREAMS s 0");
            RawConnection[] w = blocked(protocol, 1, "XREAD BLOCK 2000 STREAMS s $");
            run(c, "XADD s 2-0 b 2");
            read(w, "served before its timeout");
            awaitBlocked(0);
        }
        twin.sameDigest();
    }
}
