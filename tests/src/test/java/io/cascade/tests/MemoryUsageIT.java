package io.cascade.tests;

import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MEMORY USAGE on redis-server and Cascade side by side: Cascade answers with Redis 7.0's model of the value's
 * allocation, so for values whose Redis layout is deterministic (strings, listpacks, intsets, one-node lists)
 * the numbers are equal; MEMORY's errors and HELP are compared as well.
 */
@ExtendWith(Servers.class)
class MemoryUsageIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass();

    @Test
    void deterministicLayoutsMatchRedis() throws IOException {
        twin.flushAll();
        twin.same("SET", "int", "12345");
        twin.same("SET", "embstr", "hello");
        twin.same("SET", "raw", "x".repeat(300));
        twin.same("HSET", "lphash", "a", "1", "field", "value");
        twin.same("SADD", "intset", "1", "2", "70000");
        twin.same("RPUSH", "list", "a", "b", "c");
        for (String key : new String[] {"int", "embstr", "raw", "lphash", "intset", "list"}) {
            twin.same("MEMORY", "USAGE", key);
            twin.same("MEMORY", "USAGE", key, "SAMPLES", "0");
        }
        twin.same("MEMORY", "USAGE", "missing");
    }

    @Test
    void largeValuesAreEstimatedAsRedisDoes() throws IOException {
        twin.flushAll();
        String[] push = new String[2 + 3000];
        push[0] = "RPUSH";
        push[1] = "big";
        for (int i = 0; i < 3000; i++) {
            push[2 + i] = Integer.toString(i);
        }
        twin.same(push);
        long redis = usage(twin.redis.cli("MEMORY", "USAGE", "big", "SAMPLES", "0"));
        long cascade = usage(twin.cascade.cli("MEMORY", "USAGE", "big", "SAMPLES", "0"));
        assertTrue(Math.abs(redis - cascade) <= redis / 20, "redis " + redis + " cascade " + cascade);
    }

    @Test
    void errorsAndHelp() throws IOException {
        twin.same("MEMORY", "USAGE", "k", "SAMPLES", "-1");
        twin.same("MEMORY", "USAGE", "k", "SAMPLES", "x");
        twin.same("MEMORY", "USAGE", "k", "SAMPLES");
        twin.same("MEMORY", "USAGE");
        twin.same("MEMORY", "HELP");
        twin.same("MEMORY", "PURGE");
        twin.same("MEMORY", "NOSUCH");
    }

    private static long usage(String cliOutput) {
        return Long.parseLong(cliOutput.trim());
    }
}
