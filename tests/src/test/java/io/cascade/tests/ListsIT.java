package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The list family on redis-server and on Cascade side by side: every reply compared byte for byte, errors
 * included, in RESP2 and RESP3, and the datasets compared with DEBUG DIGEST.
 */
@ExtendWith(Servers.class)
class ListsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    private static String[] c(String... words) {
        return words;
    }

    /** Runs the commands on one connection each, first switching both to RESP3 when resp3 is set. */
    private static void session(boolean resp3, String[]... commands) throws IOException {
        try (Twin.Session s = twin.session()) {
            if (resp3) {
                s.redis.call("HELLO", "3");
                s.cascade.call("HELLO", "3");
            }
            for (String[] cmd : commands) {
                s.same(cmd);
            }
        }
    }

    @Test
    void pushesAndLengths() throws IOException {
        twin.sameAll(c("RPUSH", "l", "a", "b", "c"), c("LPUSH", "l", "x", "y"), c("LLEN", "l"),
                c("LRANGE", "l", "0", "-1"), c("LPUSHX", "l", "p"), c("RPUSHX", "l", "q", "r"),
                c("LPUSHX", "nokey", "p"), c("RPUSHX", "nokey", "p"), c("LLEN", "nokey"), c("LRANGE", "l", "0", "-1"),
                c("LPUSH", "l"), c("RPUSH"), c("LPUSHX", "l"), c("LLEN"), c("LLEN", "a", "b"),
                c("RPUSH", "n", "1", "2", "3", "-4", "12345678901234567890", ""), c("LRANGE", "n", "0", "-1"));
        twin.sameAll(c("SET", "s", "v"), c("LPUSH", "s", "a"), c("RPUSH", "s", "a"), c("LPUSHX", "s", "a"),
                c("RPUSHX", "s", "a"), c("LLEN", "s"), c("LRANGE", "s", "0", "1"), c("LINDEX", "s", "0"),
                c("LSET", "s", "0", "x"), c("LINSERT", "s", "BEFORE", "a", "b"), c("LREM", "s", "0", "a"),
                c("LTRIM", "s", "0", "1"), c("LPOS", "s", "a"), c("LPOP", "s"), c("RPOP", "s", "2"),
                c("LMPOP", "1", "s", "LEFT"), c("RPOPLPUSH", "s", "l"), c("RPOPLPUSH", "l", "s"),
                c("LMOVE", "s", "l", "LEFT", "RIGHT"), c("LMOVE", "l", "s", "LEFT", "RIGHT"), c("LLEN", "l"));
        twin.sameDigest();
    }

    @Test
    void indexAndSet() throws IOException {
        twin.sameAll(c("RPUSH", "l", "a", "b", "c", "d"), c("LINDEX", "l", "0"), c("LINDEX", "l", "3"),
                c("LINDEX", "l", "4"), c("LINDEX", "l", "-1"), c("LINDEX", "l", "-4"), c("LINDEX", "l", "-5"),
                c("LINDEX", "l", "x"), c("LINDEX", "l", "1.5"), c("LINDEX", "l", "-9223372036854775808"),
                c("LINDEX", "l", "9223372036854775808"), c("LINDEX", "nokey", "0"), c("LINDEX", "nokey", "x"),
                c("LSET", "l", "0", "A"), c("LSET", "l", "-1", "D"), c("LSET", "l", "4", "z"),
                c("LSET", "l", "-5", "z"), c("LSET", "l", "x", "z"), c("LSET", "nokey", "0", "z"),
                c("LSET", "nokey", "x", "z"), c("LRANGE", "l", "0", "-1"), c("LSET", "l", "0"));
        session(true, c("RPUSH", "l", "a"), c("LINDEX", "l", "5"), c("LINDEX", "nokey", "0"));
        twin.sameDigest();
    }

    @Test
    void rangesAndTrims() throws IOException {
        List<String> push = new ArrayList<>(List.of("RPUSH", "l"));
        for (int i = 0; i < 10; i++) {
            push.add("e" + i);
        }
        twin.same(push.toArray(new String[0]));
        String[] bounds = {"0", "1", "5", "9", "10", "100", "-1", "-3", "-10", "-11", "-100",
                "9223372036854775807", "-9223372036854775808"};
        try (Twin.Session s = twin.session()) {
            for (String a : bounds) {
                for (String b : bounds) {
                    s.same("LRANGE", "l", a, b);
                }
            }
            s.same("LRANGE", "l", "x", "1");
            s.same("LRANGE", "l", "0", "y");
            s.same("LRANGE", "nokey", "0", "-1");
            s.same("LRANGE", "nokey", "x", "-1");
            s.same("LRANGE", "l", "0");
        }
        for (String[] t : new String[][] {{"1", "-2"}, {"-100", "100"}, {"2", "1"}, {"0", "0"}}) {
            twin.sameAll(c("LTRIM", "l", t[0], t[1]), c("LRANGE", "l", "0", "-1"), c("LLEN", "l"));
        }
        twin.sameAll(c("LTRIM", "nokey", "0", "1"), c("LTRIM", "l", "a", "1"), c("LTRIM", "l", "0", "b"),
                c("RPUSH", "m", "1", "2", "3"), c("LTRIM", "m", "5", "10"), c("LLEN", "m"), c("LPUSHX", "m", "x"),
                c("LTRIM", "m", "0"));
        twin.sameDigest();
    }

    @Test
    void insertsAndRemovals() throws IOException {
        twin.sameAll(c("RPUSH", "l", "a", "b", "c", "b", "a"), c("LINSERT", "l", "BEFORE", "b", "x"),
                c("LINSERT", "l", "after", "b", "y"), c("LINSERT", "l", "AFTER", "a", "z"),
                c("LINSERT", "l", "before", "nope", "z"), c("LINSERT", "l", "middle", "a", "z"),
                c("LINSERT", "nokey", "BEFORE", "a", "z"), c("LINSERT", "nokey", "bad", "a", "z"),
                c("LRANGE", "l", "0", "-1"), c("LREM", "l", "1", "b"), c("LREM", "l", "-1", "a"),
                c("LRANGE", "l", "0", "-1"), c("LREM", "l", "0", "nope"), c("LREM", "l", "x", "a"),
                c("LREM", "nokey", "0", "a"), c("LREM", "nokey", "x", "a"));
        twin.sameAll(c("RPUSH", "r", "1", "2", "1", "1", "3", "1"), c("LREM", "r", "-2", "1"),
                c("LRANGE", "r", "0", "-1"), c("LREM", "r", "0", "1"), c("LRANGE", "r", "0", "-1"),
                c("LREM", "r", "5", "2"), c("LREM", "r", "5", "3"), c("LLEN", "r"), c("LINSERT", "r", "BEFORE", "1"));
        // a long list: inserts and removals in the middle move the shorter side
        List<String> push = new ArrayList<>(List.of("RPUSH", "big"));
        for (int i = 0; i < 500; i++) {
            push.add(Integer.toString(i % 7));
        }
        twin.same(push.toArray(new String[0]));
        twin.sameAll(c("LINSERT", "big", "BEFORE", "3", "first3"), c("LINSERT", "big", "AFTER", "6", "after6"),
                c("LREM", "big", "-10", "5"), c("LREM", "big", "20", "2"), c("LREM", "big", "0", "0"),
                c("LSET", "big", "250", "mid"), c("LRANGE", "big", "0", "-1"), c("LTRIM", "big", "100", "-100"),
                c("LRANGE", "big", "0", "-1"));
        twin.sameDigest();
    }

    @Test
    void lposOptionsAndErrors() throws IOException {
        twin.same("RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c");
        String[][] cases = {
            {"c"}, {"x"}, {"c", "RANK", "2"}, {"c", "RANK", "-1"}, {"c", "RANK", "-3"}, {"c", "RANK", "4"},
            {"c", "COUNT", "0"}, {"c", "COUNT", "2"}, {"c", "COUNT", "2", "RANK", "2"}, {"c", "COUNT", "0", "RANK", "-1"},
            {"c", "MAXLEN", "3"}, {"c", "MAXLEN", "2"}, {"c", "MAXLEN", "0"}, {"c", "RANK", "-1", "MAXLEN", "1"},
            {"c", "COUNT", "0", "MAXLEN", "7"}, {"x", "COUNT", "3"}, {"c", "RANK", "0"}, {"c", "RANK", "x"},
            {"c", "COUNT", "-1"}, {"c", "COUNT", "x"}, {"c", "MAXLEN", "-1"}, {"c", "MAXLEN", "x"},
            {"c", "RANK"}, {"c", "COUNT"}, {"c", "BOGUS", "1"}, {"c", "rank", "1", "count", "1", "maxlen", "10"},
            {"c", "RANK", "-9223372036854775808"}, {"c", "RANK", "9223372036854775807"},
            {"c", "COUNT", "9223372036854775807"},
        };
        for (boolean resp3 : new boolean[] {false, true}) {
            try (Twin.Session s = twin.session()) {
                if (resp3) {
                    s.redis.call("HELLO", "3");
                    s.cascade.call("HELLO", "3");
                }
                for (String[] args : cases) {
                    List<String> cmd = new ArrayList<>(List.of("LPOS", "l"));
                    cmd.addAll(List.of(args));
                    s.same(cmd.toArray(new String[0]));
                }
                s.same("LPOS", "nokey", "a");
                s.same("LPOS", "nokey", "a", "COUNT", "1");
                s.same("LPOS", "nokey", "a", "RANK", "0");
                s.same("LPOS", "l");
            }
        }
    }

    @Test
    void popsWithAndWithoutCount() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            twin.flushAll();
            session(resp3, c("RPUSH", "l", "a", "b", "c", "d", "e", "f"), c("LPOP", "l"), c("RPOP", "l"),
                    c("LPOP", "l", "2"), c("RPOP", "l", "1"), c("LPOP", "l", "0"), c("RPOP", "l", "-1"),
                    c("LPOP", "l", "x"), c("LPOP", "l", "1", "2"), c("RPOP", "l", "10"), c("LLEN", "l"),
                    c("LPOP", "l"), c("RPOP", "l"), c("LPOP", "l", "0"), c("RPOP", "l", "3"), c("LPOP", "l", "-1"),
                    c("LPOP"), c("RPOP", "l", "9223372036854775807"));
        }
        twin.sameDigest();
    }

    @Test
    void lmpopArgumentsAndReplies() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            twin.flushAll();
            session(resp3, c("RPUSH", "b", "1", "2", "3", "4"), c("LMPOP", "2", "a", "b", "LEFT"),
                    c("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "2"), c("LMPOP", "1", "b", "left", "count", "10"),
                    c("LMPOP", "2", "a", "b", "LEFT"), c("LMPOP", "0", "a", "LEFT"), c("LMPOP", "-1", "a", "LEFT"),
                    c("LMPOP", "x", "a", "LEFT"), c("LMPOP", "2", "a", "LEFT"), c("LMPOP", "1", "a", "MIDDLE"),
                    c("LMPOP", "1", "a", "LEFT", "COUNT"), c("LMPOP", "1", "a", "LEFT", "COUNT", "0"),
                    c("LMPOP", "1", "a", "LEFT", "COUNT", "x"), c("LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"),
                    c("LMPOP", "1", "a", "LEFT", "EXTRA"), c("LMPOP", "9223372036854775807", "a", "LEFT"),
                    c("LMPOP", "1", "a"), c("LMPOP", "1"));
        }
        twin.sameAll(c("RPUSH", "k", "x"), c("SET", "s", "v"), c("LMPOP", "3", "nokey", "s", "k", "LEFT"),
                c("LMPOP", "2", "k", "s", "LEFT"), c("LLEN", "k"));
        twin.sameDigest();
    }

    @Test
    void movesBetweenLists() throws IOException {
        for (String from : new String[] {"LEFT", "RIGHT"}) {
            for (String to : new String[] {"left", "right"}) {
                twin.flushAll();
                twin.sameAll(c("RPUSH", "src", "a", "b", "c"), c("RPUSH", "dst", "x"), c("LMOVE", "src", "dst", from, to),
                        c("LMOVE", "src", "new", from, to), c("LMOVE", "src", "src", from, to),
                        c("LRANGE", "src", "0", "-1"), c("LRANGE", "dst", "0", "-1"), c("LRANGE", "new", "0", "-1"),
                        c("LMOVE", "src", "src", from, to), c("LMOVE", "src", "dst", from, to), c("LLEN", "src"),
                        c("LMOVE", "src", "dst", from, to), c("LRANGE", "dst", "0", "-1"));
                twin.sameDigest();
            }
        }
        twin.sameAll(c("RPUSH", "s1", "a", "b"), c("RPOPLPUSH", "s1", "d1"), c("RPOPLPUSH", "s1", "s1"),
                c("RPOPLPUSH", "s1", "d1"), c("RPOPLPUSH", "s1", "d1"), c("LRANGE", "d1", "0", "-1"),
                c("LMOVE", "d1", "d2", "UP", "LEFT"), c("LMOVE", "d1", "d2", "LEFT", "DOWN"),
                c("LMOVE", "nokey", "d2", "UP", "LEFT"), c("LMOVE", "nokey", "d2", "LEFT", "LEFT"),
                c("SET", "str", "v"), c("RPOPLPUSH", "d1", "str"), c("LMOVE", "d1", "str", "LEFT", "LEFT"),
                c("RPOPLPUSH", "str", "d1"), c("RPOPLPUSH", "nokey", "str"), c("LRANGE", "d1", "0", "-1"),
                c("RPOPLPUSH", "d1"), c("LMOVE", "d1", "d2", "LEFT"));
        session(true, c("RPOPLPUSH", "nokey", "x"), c("LMOVE", "nokey", "x", "LEFT", "RIGHT"));
        twin.sameDigest();
    }

    @Test
    void blockingFormsAnswerAtOnceWhenAListHasElements() throws IOException {
        twin.sameAll(c("RPUSH", "a", "1", "2", "3"), c("RPUSH", "b", "x", "y"), c("BLPOP", "nokey", "a", "0"),
                c("BRPOP", "nokey", "b", "a", "0"), c("BLPOP", "a", "0x10"), c("BLMPOP", "0", "2", "nokey", "b", "RIGHT"),
                c("BLMPOP", "1.5", "1", "b", "LEFT", "COUNT", "5"), c("RPUSH", "b", "z"),
                c("BLMOVE", "b", "c", "RIGHT", "LEFT", "0"), c("BRPOPLPUSH", "c", "c", "0"), c("LRANGE", "c", "0", "-1"),
                c("SET", "s", "v"), c("BLPOP", "nokey", "s", "0"), c("BLMOVE", "s", "c", "LEFT", "LEFT", "0"),
                c("BLMOVE", "c", "s", "LEFT", "LEFT", "0"), c("BRPOPLPUSH", "c", "s", "0"),
                c("BLMPOP", "0", "2", "nokey", "s", "LEFT"), c("LLEN", "c"));
        twin.sameDigest();
    }

    @Test
    void blockingArgumentErrors() throws IOException {
        String[] timeouts = {"-1", "-0.5", "abc", "", " 1", "1 ", "inf", "-inf", "nan", "1e400", "1e5000", "1e-5000",
            "9223372036854775807", "-9223372036854775808", "0x", "1e", "1.5e+", "1d", "1f", "+", "-"};
        try (Twin.Session s = twin.session()) {
            for (String t : timeouts) {
                s.same("BLPOP", "k", t);
                s.same("BRPOP", "k1", "k2", t);
                s.same("BLMOVE", "k", "d", "LEFT", "RIGHT", t);
                s.same("BRPOPLPUSH", "k", "d", t);
                s.same("BLMPOP", t, "1", "k", "LEFT");
            }
            s.same("BLPOP", "k");
            s.same("BLMOVE", "k", "d", "UP", "RIGHT", "-1");
            s.same("BLMOVE", "k", "d", "LEFT", "DOWN", "x");
            s.same("BLMPOP", "x", "0", "k", "LEFT");
            s.same("BLMPOP", "-1", "1", "k", "MIDDLE");
            s.same("BLMPOP", "-1", "2", "k", "LEFT");
            s.same("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0");
            s.same("BLMPOP", "0", "1", "k");
        }
    }

    @Test
    void blockingFormsInsideMultiDoNotBlock() throws IOException {
        for (boolean resp3 : new boolean[] {false, true}) {
            session(resp3, c("MULTI"), c("BLPOP", "nokey", "0"), c("BRPOP", "nokey", "other", "0"),
                    c("BLMOVE", "nokey", "d", "LEFT", "LEFT", "0"), c("BRPOPLPUSH", "nokey", "d", "0"),
                    c("BLMPOP", "0", "1", "nokey", "LEFT"), c("RPUSH", "nokey", "v"), c("BLPOP", "nokey", "0"),
                    c("EXEC"));
            session(resp3, c("MULTI"), c("BLPOP", "nokey", "-1"), c("EXEC"));
        }
        twin.sameDigest();
    }

    @Test
    void watchSeesListWrites() throws IOException {
        // LTRIM touches the key even when nothing goes; LREM and LINSERT only when they change it
        String[][] touching = {{"LTRIM", "w", "0", "-1"}, {"LREM", "w", "0", "a"}, {"LINSERT", "w", "BEFORE", "a", "x"},
            {"LSET", "w", "0", "z"}, {"RPUSH", "w", "n"}, {"LPOP", "w", "0"}, {"LREM", "w", "0", "zz"},
            {"LINSERT", "w", "BEFORE", "zz", "x"}, {"RPOPLPUSH", "w", "w"}, {"LPOS", "w", "a"}, {"LSET", "w", "9", "z"}};
        for (String[] write : touching) {
            twin.flushAll();
            try (Twin.Session watcher = twin.session(); Twin.Session writer = twin.session()) {
                writer.same("RPUSH", "w", "a", "b");
                watcher.same("WATCH", "w");
                writer.same(write);
                watcher.same("MULTI");
                watcher.same("LLEN", "w");
                watcher.same("EXEC");
            }
        }
    }

    @Test
    void commandInfoMatchesRedis() throws IOException {
        twin.same("COMMAND", "INFO", "lpush", "rpush", "lpushx", "rpushx", "lpop", "rpop", "llen", "lrange", "lindex",
                "lset", "linsert", "lrem", "ltrim", "lpos", "rpoplpush", "lmove", "lmpop", "blpop", "brpop", "blmove",
                "brpoplpush", "blmpop");
        twin.same("COMMAND", "INFO", "client|unblock");
    }
}
