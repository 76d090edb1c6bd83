package io.cascade.conf;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares Cascade's config handling with a live redis-server 7.0.15 when one is installed: CONFIG GET * defaults,
 * CONFIG GET pattern semantics, CONFIG SET replies and the fatal config error texts. Skipped (with the reason
 * shown) when redis-server is not on PATH.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisComparisonTest {
    private Path dir;
    private RealRedis redis;

    @BeforeAll
    void start() throws Exception {
        if (RealRedis.binary() == null) {
            return;
        }
        dir = Files.createTempDirectory("cascade-conf-redis");
        redis = RealRedis.start(dir);
        String info = (String) redis.call("INFO", "server");
        version = info.lines().filter(l -> l.startsWith("redis_version:")).map(l -> l.substring(14).strip())
                .findFirst().orElse("?");
    }

    private String version = "?";

    @AfterAll
    void stop() throws IOException {
        if (redis != null) {
            redis.close();
        }
    }

    private void assumeRedis() {
        Assumptions.assumeTrue(redis != null, "SKIPPED: redis-server is not on PATH, nothing to compare with");
        Assumptions.assumeTrue(version.startsWith("7.0."), "SKIPPED: redis-server is " + version + ", not 7.0.x");
    }

    private Map<String, String> real(String... patterns) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("CONFIG", "GET"));
        cmd.addAll(List.of(patterns));
        @SuppressWarnings("unchecked")
        List<Object> reply = (List<Object>) redis.call(cmd.toArray(new String[0]));
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < reply.size(); i += 2) {
            m.put((String) reply.get(i), (String) reply.get(i + 1));
        }
        return m;
    }

    private static Map<String, String> ours(Config c, String... patterns) throws ConfigException {
        Map<String, String> m = new TreeMap<>();
        for (String[] kv : c.get(List.of(patterns))) {
            m.put(kv[0], kv[1]);
        }
        return m;
    }

    @Test
    @Order(1)
    void configGetAllDefaults() throws Exception {
        assumeRedis();
        Map<String, String> real = real("*");
        Map<String, String> ours = ours(Config.defaults(), "*");
        // Machine- or test-dependent values: dir is the test's temporary directory (ours: the JVM's working
        // directory), port is the free port the test picked, bind was narrowed to 127.0.0.1 so the test server is
        // not reachable from outside. Their defaults are checked in ConfigSetTest and below.
        for (String n : List.of("dir", "port", "bind")) {
            assertTrue(real.remove(n) != null && ours.remove(n) != null, n);
        }
        assertEquals(real.keySet(), ours.keySet());
        assertEquals(real, ours);
        assertEquals("6379", Config.defaults().getString("port"));
        assertEquals("* -::*", Config.defaults().getString("bind"));
    }

    @Test
    @Order(2)
    void configGetPatterns() throws Exception {
        assumeRedis();
        Config c = Config.defaults();
        List<String[]> queries = List.of(new String[] {"PORT", "port"}, new String[] {"replica-priority", "slave-pri*", "POR*"},
                new String[] {"slaveof", "replicaof", "slave*"}, new String[] {"*max*"}, new String[] {"[a-c]*"},
                new String[] {"watchdog-period", "rdb-key-save-delay", "key-load-delay", "use-exit-on-panic",
                    "loading-process-events-interval-bytes"},
                new String[] {"watchdog*", "*delay*"}, new String[] {"include", "rename-command", "nonexistent"},
                new String[] {"?ave", "[^a-z]*", "*-[lm]ax*", "hash-max-*-entries"});
        for (String[] q : queries) {
            Map<String, String> real = real(q);
            Map<String, String> ours = ours(c, q);
            for (String n : List.of("port", "PORT", "bind", "dir")) { // set by the test, see configGetAllDefaults
                real.remove(n);
                ours.remove(n);
            }
            assertEquals(real, ours, String.join(" ", q));
        }
    }

    /** Every case leaves the server's values as they were (see SetCases). */
    @Test
    @Order(3)
    void configSetReplies() throws Exception {
        assumeRedis();
        Config c = Config.defaults();
        for (SetCases.Case k : SetCases.CASES) {
            List<String> cmd = new ArrayList<>(List.of("CONFIG", "SET"));
            cmd.addAll(k.pairs());
            Object reply = redis.call(cmd.toArray(new String[0]));
            String text = reply instanceof String s && s.startsWith("-") ? s.substring(1) : String.valueOf(reply);
            assertEquals(k.reply(), text, "redis-server for " + k.pairs());
            assertEquals(text, SetCases.ours(c, k.pairs()), "cascade for " + k.pairs());
        }
    }

    /** Changes the live server's values for good, so it runs last. */
    @Test
    @Order(5)
    void valuesAfterConfigSet() throws Exception {
        assumeRedis();
        Config c = Config.defaults();
        List<List<String>> sets = List.of(
                List.of("maxmemory", "1GB", "maxmemory-clients", "10%", "shutdown-on-sigint", "now save force"),
                // (oom-score-adj itself is left alone: applying it needs privileges a test machine may lack)
                List.of("notify-keyspace-events", "KA", "hz", "1000"),
                List.of("client-output-buffer-limit", "replica 1kb 2mb 3 pubsub 1 2 3", "save", ""),
                List.of("latency-tracking-info-percentiles", "1.5 0x10 1e1 99.999 0", "maxmemory-policy", "ALLKEYS-LRU"),
                List.of("notify-keyspace-events", "mgshxz$Etnd", "maxmemory", "99999999999999999999"),
                List.of("maxmemory-clients", "0%", "proto-max-bulk-len", "1mb", "list-max-listpack-size", "-5"),
                List.of("requirepass", "a b", "masteruser", "", "oom-score-adj-values", "-1 +2 2000"),
                List.of("save", "100 1 200 2", "latency-tracking-info-percentiles", "", "hz", "0"));
        for (List<String> pairs : sets) {
            List<String> cmd = new ArrayList<>(List.of("CONFIG", "SET"));
            cmd.addAll(pairs);
            assertEquals("OK", redis.call(cmd.toArray(new String[0])), pairs.toString());
            c.set(pairs);
        }
        Map<String, String> real = real("*");
        Map<String, String> ours = ours(c, "*");
        for (String n : List.of("dir", "port", "bind")) {
            real.remove(n);
            ours.remove(n);
        }
        assertEquals(real, ours);
    }

    @Test
    @Order(4)
    void fatalConfigErrors() throws Exception {
        assumeRedis();
        Path work = Files.createTempDirectory("cascade-conf-fatal");
        Files.writeString(work.resolve("bad.conf"), "port 1\nfoo bar\n");
        List<Object[]> cases = List.of(
                new Object[] {"port 7000\nfoo bar\n", List.of()},
                new Object[] {"port \"7000\"x\n", List.of()},
                new Object[] {"requirepass \"abc\n", List.of()},
                new Object[] {"save 1\n", List.of()},
                new Object[] {"save \"\"\nsave 0 1\n", List.of()},
                new Object[] {"port 1 2\n", List.of()},
                new Object[] {"maxmemory 1x\n", List.of()},
                new Object[] {"loglevel x\n", List.of()},
                new Object[] {"user\n", List.of()},
                new Object[] {"loadmodule\n", List.of()},
                new Object[] {"my.mod\n", List.of()},
                new Object[] {"dir /nonexistent-dir-cascade\n", List.of()},
                new Object[] {"logfile /nonexistent-dir-cascade/x.log\n", List.of()},
                new Object[] {"unixsocketperm 800\n", List.of()},
                new Object[] {"unixsocketperm 1000\n", List.of()},
                new Object[] {"cluster-enabled yes\nreplicaof 1.2.3.4 5\n", List.of()},
                new Object[] {"include " + work.resolve("bad.conf") + "\n", List.of()},
                new Object[] {"port 7000\n", List.of("--foo", "bar")},
                new Object[] {"port 7000", List.of("--port", "abc")},
                new Object[] {"", List.of("--maxmemory", "--foo")},
                new Object[] {"slaveof a b\n", List.of()},
                new Object[] {"client-output-buffer-limit master 1 2 3\n", List.of()},
                new Object[] {"dbfilename a/b\n", List.of()},
                new Object[] {"list-max-ziplist-entries 1 2\n", List.of()},
                new Object[] {"activedefrag yes\n", List.of()},
                new Object[] {"latency-tracking-info-percentiles 200\n", List.of()},
                new Object[] {"bind " + "a ".repeat(17) + "\n", List.of()},
                new Object[] {"  PORT   \"\\x41\"  \n", List.of()},
                new Object[] {"# comment\n\n\tsave 10\n", List.of("--port", "1")},
                new Object[] {"oom-score-adj-values 1 2\n", List.of()},
                new Object[] {"proc-title-template \"{nope}\"\n", List.of()},
                new Object[] {"shutdown-on-sigterm \"save nosave\"\n", List.of()});
        ConfigFileParser.Options opts = ConfigFileParser.Options.defaults().withVersion("Redis " + version);
        int n = 0;
        for (Object[] k : cases) {
            Path conf = work.resolve("case" + n++ + ".conf");
            Files.writeString(conf, (String) k[0]);
            @SuppressWarnings("unchecked")
            List<String> extra = (List<String>) k[1];
            List<String> argv = new ArrayList<>(List.of(conf.toString(), "--port", "0"));
            argv.addAll(extra);
            String real = RealRedis.fatalOutput(work, argv);
            String ours;
            try {
                ConfigFileParser.load(argv, opts);
                ours = "(loaded without error)";
            } catch (ConfigFileException e) {
                ours = e.getMessage() + "\n";
            }
            assertEquals(real, ours, "case " + k[0] + " " + extra);
        }
    }

    /** CONFIG REWRITE of the same file after the same CONFIG SETs gives the same lines as redis-server. */
    @Test
    @Order(6)
    void configRewrite() throws Exception {
        assumeRedis();
        Path work = Files.createTempDirectory("cascade-conf-rewrite");
        int port = RealRedis.freePort();
        String content = String.join("\n",
                "# test config", "port " + port, "bind 127.0.0.1", "daemonize no", "dir " + work, "",
                "# snapshots", "save 100 1", "save 200 2", "maxmemory 10mb", "slave-read-only no", "timeout 0",
                "rename-command FLUSHALL \"\"", "list-max-ziplist-entries 512", "client-output-buffer-limit pubsub 1mb 2mb 3",
                "loglevel notice", "hz 1000", "oom-score-adj-values 0 200 800", "notify-keyspace-events \"\"", "");
        Path realConf = work.resolve("real.conf");
        Path ourConf = work.resolve("ours.conf");
        Files.writeString(realConf, content);
        Files.writeString(ourConf, content);
        List<String> pairs = List.of("maxmemory", "20mb", "timeout", "30", "loglevel", "warning", "save", "300 5",
                "client-output-buffer-limit", "pubsub 64mb 16mb 90 replica 1gb 1gb 0", "replica-read-only", "yes",
                "maxmemory-clients", "5%", "requirepass", "p \"w", "notify-keyspace-events", "Kx",
                "latency-tracking-info-percentiles", "99.5", "masteruser", "", "lua-time-limit", "100");
        try (RealRedis r = RealRedis.startWithFile(work, realConf, port)) {
            List<String> cmd = new ArrayList<>(List.of("CONFIG", "SET"));
            cmd.addAll(pairs);
            assertEquals("OK", r.call(cmd.toArray(new String[0])));
            assertEquals("OK", r.call("CONFIG", "REWRITE"));
        }
        Config c = ConfigFileParser.load(List.of(ourConf.toString()), ConfigFileParser.Options.defaults());
        c.set(pairs);
        c.rewrite();
        List<String> real = Files.readAllLines(realConf);
        List<String> ours = Files.readAllLines(ourConf);
        // Redis also writes its ACL default user, which Cascade does not model.
        real.removeIf(l -> l.startsWith("user default "));
        int sig = real.indexOf("# Generated by CONFIG REWRITE");
        assertEquals(sig, ours.indexOf("# Generated by CONFIG REWRITE"), ours.toString());
        assertEquals(real.subList(0, sig), ours.subList(0, sig)); // the kept part, line by line
        // appended lines follow the order of Redis's hash table there: compare them as sets
        assertEquals(new TreeSet<>(real.subList(sig, real.size())), new TreeSet<>(ours.subList(sig, ours.size())));
    }
}
