package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
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

import static io.cascade.tests.CollectionReplies.flat;
import static io.cascade.tests.CollectionReplies.hello;
import static io.cascade.tests.CollectionReplies.sameUnordered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sorted-set commands on redis-server and Cascade side by side: every reply compared in RESP2 and RESP3,
 * encodings at the listpack thresholds, DEBUG DIGEST, and the blocking pops with several connections.
 */
@ExtendWith(Servers.class)
class ZSetsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();
    private final List<RawConnection[]> open = new ArrayList<>();

    @BeforeEach
    void reset() throws IOException {
        twin.flushAll();
        twin.same("CONFIG", "SET", "zset-max-listpack-entries", "128");
        twin.same("CONFIG", "SET", "zset-max-listpack-value", "64");
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
        return line.split(" ", -1);
    }

    /** Runs each line (space separated; "''" is the empty string) in RESP2, then again in RESP3 after a flush. */
    private static void sameInBothProtocols(String... lines) throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            try (Twin.Session s = twin.session()) {
                hello(s, protocol);
                s.same("FLUSHALL");
                for (String line : lines) {
                    String[] cmd = c(line);
                    for (int i = 0; i < cmd.length; i++) {
                        cmd[i] = cmd[i].equals("''") ? "" : cmd[i];
                    }
                    s.same(cmd);
                }
            }
        }
    }

    @Test
    void zaddOptionsAndScores() throws IOException {
        sameInBothProtocols(
                "ZADD z 1 a 2 b 3 c", "ZADD z NX XX 1 a", "ZADD z GT LT 1 a", "ZADD z GT NX 1 a", "ZADD z LT NX 1 a",
                "ZADD z INCR 1 a 2 b", "ZADD z 1", "ZADD z", "ZADD z abc a", "ZADD z nan a", "ZADD z 1e400 a",
                "ZADD z  1 a", "ZADD z 1e-400 a", "ZADD z 0x10 hex", "ZADD z 1e-310 subnormal", "ZADD z inf pinf -inf ninf",
                "ZADD z CH 5 a 2 b 7 new", "ZADD z XX CH 10 a 11 nothere", "ZADD z GT CH 1 a 20 b", "ZADD z LT CH 100 a 0 b",
                "ZADD z XX GT 50 a", "ZADD z INCR 1.5 a", "ZADD z XX INCR 1 nope", "ZADD z NX INCR 1 a",
                "ZADD z INCR -inf pinf", "ZADD z INCR +inf ninf", "ZADD z GT INCR -1 a", "ZINCRBY z 2.5 c", "ZINCRBY z abc c",
                "ZINCRBY nokey 3 m", "ZINCRBY z nx c", "ZADD nokey XX 1 a", "EXISTS nokey", "ZADD z 1 ''", "ZSCORE z ''",
                "ZADD neg -0 m", "ZSCORE neg m", "ZADD big 1e17 a 1.5e300 b 0.1 c 123456789012345678 d 3.0000000000000004 e",
                "ZRANGE big 0 -1 WITHSCORES", "ZSCAN big 0", "ZSCORE z a", "ZSCORE z nope", "ZSCORE nokey a",
                "ZMSCORE z a nope b", "ZMSCORE nokey a b", "ZRANK z a", "ZREVRANK z a", "ZRANK z nope", "ZRANK nokey a",
                "ZCARD z", "ZCARD nokey", "ZREM z a nope a", "ZREM nokey a", "ZRANGE z 0 -1 WITHSCORES", "TYPE z");
        twin.sameDigest();
    }

    private static long changes(RawConnection c) throws IOException {
        Matcher m = Pattern.compile("rdb_changes_since_last_save:(\\d+)").matcher(c.call("INFO", "persistence"));
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }

    /** server.dirty counts each member added, updated or removed, as Redis counts it (save rules use it). */
    @Test
    void everyChangeCountsForTheSaveRules() throws IOException {
        try (Twin.Session s = twin.session()) {
            for (String line : List.of("ZADD z 1 a 2 b 3 c 4 d 5 e", "ZADD z CH 1 a 7 b 8 c 9 f", "ZADD z NX 1 a",
                    "ZINCRBY z 1 a", "ZREM z a b nope", "ZREMRANGEBYRANK z 0 0", "ZPOPMIN z 2", "ZMPOP 1 z MAX COUNT 5",
                    "ZADD y 1 a 2 b", "ZUNIONSTORE u 1 y", "ZRANGESTORE r y 0 -1", "ZREMRANGEBYSCORE y -inf +inf")) {
                long redisBefore = changes(s.redis);
                long cascadeBefore = changes(s.cascade);
                s.same(c(line));
                assertEquals(changes(s.redis) - redisBefore, changes(s.cascade) - cascadeBefore, "changes of " + line);
            }
        }
    }

    @Test
    void ranges() throws IOException {
        sameInBothProtocols(
                "ZADD z 1 a 2 b 3 c 4 d 5 e -inf m inf p", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z -100 100", "ZRANGE z 5 1",
                "ZRANGE z 0 -1 REV WITHSCORES", "ZRANGE z -2 -1", "ZRANGE z 9223372036854775807 -9223372036854775808",
                "ZRANGE z -inf +inf BYSCORE WITHSCORES", "ZRANGE z +inf -inf BYSCORE REV WITHSCORES",
                "ZRANGE z (1 5 BYSCORE LIMIT 1 2", "ZRANGE z 1 5 BYSCORE LIMIT -1 2", "ZRANGE z 1 5 BYSCORE LIMIT 0 -1",
                "ZRANGE z 1 5 BYSCORE LIMIT 0 -5", "ZRANGE z 1 5 BYSCORE LIMIT 100 1", "ZRANGE z 0 -1 LIMIT 0 1",
                "ZRANGE z - + BYLEX WITHSCORES", "ZRANGE z - + BYLEX", "ZRANGE z [a (c BYLEX", "ZRANGE z + - BYLEX REV LIMIT 1 2",
                "ZRANGE z - + BYLEX LIMIT -1 1", "ZRANGE z a b BYLEX", "ZRANGE z x 1 BYSCORE", "ZRANGE z 1 x", "ZRANGE z 0 1 FOO",
                "ZRANGE z 0 1 BYSCORE BYLEX", "ZRANGE z 0 1 LIMIT 1", "ZRANGE z 0 1 REV REV", "ZRANGE z 5 1 BYSCORE",
                "ZRANGE z (1 (1 BYSCORE", "ZREVRANGE z 0 -1 WITHSCORES", "ZREVRANGE z 0 -1 REV", "ZREVRANGE z 0 1 BYSCORE",
                "ZRANGEBYSCORE z -inf inf WITHSCORES LIMIT 0 3", "ZRANGEBYSCORE z ( (5", "ZRANGEBYSCORE z '' 5",
                "ZRANGEBYSCORE z 1e400 5", "ZRANGEBYSCORE z nan 5", "ZRANGEBYSCORE z 1 5 BYSCORE", "ZRANGEBYSCORE z 1 5 REV",
                "ZREVRANGEBYSCORE z inf -inf WITHSCORES", "ZREVRANGEBYSCORE z (5 (1 LIMIT 1 1 WITHSCORES",
                "ZRANGEBYLEX z - +", "ZRANGEBYLEX z - + WITHSCORES", "ZREVRANGEBYLEX z + - LIMIT 0 2", "ZRANGEBYLEX z a +",
                "ZRANGEBYLEX z [b [d", "ZRANGEBYLEX z (b (d", "ZRANGEBYLEX z + -", "ZRANGEBYLEX nokey - +",
                "ZCOUNT z -inf +inf", "ZCOUNT z (1 (5", "ZCOUNT z 5 1", "ZCOUNT z a b", "ZCOUNT nokey 1 2", "ZLEXCOUNT z - +",
                "ZLEXCOUNT z [a [b", "ZLEXCOUNT z a b", "ZLEXCOUNT nokey - +",
                // lex ranges over different scores: a listpack is walked member by member (a skiplist's answer
                // depends on its random levels, in Redis too)
                "ZADD mixed 1 a 2 b 3 c 4 d 5 e -inf m inf p", "ZRANGEBYLEX mixed [c +", "ZREVRANGEBYLEX mixed (n -",
                "ZLEXCOUNT mixed [c +", "ZLEXCOUNT mixed - (b", "ZREMRANGEBYLEX mixed [c (n", "ZRANGE mixed 0 -1",
                "ZRANGESTORE dst z 0 -1", "ZRANGE dst 0 -1 WITHSCORES", "ZRANGESTORE dst z 0 -1 WITHSCORES",
                "ZRANGESTORE dst z 1 3 BYSCORE REV", "ZRANGESTORE dst z [c + BYLEX LIMIT 0 2", "ZRANGE dst 0 -1 WITHSCORES",
                "ZRANGESTORE dst z 5 1 BYSCORE", "EXISTS dst", "SET dst x", "ZRANGESTORE dst nokey 0 -1", "EXISTS dst",
                "ZREMRANGEBYRANK z 0 0", "ZREMRANGEBYRANK z 100 200", "ZREMRANGEBYRANK z -1 -100", "ZREMRANGEBYSCORE z -inf (3",
                "ZREMRANGEBYSCORE z (5 +inf", "ZREMRANGEBYLEX z - [c", "ZRANGE z 0 -1 WITHSCORES", "ZREMRANGEBYRANK z a 1",
                "ZREMRANGEBYSCORE z a 1", "ZREMRANGEBYLEX z a 1", "ZREMRANGEBYRANK nokey 0 1", "ZREMRANGEBYRANK z 0 -1",
                "EXISTS z");
        twin.sameDigest();
    }

    @Test
    void errorsAndWrongTypes() throws IOException {
        List<String> lines = new ArrayList<>(List.of("SET str v", "ZADD z 1 a"));
        for (String cmd : List.of("ZADD str 1 a", "ZINCRBY str 1 a", "ZREM str a", "ZCARD str", "ZSCORE str a",
                "ZMSCORE str a", "ZRANK str a", "ZREVRANK str a", "ZCOUNT str 0 1", "ZLEXCOUNT str - +", "ZRANGE str 0 -1",
                "ZRANGESTORE d str 0 -1", "ZREVRANGE str 0 -1", "ZRANGEBYSCORE str 0 1", "ZREVRANGEBYSCORE str 1 0",
                "ZRANGEBYLEX str - +", "ZREVRANGEBYLEX str + -", "ZREMRANGEBYRANK str 0 1", "ZREMRANGEBYSCORE str 0 1",
                "ZREMRANGEBYLEX str - +", "ZPOPMIN str", "ZPOPMAX str 2", "BZPOPMIN str 0", "BZPOPMAX nokey str 0",
                "ZMPOP 1 str MIN", "BZMPOP 0 2 nokey str MAX", "ZRANDMEMBER str", "ZRANDMEMBER str 2", "ZUNION 2 z str",
                "ZINTER 2 z str", "ZDIFF 2 z str", "ZINTERCARD 2 str z", "ZUNIONSTORE d 2 z str", "ZSCAN str 0",
                "ZADD", "ZADD z", "ZADD z 1", "ZINCRBY z 1", "ZREM z", "ZCARD", "ZSCORE z", "ZMSCORE z", "ZRANK z",
                "ZCOUNT z 1", "ZRANGE z 0", "ZRANGESTORE d z 0", "ZPOPMIN", "BZPOPMIN z", "ZMPOP 1 z", "BZMPOP 0 1 z",
                "ZRANDMEMBER", "ZUNION 1", "ZUNIONSTORE d 1", "ZSCAN z", "ZPOPMIN z 1 2", "ZPOPMIN z -1", "ZPOPMIN z x",
                "ZMPOP 0 z MIN", "ZMPOP -1 z MIN", "ZMPOP x z MIN", "ZMPOP 1 z FOO", "ZMPOP 1 z MIN COUNT 0",
                "ZMPOP 1 z MIN COUNT -1", "ZMPOP 1 z MIN COUNT 1 COUNT 2", "ZMPOP 1 z MIN COUNT", "ZMPOP 5 z MIN",
                "ZMPOP 9223372036854775807 z MIN", "BZMPOP x 1 z MIN", "BZMPOP -1 1 z MIN", "BZMPOP 0 0 z MIN",
                "BZPOPMIN z -1", "BZPOPMIN z x", "ZUNION 0 z", "ZUNION -1 z", "ZUNION x z", "ZUNION 3 z z",
                "ZUNION 2 z z WEIGHTS 1", "ZUNION 2 z z WEIGHTS 1 x", "ZUNION 1 z AGGREGATE", "ZUNION 1 z AGGREGATE FOO",
                "ZUNION 1 z LIMIT 1", "ZUNIONSTORE d 1 z WITHSCORES", "ZDIFF 1 z WEIGHTS 1", "ZDIFF 1 z AGGREGATE MIN",
                "ZINTERCARD 0 z", "ZINTERCARD 2 z", "ZINTERCARD 1 z LIMIT -1", "ZINTERCARD 1 z LIMIT x",
                "ZINTERCARD 1 z WITHSCORES", "ZINTERCARD 1 z LIMIT", "ZRANDMEMBER z 1 foo", "ZRANDMEMBER z x",
                "ZRANDMEMBER z -9223372036854775808", "ZRANDMEMBER z -9223372036854770000 WITHSCORES",
                "ZRANDMEMBER z 9223372036854775807 WITHSCORES", "ZSCAN z x", "ZSCAN z 0 COUNT 0", "ZSCAN z 0 MATCH",
                "ZSCAN nokey 0 COUNT 0", "ZADD z 1 a 2", "ZADD z INCR 1 a 2 b", "ZINCRBY z 1e400 a",
                "ZRANGEBYSCORE z 1 2 LIMIT 0", "ZRANGEBYSCORE z 1 2 LIMIT 0 x", "ZRANGEBYLEX z [a [b WITHSCORES",
                "ZRANGEBYLEX z [a b", "ZRANGEBYLEX z a [b", "ZRANGEBYLEX z ++ -", "ZRANGE z 0 -1 BYLEX",
                "ZRANGE z 0 1 WITHSCORES LIMIT 1 1", "ZRANGE z 0 1 BYLEX WITHSCORES", "GET str", "ZRANGE z 0 -1")) {
            lines.add(cmd);
        }
        sameInBothProtocols(lines.toArray(new String[0]));
    }

    @Test
    void algebra() throws IOException {
        sameInBothProtocols(
                "ZADD a 1 x 2 y 3 z", "ZADD b 10 y 20 z 30 w", "SADD s y w q", "SADD ints 1 2 3", "ZADD n 1 1 5 5",
                "ZADD pinf inf p", "ZADD ninf -inf p", "ZUNION 2 a b WITHSCORES", "ZUNION 2 a b", "ZUNION 3 a b s WITHSCORES",
                "ZUNION 2 ints n WITHSCORES", "ZUNION 2 a b WEIGHTS 2 3 WITHSCORES", "ZUNION 2 a b WEIGHTS 2.5 -inf WITHSCORES",
                "ZUNION 2 a b AGGREGATE MIN WITHSCORES", "ZUNION 2 a b AGGREGATE max WITHSCORES", "ZUNION 2 a nokey WITHSCORES",
                "ZUNION 2 pinf ninf WITHSCORES", "ZUNION 2 pinf a WEIGHTS 0 1 WITHSCORES", "ZINTER 2 pinf ninf WITHSCORES",
                "ZINTER 2 a b WITHSCORES", "ZINTER 3 a b s WITHSCORES", "ZINTER 2 a nokey", "ZINTER 2 a a WITHSCORES",
                "ZINTER 2 a b AGGREGATE MAX WEIGHTS 1 -1 WITHSCORES", "ZINTER 2 ints n WITHSCORES", "ZDIFF 2 a b WITHSCORES",
                "ZDIFF 2 a a", "ZDIFF 1 a WITHSCORES", "ZDIFF 2 b s WITHSCORES", "ZDIFF 2 nokey a", "ZDIFF 3 a nokey b",
                "ZINTERCARD 2 a b", "ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 2 a b LIMIT 0", "ZINTERCARD 3 a b s",
                "ZUNIONSTORE d 2 a b", "ZRANGE d 0 -1 WITHSCORES", "OBJECT ENCODING d", "ZINTERSTORE d 2 a b WEIGHTS 1 2",
                "ZRANGE d 0 -1 WITHSCORES", "ZINTERSTORE d 2 a nokey", "EXISTS d", "ZDIFFSTORE d 2 a b",
                "ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 a a", "EXISTS d", "ZUNIONSTORE a 2 a b", "ZRANGE a 0 -1 WITHSCORES",
                "SET str v", "ZUNIONSTORE str 1 b", "TYPE str", "ZADD negz -0 m", "ZUNION 1 negz WITHSCORES",
                "ZUNIONSTORE negs 1 negz", "ZSCORE negs m");
        twin.sameDigest();
    }

    @Test
    void popsAndRandomMembers() throws IOException {
        sameInBothProtocols(
                "ZADD a 1 x 2 y 3 z 4 w", "ZPOPMIN a", "ZPOPMAX a 2", "ZPOPMIN nokey", "ZPOPMIN nokey 2", "ZPOPMIN a 0",
                "ZPOPMAX a 100", "EXISTS a", "ZADD m 1 a 2 b 3 c", "ZMPOP 1 m MIN", "ZMPOP 2 nokey m MAX COUNT 10",
                "ZMPOP 1 m MIN", "ZADD r 1 a 2 b 3 c", "ZRANDMEMBER r 0", "ZRANDMEMBER r 3", "ZRANDMEMBER r 5 WITHSCORES",
                "ZRANDMEMBER r 100", "ZRANDMEMBER nokey", "ZRANDMEMBER nokey 5", "ZRANDMEMBER nokey -5 WITHSCORES",
                "ZADD one 5 only", "ZRANDMEMBER one", "ZRANDMEMBER one -3 WITHSCORES", "ZRANDMEMBER one 1 WITHSCORES",
                "BZPOPMIN r 0", "BZPOPMAX nokey r 0", "BZMPOP 0 1 r MIN COUNT 5", "BZPOPMIN nokey 0.01",
                "BZMPOP 0.01 1 nokey MIN", "MULTI", "BZPOPMIN nokey 0", "BZMPOP 0 1 nokey MIN", "ZADD k 1 a",
                "BZPOPMAX k 0", "EXEC");
        try (Twin.Session s = twin.session()) {
            StringBuilder members = new StringBuilder("ZADD big");
            for (int i = 0; i < 300; i++) {
                members.append(' ').append(i).append(" m").append(i);
            }
            s.same(c(members.toString()));
            for (int protocol = 2; protocol <= 3; protocol++) {
                hello(s, protocol);
                for (String count : List.of("5", "50", "150", "299", "-20")) {
                    String reply = s.cascade.call("ZRANDMEMBER", "big", count, "WITHSCORES");
                    List<String> f = flat(reply);
                    assertEquals(flat(s.redis.call("ZRANDMEMBER", "big", count, "WITHSCORES")).size(), f.size(),
                            "ZRANDMEMBER big " + count);
                    assertEquals(((List<?>) RespText.parse(reply)).size(), protocol == 2 ? f.size() : f.size() / 2,
                            "pairs nested in RESP3 only");
                    for (int i = 0; i < f.size(); i += 2) {
                        assertEquals("m" + f.get(i + 1).replaceFirst("^,", ""), f.get(i), "a member comes with its own score");
                    }
                    if (!count.startsWith("-")) {
                        assertEquals(f.size() / 2, f.stream().filter(x -> x.startsWith("m")).distinct().count(),
                                "distinct members");
                    }
                }
                sameUnordered(s, 2, "ZRANDMEMBER", "big", "300", "WITHSCORES");
                // a skiplist's member table is walked in hash order: the same pairs, in another order
                assertEquals(scanPairs(s.redis.call("ZSCAN", "big", "0", "COUNT", "1000")),
                        scanPairs(s.cascade.call("ZSCAN", "big", "0", "COUNT", "1000")), "ZSCAN big");
            }
        }
    }

    /** A whole-set ZSCAN reply as its cursor and its sorted "member score" pairs. */
    private static List<String> scanPairs(String raw) {
        List<?> reply = (List<?>) RespText.parse(raw);
        List<String> f = flat(raw).subList(1, 1 + ((List<?>) reply.get(1)).size());
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < f.size(); i += 2) {
            pairs.add(f.get(i) + " " + f.get(i + 1));
        }
        pairs.sort(null);
        pairs.add(0, String.valueOf(reply.get(0)));
        return pairs;
    }

    @Test
    void encodingsSwitchAtTheThresholds() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "SET", "zset-max-listpack-entries", "4");
            s.same("CONFIG", "SET", "zset-max-listpack-value", "8");
            for (String line : List.of("ZADD e 1 a 2 b 3 c 4 d", "OBJECT ENCODING e", "ZADD e 5 e", "OBJECT ENCODING e",
                    "ZREM e a b c", "OBJECT ENCODING e", "ZADD l 1 123456789", "OBJECT ENCODING l", "ZADD l2 1 12345678",
                    "OBJECT ENCODING l2", "ZADD l2 1 123456789", "OBJECT ENCODING l2", "ZUNIONSTORE u 1 e",
                    "OBJECT ENCODING u", "ZUNIONSTORE u 1 l", "OBJECT ENCODING u", "ZADD big 1 a 2 b 3 c 4 d 5 e 6 f",
                    "ZRANGESTORE r big 0 3", "OBJECT ENCODING r", "ZRANGESTORE r big 0 4", "OBJECT ENCODING r",
                    "ZRANGESTORE r big 0 10 BYSCORE", "OBJECT ENCODING r", "ZRANGESTORE r big 0 3 BYSCORE",
                    "OBJECT ENCODING r", "ZINTERSTORE i 2 big e", "OBJECT ENCODING i", "ZDIFFSTORE i 2 big e",
                    "OBJECT ENCODING i", "COPY big big2", "OBJECT ENCODING big2", "RENAME big2 big3",
                    "ZRANGE big3 0 -1 WITHSCORES", "SORT big", "SORT big ALPHA DESC LIMIT 0 2", "SORT e BY nosort",
                    "DEBUG DIGEST-VALUE big e l", "ZSCAN l 0", "ZADD x 1.5 a 0.1 b 1e-300 c", "ZSCAN x 0",
                    "CONFIG SET zset-max-listpack-entries 0", "ZADD zero 1 a", "OBJECT ENCODING zero",
                    "CONFIG SET zset-max-listpack-entries 128", "CONFIG SET zset-max-listpack-value 64")) {
                s.same(c(line));
            }
            String dump = s.same("DUMP", "big");
            assertTrue(dump.startsWith("$"), dump);
            s.same("DEL", "big");
            twin.sameDigest();
        }
    }

    // ---- blocking pops ----

    private RawConnection[] conn() throws IOException {
        RawConnection[] c = {new RawConnection(twin.redis.port()), new RawConnection(twin.cascade.port())};
        open.add(c);
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

    private RawConnection[] blocked(int n, String line) throws IOException {
        RawConnection[] c = conn();
        send(c, line);
        awaitBlocked(n);
        return c;
    }

    private static void awaitBlocked(int n) throws IOException {
        twin.awaitBlocked(n);
    }

    @Test
    void blockedPopsAreServedInOrder() throws IOException {
        for (int protocol = 2; protocol <= 3; protocol++) {
            RawConnection[] writer = conn();
            send(writer, "HELLO " + protocol);
            writer[0].readReply();
            writer[1].readReply();
            List<RawConnection[]> waiters = new ArrayList<>();
            for (String line : List.of("BZPOPMIN k1 k2 0", "BZPOPMAX k2 0", "BZMPOP 0 2 k2 k1 MAX COUNT 2",
                    "BZPOPMIN k2 0", "BZMPOP 0 1 k2 MIN")) {
                RawConnection[] w = conn();
                send(w, "HELLO " + protocol);
                w[0].readReply();
                w[1].readReply();
                send(w, line);
                awaitBlocked(waiters.size() + 1);
                waiters.add(w);
            }
            send(writer, "ZADD k2 1 a 2 b 3 c 4 d 5 e");
            read(writer, "ZADD");
            for (int i = 0; i < waiters.size() - 1; i++) {
                read(waiters.get(i), "waiter " + i);
            }
            awaitBlocked(1);
            send(writer, "ZRANGE k2 0 -1 WITHSCORES");
            read(writer, "what is left");
            // a MULTI that creates and deletes the key serves the last one from what is there at EXEC's end
            for (String line : List.of("MULTI", "ZADD k2 1 x", "DEL k2", "ZADD k2 2 y 3 z", "EXEC")) {
                send(writer, line);
                read(writer, line);
            }
            read(waiters.get(waiters.size() - 1), "served after EXEC");
            send(writer, "ZRANGE k2 0 -1 WITHSCORES");
            read(writer, "after EXEC");
            // another type under the key does not serve; the sorted set that replaces it does
            send(writer, "DEL k2");
            read(writer, "DEL");
            RawConnection[] w = blocked(1, "BZPOPMIN k2 0");
            send(writer, "LPUSH k2 x");
            read(writer, "LPUSH");
            awaitBlocked(1);
            send(writer, "DEL k2");
            read(writer, "DEL");
            send(writer, "ZADD k2 7 seven");
            read(writer, "ZADD");
            read(w, "served by the zset");
            awaitBlocked(0);
        }
        twin.sameDigest();
    }

    @Test
    void blockedPopsTimeOut() throws IOException {
        RawConnection[] c = conn();
        for (String line : List.of("BZPOPMIN nokey 0.1", "BZPOPMAX a b 0.05", "BZMPOP 0.05 2 a b MIN COUNT 3")) {
            long start = System.nanoTime();
            send(c, line);
            assertEquals("*-1", read(c, line).trim());
            assertTrue(System.nanoTime() - start >= 50_000_000L, "waited for the timeout");
        }
        RawConnection[] w = blocked(1, "BZPOPMIN slow 0.5");
        RawConnection[] writer = conn();
        send(writer, "ZADD slow 1 a");
        read(writer, "ZADD");
        read(w, "served before the timeout");
        awaitBlocked(0);
    }
}
