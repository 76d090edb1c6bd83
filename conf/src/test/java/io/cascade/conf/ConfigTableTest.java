package io.cascade.conf;

import io.cascade.conf.ConfigEntry.Flag;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTableTest {

    @Test
    void namesAndAliasesAreUniqueAndLowerCase() {
        Set<String> seen = new HashSet<>();
        for (ConfigEntry e : ConfigTable.all()) {
            assertTrue(seen.add(e.name()), e.name());
            assertEquals(e.name().toLowerCase(), e.name());
            for (String a : e.aliases()) {
                assertTrue(seen.add(a), a);
                assertSame(e, ConfigTable.lookup(a));
            }
            assertSame(e, ConfigTable.lookup(e.name().toUpperCase()));
        }
    }

    @Test
    void everyDefaultParsesWithItsOwnCodecAndFormatsBack() throws Exception {
        for (ConfigEntry e : ConfigTable.all()) {
            if (!e.isRuntime()) {
                continue;
            }
            Object parsed = e.codec().parseDefault(e, e.defaultValue());
            assertEquals(e.defaultValue(), e.codec().format(parsed), e.name());
            assertEquals(e.defaultValue(), Config.defaults().format(e), e.name());
            if (e.type() == ConfigType.INT || e.type() == ConfigType.MEMORY) {
                long v = (Long) parsed;
                if (e.unsignedBounds()) {
                    assertTrue(Long.compareUnsigned(v, e.min()) >= 0 && Long.compareUnsigned(v, e.max()) <= 0, e.name());
                } else {
                    assertTrue(v >= e.min() && v <= e.max(), e.name());
                }
            }
            if (e.type() == ConfigType.ENUM && !e.has(Flag.MULTI_ARG)) {
                assertTrue(e.enumValues().contains(e.defaultValue()), e.name());
            }
        }
    }

    @Test
    void knownAliases() {
        assertSame(ConfigTable.lookup("replicaof"), ConfigTable.lookup("slaveof"));
        assertSame(ConfigTable.lookup("replica-read-only"), ConfigTable.lookup("slave-read-only"));
        assertSame(ConfigTable.lookup("hash-max-listpack-entries"), ConfigTable.lookup("hash-max-ziplist-entries"));
        assertSame(ConfigTable.lookup("busy-reply-threshold"), ConfigTable.lookup("lua-time-limit"));
        assertSame(ConfigTable.lookup("list-max-listpack-size"), ConfigTable.lookup("list-max-ziplist-size"));
        assertEquals("replicaof", ConfigTable.lookup("SLAVEOF").name());
    }

    @Test
    void flags() {
        assertTrue(ConfigTable.lookup("daemonize").has(Flag.IMMUTABLE));
        assertTrue(ConfigTable.lookup("requirepass").has(Flag.SENSITIVE));
        assertTrue(ConfigTable.lookup("save").has(Flag.MULTI_ARG));
        assertTrue(ConfigTable.lookup("watchdog-period").has(Flag.HIDDEN));
        assertTrue(ConfigTable.lookup("dir").has(Flag.PROTECTED));
        assertTrue(ConfigTable.lookup("appendonly").has(Flag.DENY_LOADING));
        assertTrue(ConfigTable.lookup("include").has(Flag.FILE_ONLY));
        assertTrue(ConfigTable.lookup("lua-replicate-commands").has(Flag.DEPRECATED));
        assertTrue(ConfigTable.lookup("replica-read-only").has(Flag.DEBUG));
    }

    @Test
    void implementedSet() {
        long implemented = ConfigTable.all().stream().filter(e -> e.has(Flag.IMPLEMENTED)).count();
        assertEquals(83, implemented);
        for (String n : List.of("port", "save", "replicaof", "include", "rename-command", "lazyfree-lazy-user-flush",
                "maxmemory", "client-output-buffer-limit", "stop-writes-on-bgsave-error",
                "rdb-save-incremental-fsync", "maxmemory-policy", "shutdown-on-sigterm", "lazyfree-lazy-expire",
                "lazyfree-lazy-user-del", "slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold",
                "latency-tracking", "notify-keyspace-events", "busy-reply-threshold", "user", "acllog-max-len", "aclfile",
                "acl-pubsub-default")) {
            assertTrue(ConfigTable.lookup(n).has(Flag.IMPLEMENTED), n);
        }
        for (String n : List.of("appendonly", "syslog-enabled", "cluster-enabled", "loadmodule", "sentinel")) {
            assertFalse(ConfigTable.lookup(n).has(Flag.IMPLEMENTED), n);
        }
    }

    @Test
    void lookupOfUnknownIsNull() {
        assertEquals(null, ConfigTable.lookup("no-such-directive"));
    }

    /** Every create*Config(...) name and alias of Redis 7.0.15's config.c is in the table (source tree needed). */
    @Test
    void everyStaticConfigOfRedisSourceIsKnown() throws Exception {
        Path src = Path.of("/tmp/redis-src/src/config.c");
        Assumptions.assumeTrue(Files.exists(src), "SKIPPED: Redis source not found at " + src);
        String text = Files.readString(src);
        text = text.substring(text.indexOf("standardConfig static_configs[]"), text.indexOf("/* NULL Terminator"));
        Matcher m = Pattern.compile("create\\w+Config\\(\"([^\"]+)\", (NULL|\"([^\"]+)\")").matcher(text);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
            ConfigEntry e = ConfigTable.lookup(m.group(1));
            assertNotNull(e, m.group(1));
            assertEquals(m.group(1), e.name());
            if (m.group(3) != null) {
                assertEquals(List.of(m.group(3)), e.aliases(), m.group(1));
            } else {
                assertEquals(List.of(), e.aliases(), m.group(1));
            }
        }
        long runtime = ConfigTable.all().stream().filter(ConfigEntry::isRuntime).count();
        assertEquals(names.size(), runtime);
    }
}
