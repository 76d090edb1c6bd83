package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Replication;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SLOWLOG and LATENCY compared with redis-server: the same requests on both, replies compared byte for byte
 * where they are deterministic, and otherwise entry by entry with times, durations and ports checked for
 * plausibility instead of equality. Also CLIENT LIST's qbuf of a request still arriving.
 */
@ExtendWith(Servers.class)
class IntrospectionIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @BeforeEach
    void defaults() throws IOException {
        twin.flushAll();
        twin.sameAll(new String[] {"CONFIG", "SET", "slowlog-log-slower-than", "10000"},
                new String[] {"CONFIG", "SET", "slowlog-max-len", "128"},
                new String[] {"CONFIG", "SET", "latency-monitor-threshold", "0"},
                new String[] {"SLOWLOG", "RESET"}, new String[] {"LATENCY", "RESET"});
    }

    /** Runs the commands on one connection to each server; returns the parsed SLOWLOG GET -1 of each. */
    private static List<List<?>> slowlogAfter(String[]... commands) throws IOException {
        try (Twin.Session s = twin.session()) {
            for (String[] c : commands) {
                s.same(c);
            }
            List<?> r = (List<?>) RespText.parse(s.redis.call("SLOWLOG", "GET", "-1"));
            List<?> c = (List<?>) RespText.parse(s.cascade.call("SLOWLOG", "GET", "-1"));
            return List.of(r, c);
        }
    }

    /** Each entry without its id, time, duration and port: arguments, "127.0.0.1" and client name. */
    private static List<String> shape(List<?> entries) {
        List<String> out = new ArrayList<>();
        long prevId = -1;
        for (Object o : entries) {
            List<?> e = (List<?>) o;
            assertEquals(6, e.size(), "entry " + e);
            long id = Long.parseLong(((String) e.get(0)).substring(1));
            assertTrue(prevId < 0 || id == prevId - 1, "ids count down by one: " + entries);
            prevId = id;
            long time = Long.parseLong(((String) e.get(1)).substring(1));
            assertTrue(Math.abs(time - System.currentTimeMillis() / 1000) < 60, "unix time " + time);
            assertTrue(Long.parseLong(((String) e.get(2)).substring(1)) >= 0);
            String peer = (String) e.get(4);
            out.add(e.get(3) + " " + peer.substring(0, peer.lastIndexOf(':')) + " [" + e.get(5) + "]");
        }
        return out;
    }

    /**
     * INFO's fields, section by section, are Redis 7.0's in Redis's order (monitoring tools read them by name),
     * with Cascade's own few at the end of their section; only dump_payload_sanitizations is not there.
     */
    @Test
    void infoFieldsAreRedisOnes() throws Exception {
        List<String> cascadeOnly = List.of("cascade_version", "jvm_heap_used", "jvm_heap_max");
        for (String section : new String[] {"server", "clients", "memory", "persistence", "stats", "replication",
                "cpu"}) {
            List<String> redis = fieldNames(twin.redis.cli("INFO", section));
            redis.remove("dump_payload_sanitizations");
            List<String> cascade = fieldNames(twin.cascade.cli("INFO", section));
            cascade.removeAll(cascadeOnly);
            assertEquals(redis, cascade, "INFO " + section);
        }
        // keys found expired by the active cycle: the moving average of the share found expired moves off 0
        try (Jedis c = twin.cascade.jedis()) {
            for (int i = 0; i < 200; i++) {
                c.psetex("stale:" + i, 1, "v");
            }
            Replication.await(() -> c.dbSize() == 0, 10_000, "the active cycle expired the keys");
            assertTrue(Double.parseDouble(Replication.field(c.info("stats"), "expired_stale_perc")) > 0,
                    c.info("stats"));
        }
    }

    private static List<String> fieldNames(String info) {
        List<String> names = new ArrayList<>();
        for (String line : info.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                names.add(line.substring(0, colon));
            }
        }
        return names;
    }

    /**
     * CLIENT LIST's qbuf counts what a client sent that is not yet a whole request (and so used_memory's client
     * buffers do): a request still arriving shows, and is gone once it is complete and answered.
     */
    @Test
    void qbufShowsARequestStillArriving() throws Exception {
        try (RawConnection slow = new RawConnection(twin.cascade.port()); Jedis c = twin.cascade.jedis()) {
            slow.call("CLIENT", "SETNAME", "slow");
            slow.send("*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$1000\r\n" + "x".repeat(600));
            Replication.await(() -> qbuf(c.clientList()) >= 600, 5000, "qbuf of the half-sent request");
            slow.send("x".repeat(400) + "\r\n");
            assertEquals("+OK\r\n", slow.readReply());
            assertEquals(0, qbuf(c.clientList()), "nothing left once the request ran");
        }
    }

    private static int qbuf(String clientList) {
        for (String line : clientList.split("\n")) {
            if (line.contains("name=slow ")) {
                String q = line.substring(line.indexOf(" qbuf=") + 6);
                return Integer.parseInt(q.substring(0, q.indexOf(' ')));
            }
        }
        throw new AssertionError("no client named slow in " + clientList);
    }

    @Test
    void entriesTrimmedAsRedisAndExecNotLogged() throws IOException {
        List<String> many = new ArrayList<>(List.of("SADD", "set"));
        for (int i = 3; i <= 40; i++) {
            many.add(String.valueOf(i));
        }
        List<List<?>> logs = slowlogAfter(new String[] {"CONFIG", "SET", "slowlog-log-slower-than", "0"},
                new String[] {"CLIENT", "SETNAME", "tester"},
                many.toArray(new String[0]),
                new String[] {"SADD", "set", "foo", "A".repeat(129), "B".repeat(128), ""},
                new String[] {"MULTI"}, new String[] {"SET", "k", "v"}, new String[] {"GET", "k"},
                new String[] {"EXEC"},
                new String[] {"AUTH", "secret"},
                new String[] {"AUTH", "default", "pw"},
                new String[] {"NOSUCHCOMMAND", "x"},
                new String[] {"GET"},
                new String[] {"SLOWLOG", "LEN"});
        assertEquals(shape(logs.get(0)), shape(logs.get(1)));
        assertTrue(logs.get(0).size() > 8);
    }

    @Test
    void thresholdLengthAndDisabling() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "SET", "slowlog-log-slower-than", "100000");
            s.same("PING");
            s.same("SLOWLOG", "LEN");
            s.same("DEBUG", "SLEEP", "0.2");
            s.same("SLOWLOG", "LEN");
            for (RawConnection c : List.of(s.redis, s.cascade)) {
                List<?> e = (List<?>) ((List<?>) RespText.parse(c.call("SLOWLOG", "GET"))).get(0);
                assertTrue(Long.parseLong(((String) e.get(2)).substring(1)) > 100000, "duration of " + e);
                assertEquals(List.of("DEBUG", "SLEEP", "0.2"), e.get(3));
            }
            s.same("CONFIG", "SET", "slowlog-log-slower-than", "0");
            s.same("CONFIG", "SET", "slowlog-max-len", "10");
            for (int i = 0; i < 30; i++) {
                s.same("PING");
            }
            s.same("SLOWLOG", "LEN");
            s.same("SLOWLOG", "GET", "0");
            s.same("CONFIG", "SET", "slowlog-max-len", "3");
            s.same("SLOWLOG", "LEN"); // trimmed only when the next entry comes, as Redis
            s.same("PING");
            s.same("SLOWLOG", "LEN");
            s.same("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            s.same("SLOWLOG", "RESET");
            s.same("DEBUG", "SLEEP", "0");
            s.same("SLOWLOG", "LEN");
        }
    }

    @Test
    void servedBlockedCommandIsLoggedAsSent() throws IOException {
        try (Twin.Session s = twin.session(); Twin.Session blocked = twin.session()) {
            s.same("CONFIG", "SET", "slowlog-log-slower-than", "0");
            blocked.redis.send(RawConnection.encode("BLPOP", "l", "0"));
            blocked.cascade.send(RawConnection.encode("BLPOP", "l", "0"));
            twin.awaitBlocked(1);
            s.same("MULTI");
            s.same("LPUSH", "l", "foo");
            s.same("SLOWLOG", "RESET");
            s.same("EXEC");
            assertEquals(blocked.redis.readReply(), blocked.cascade.readReply());
            List<?> r = (List<?>) RespText.parse(s.redis.call("SLOWLOG", "GET"));
            List<?> c = (List<?>) RespText.parse(s.cascade.call("SLOWLOG", "GET"));
            assertEquals(shape(r), shape(c));
        }
    }

    @Test
    void slowlogErrorsAndHelp() throws IOException {
        twin.same("SLOWLOG", "GET", "-2");
        twin.same("SLOWLOG", "GET", "abc");
        twin.same("SLOWLOG", "GET", "1", "2");
        twin.same("SLOWLOG", "LEN", "x");
        twin.same("SLOWLOG", "HELP");
        twin.same("SLOWLOG", "nosuch");
        twin.same("SLOWLOG");
        twin.same("COMMAND", "INFO", "slowlog|get", "slowlog|len", "slowlog|reset", "slowlog|help");
    }

    /** A reply with every run of digits replaced, for texts that carry measured milliseconds and times. */
    private static String digitless(String reply) {
        return reply.replaceAll("[0-9]+", "N");
    }

    @Test
    void latencyAfterDebugSleep() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("LATENCY", "DOCTOR"); // disabled: the "I'm sorry, Dave" text
            s.same("LATENCY", "LATEST");
            s.same("CONFIG", "SET", "latency-monitor-threshold", "200");
            s.same("LATENCY", "DOCTOR"); // enabled, nothing seen yet
            s.same("DEBUG", "SLEEP", "0.1");
            s.same("LATENCY", "LATEST");
            s.same("DEBUG", "SLEEP", "0.3");
            for (RawConnection c : List.of(s.redis, s.cascade)) {
                List<?> latest = (List<?>) ((List<?>) RespText.parse(c.call("LATENCY", "LATEST"))).get(0);
                assertEquals("command", latest.get(0));
                long ms = Long.parseLong(((String) latest.get(2)).substring(1));
                assertTrue(ms >= 300 && ms < 600, "latency " + latest);
                List<?> history = (List<?>) RespText.parse(c.call("LATENCY", "HISTORY", "command"));
                assertEquals(1, history.size());
                assertEquals(((List<?>) history.get(0)).get(0), latest.get(1), "the sample's time");
            }
            assertEquals(digitless(s.redis.call("LATENCY", "DOCTOR")), digitless(s.cascade.call("LATENCY", "DOCTOR")));
            assertEquals(digitless(s.redis.call("LATENCY", "GRAPH", "command")),
                    digitless(s.cascade.call("LATENCY", "GRAPH", "command")));
            s.same("LATENCY", "GRAPH", "nosuchevent");
            s.same("LATENCY", "HISTORY", "nosuchevent");
            s.same("LATENCY", "RESET", "nosuchevent");
            s.same("LATENCY", "RESET", "COMMAND", "command");
            s.same("LATENCY", "LATEST");
            s.same("LATENCY", "HELP");
            s.same("LATENCY", "HELP", "xxx");
            s.same("LATENCY", "nosuch");
        }
    }

    @Test
    void latencyHistogramShape() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "RESETSTAT");
            s.same("SET", "a", "b");
            s.same("SET", "c", "d");
            s.redis.call("CLIENT", "ID"); // the ids differ: run it on both without comparing
            s.cascade.call("CLIENT", "ID");
            s.same("DEBUG", "SLEEP", "0.003");
            for (String[] q : new String[][] {{"LATENCY", "HISTOGRAM", "set", "blabla"}, {"LATENCY", "HISTOGRAM", "client"},
                    {"LATENCY", "HISTOGRAM", "debug"}, {"LATENCY", "HISTOGRAM", "blabla"}}) {
                // bucket bounds depend on measured times: compare calls and the shape of the buckets
                assertEquals(histogramShape(s.redis.call(q)), histogramShape(s.cascade.call(q)), String.join(" ", q));
            }
            List<?> debug = (List<?>) RespText.parse(s.cascade.call("LATENCY", "HISTOGRAM", "debug"));
            List<?> buckets = (List<?>) ((List<?>) debug.get(1)).get(3);
            long bound = Long.parseLong(((String) buckets.get(buckets.size() - 2)).substring(1));
            assertTrue(List.of(4227L, 8454L, 16908L).contains(bound), "a 3 ms sleep in hdr's bucket: " + buckets);
        }
    }

    /** Command names and calls of a LATENCY HISTOGRAM reply; the buckets only as "present". */
    private static List<String> histogramShape(String reply) {
        List<?> top = (List<?>) RespText.parse(reply);
        List<String> out = new ArrayList<>();
        for (int i = 0; i + 1 < top.size(); i += 2) {
            List<?> info = (List<?>) top.get(i + 1);
            out.add(top.get(i) + " " + info.get(0) + "=" + info.get(1) + " " + info.get(2) + " "
                    + (((List<?>) info.get(3)).isEmpty() ? "none" : "buckets"));
        }
        return out;
    }

    @Test
    void memoryStatsFieldsAndTypesAsRedis() throws IOException {
        twin.sameAll(new String[] {"SET", "a", "1"}, new String[] {"SET", "b", "2", "EX", "100"},
                new String[] {"SELECT", "3"}, new String[] {"RPUSH", "l", "x"});
        for (int resp : new int[] {2, 3}) {
            try (Twin.Session s = twin.session()) {
                // HELLO's reply names the server and its ids: switched on both, not compared
                s.redis.call("HELLO", String.valueOf(resp));
                s.cascade.call("HELLO", String.valueOf(resp));
                String r = s.redis.call("MEMORY", "STATS");
                String c = s.cascade.call("MEMORY", "STATS");
                assertEquals(statsShape(r), statsShape(c), "RESP" + resp);
            }
        }
        try (Twin.Session s = twin.session()) {
            List<?> stats = (List<?>) RespText.parse(s.cascade.call("MEMORY", "STATS"));
            assertEquals(":3", number(stats, "keys.count"), "3 keys in 2 dbs");
            long total = Long.parseLong(number(stats, "total.allocated").substring(1));
            long peak = Long.parseLong(number(stats, "peak.allocated").substring(1));
            assertTrue(total > 0 && peak >= total, "peak " + peak + " >= total " + total);
            s.same("MEMORY", "STATS", "x");
            s.same("MEMORY", "HELP");
            s.same("MEMORY", "PURGE");
            s.same("COMMAND", "INFO", "memory|stats", "memory|doctor", "memory|purge", "memory|malloc-stats");
        }
        twin.flushAll();
    }

    private static String number(List<?> map, String key) {
        for (int i = 0; i + 1 < map.size(); i += 2) {
            if (key.equals(map.get(i))) {
                return (String) map.get(i + 1);
            }
        }
        throw new AssertionError("no " + key + " in " + map);
    }

    /**
     * The reply with every value replaced by its RESP type: integer, double (RESP3 ',') or bulk (a double in
     * RESP2 comes as a bulk string), nested maps kept: Redis's field names, order and types.
     */
    private static String statsShape(String reply) {
        return shapeOf(RespText.parse(reply));
    }

    private static String shapeOf(Object v) {
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : list) {
                b.append(shapeOf(o)).append(' ');
            }
            return b.append(']').toString();
        }
        String s = (String) v;
        if (s.startsWith(":")) {
            return ":N";
        }
        if (s.startsWith(",")) {
            return ",D";
        }
        return s.matches("-?[0-9.e+-]+") ? "D" : s;
    }

    @Test
    void infoLatencystatsAsRedis() throws IOException {
        try (Twin.Session s = twin.session()) {
            s.same("CONFIG", "SET", "latency-tracking-info-percentiles", "0 50 99.9 100");
            s.same("CONFIG", "RESETSTAT");
            s.same("SET", "a", "b");
            s.same("DEBUG", "SLEEP", "0.003");
            String r = s.redis.call("INFO", "latencystats");
            String c = s.cascade.call("INFO", "latencystats");
            assertEquals(latencyLines(r), latencyLines(c));
            assertTrue(c.matches("(?s).*latency_percentiles_usec_debug:p0=[0-9]+\\.[0-9]{3},p50=[3-9][0-9]{3}\\.[0-9]{3},.*"), c);
            s.same("CONFIG", "SET", "latency-tracking", "no");
            s.same("INFO", "latencystats");
            s.same("CONFIG", "SET", "latency-tracking", "yes");
            s.same("CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9");
        }
    }

    /** INFO latencystats with the measured values hidden: the commands and percentile names in order. */
    private static List<String> latencyLines(String reply) {
        List<String> out = new ArrayList<>();
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("latency_percentiles_usec_")) {
                out.add(line.replaceAll("=[0-9]+\\.[0-9]{3}", "=V"));
            }
        }
        out.sort(null); // Redis walks its command dict in hash order
        return out;
    }
}
