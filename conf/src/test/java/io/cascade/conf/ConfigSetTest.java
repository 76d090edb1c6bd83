package io.cascade.conf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSetTest {

    @Test
    void errorTextsMatchRedis() {
        for (SetCases.Case c : SetCases.CASES) {
            assertEquals(c.reply(), SetCases.ours(Config.defaults(), c.pairs()), c.pairs().toString());
        }
    }

    @Test
    void wrongArity() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.defaults().set(List.of()));
        assertEquals("ERR wrong number of arguments for 'config|set' command", e.getMessage());
    }

    @Test
    void setsAndFormats() throws Exception {
        Config c = Config.defaults();
        c.set(List.of("maxmemory", "1GB", "maxmemory-clients", "10%", "shutdown-on-sigint", "now save",
                "notify-keyspace-events", "KA", "oom-score-adj", "relative", "hz", "1000",
                "client-output-buffer-limit", "replica 1kb 2mb 3 pubsub 1 2 3", "save", "", "bind", "127.0.0.1 ::1",
                "latency-tracking-info-percentiles", "1.5 0x10 1e1", "maxmemory-policy", "ALLKEYS-LRU"));
        assertEquals("1073741824", c.getString("maxmemory"));
        assertEquals("10%", c.getString("maxmemory-clients"));
        assertEquals(-10, c.getLong("maxmemory-clients"));
        assertEquals("save now", c.getEnum("shutdown-on-sigint"));
        assertEquals("AK", c.getString("notify-keyspace-events"));
        assertEquals("yes", c.getEnum("oom-score-adj"));
        assertEquals(500, c.getLong("hz"));
        assertEquals("normal 0 0 0 slave 1024 2097152 3 pubsub 1 2 3", c.getString("client-output-buffer-limit"));
        assertEquals("", c.getString("save"));
        assertEquals(List.of("127.0.0.1", "::1"), c.bind());
        assertEquals("1.5 16 10", c.getString("latency-tracking-info-percentiles"));
        assertEquals("allkeys-lru", c.getEnum("maxmemory-policy"));
        c.set(List.of("maxmemory", "99999999999999999999", "notify-keyspace-events", "mgsh", "hz", "0"));
        assertEquals("18446744073709551615", c.getString("maxmemory"));
        assertEquals("gshm", c.getString("notify-keyspace-events"));
        assertEquals(1, c.getLong("hz"));
    }

    @Test
    void atomicOnParseError() {
        Config c = Config.defaults();
        ConfigException e = assertThrows(ConfigException.class,
                () -> c.set(List.of("timeout", "5", "maxmemory", "1mb", "port", "abc")));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer",
                e.getMessage());
        assertEquals(0, c.getLong("timeout"));
        assertEquals(0, c.getMemory("maxmemory"));
    }

    @Test
    void hooksRunAndRollBack() throws Exception {
        Config c = Config.defaults();
        List<String> calls = new ArrayList<>();
        c.onChange("timeout", (old, cfg) -> {
            calls.add("timeout " + old + "->" + cfg.getString("timeout"));
            return null;
        });
        c.onChange("port", (old, cfg) -> {
            calls.add("port " + old + "->" + cfg.getString("port"));
            return cfg.getInt("port") == 1 ? "Unable to listen on this port. Check server logs." : null;
        });
        c.set(List.of("timeout", "5", "port", "7000"));
        assertEquals(List.of("timeout 0->5", "port 6379->7000"), calls);
        calls.clear();
        ConfigException e = assertThrows(ConfigException.class, () -> c.set(List.of("timeout", "6", "port", "1")));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                + "Check server logs.", e.getMessage());
        assertEquals(5, c.getLong("timeout"));
        assertEquals(7000, c.getLong("port"));
        // the timeout hook ran, then ran again with the values restored
        assertEquals(List.of("timeout 5->6", "port 7000->1", "timeout 6->5"), calls);
        calls.clear();
        c.set(List.of("timeout", "5")); // unchanged: no hook
        assertEquals(List.of(), calls);
    }

    @Test
    void sharedHookRunsOnce() throws Exception {
        Config c = Config.defaults();
        int[] n = {0};
        ChangeHook h = (old, cfg) -> {
            n[0]++;
            return null;
        };
        c.onChange("min-replicas-to-write", h);
        c.onChange("min-replicas-max-lag", h);
        c.set(List.of("min-replicas-to-write", "1", "min-replicas-max-lag", "5"));
        assertEquals(1, n[0]);
    }

    @Test
    void protectedAndLoading() throws Exception {
        Config c = ConfigFileParser.loadString("enable-protected-configs local\n", ConfigFileParser.Options.defaults());
        assertThrows(ConfigException.class, () -> c.set(List.of("dbfilename", "x.rdb")));
        c.set(List.of("dbfilename", "x.rdb"), true, false);
        assertEquals("x.rdb", c.getString("dbfilename"));
        ConfigException e = assertThrows(ConfigException.class, () -> c.set(List.of("appendonly", "yes"), true, true));
        assertEquals("LOADING Redis is loading the dataset in memory", e.getMessage());
        ConfigException f = assertThrows(ConfigException.class, () -> c.set(List.of("dbfilename", "a/b"), true, false));
        assertEquals("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, "
                + "just a filename", f.getMessage());
    }

    @Test
    void getSemantics() throws Exception {
        Config c = Config.defaults();
        assertEquals(List.of("PORT=6379"), pairs(c.get(List.of("PORT", "port"))));
        assertEquals(List.of("replica-priority=100", "slave-priority=100", "port=6379"),
                pairs(c.get(List.of("replica-priority", "slave-pri*", "POR*"))));
        assertEquals(List.of("replicaof=", "slaveof="), pairs(c.get(List.of("replicaof", "slaveof"))));
        assertEquals(List.of("watchdog-period=0"), pairs(c.get(List.of("watchdog-period"))));
        assertEquals(List.of(), pairs(c.get(List.of("watchdog*", "nonexistent", "include", "rename-command"))));
        assertEquals(List.of("hash-max-ziplist-entries=512", "hash-max-ziplist-value=64"),
                pairs(c.get(List.of("hash-max-ziplist*"))));
        List<String[]> all = c.get(List.of("*"));
        assertEquals(ConfigTable.runtimeNames().size() - 5, all.size()); // all but the five hidden ones
        assertTrue(pairs(all).contains("save=3600 1 300 100 60 10000"));
        assertTrue(pairs(c.get(List.of("[a-c]*"))).contains("cluster-preferred-endpoint-type=ip"));
        ConfigException e = assertThrows(ConfigException.class, () -> c.get(List.of()));
        assertEquals("ERR wrong number of arguments for 'config|get' command", e.getMessage());
    }

    @Test
    void typedGetters() {
        Config c = Config.defaults();
        assertEquals(6379, c.getInt("port"));
        assertEquals(10000, c.getInt("maxclients"));
        assertTrue(c.getBool("protected-mode"));
        assertEquals(512L << 20, c.getMemory("proto-max-bulk-len"));
        assertEquals("notice", c.getEnum("loglevel"));
        assertEquals("dump.rdb", c.getString("dbfilename"));
        assertEquals("", c.getString("requirepass"));
        assertNull(c.replicaof());
        assertEquals(List.of("*", "-::*"), c.bind());
        assertEquals(List.of(new SaveRule(3600, 1), new SaveRule(300, 100), new SaveRule(60, 10000)), c.saveRules());
        assertEquals(new ClientOutputBufferLimit(32L << 20, 8L << 20, 60), c.outputBufferLimit("pubsub"));
        assertEquals(List.of(0L, 200L, 800L), c.oomScoreAdjValues());
        assertEquals(List.of(50.0, 99.0, 99.9), c.latencyTrackingPercentiles());
        assertEquals(0, c.notifyKeyspaceEvents());
        assertThrows(IllegalArgumentException.class, () -> c.getLong("loglevel"));
        assertThrows(IllegalArgumentException.class, () -> c.getString("nope"));
        assertEquals(List.of(), c.unimplementedInUse());
    }

    private static List<String> pairs(List<String[]> kv) {
        return kv.stream().map(p -> p[0] + "=" + p[1]).toList();
    }
}
