package io.cascade.tests;

import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisDataException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory: used_memory follows the dataset, the OOM refusals are Redis's (compared with redis-server 7.0 for
 * commands, MULTI and scripts), and the eviction policies free what they should: LFU keeps the keys in use,
 * volatile-* only touches keys with a TTL, and evicted keys reach subscribers ("evicted" events) and replicas
 * (their DEL).
 */
@ExtendWith(Servers.class)
class MaxmemoryIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    @AfterEach
    void noLimit() throws IOException {
        twin.same("CONFIG", "SET", "maxmemory", "0");
        twin.same("CONFIG", "SET", "maxmemory-policy", "noeviction");
    }

    private static long used(Jedis j) {
        return Long.parseLong(field(j.info("memory"), "used_memory"));
    }

    /** The keys and values alone: what the replication backlog or client buffers hold does not move it. */
    private static long dataset(Jedis j) {
        return Long.parseLong(field(j.info("memory"), "used_memory_dataset"));
    }

    private static long evicted(Jedis j) {
        return Long.parseLong(field(j.info("stats"), "evicted_keys"));
    }

    @Test
    void usedMemoryFollowsTheDataset() {
        try (Jedis c = twin.cascade.jedis()) {
            long before = dataset(c);
            c.set("big".getBytes(), new byte[1 << 20]);
            long withString = dataset(c);
            assertTrue(withString - before >= 1 << 20 && withString - before < (1 << 20) + 64 * 1024,
                    "a 1 MB string adds about 1 MB: " + (withString - before));
            for (int i = 0; i < 5000; i++) {
                c.hset("hash", "field:" + i, "value:" + i);
            }
            long withHash = dataset(c);
            assertTrue(withHash - withString > 5000 * 20, "5000 fields take room: " + (withHash - withString));
            c.del("big", "hash");
            assertEquals(before, dataset(c), "deleting gives it all back");
        }
    }

    @Test
    void refusalsAreRedisOnes() throws IOException {
        twin.same("SET", "k", "v");
        twin.same("CONFIG", "SET", "maxmemory", "1");
        twin.same("SET", "x", "y");
        twin.same("APPEND", "k", "more");
        twin.same("GET", "k");
        twin.same("EXPIRE", "k", "100");
        // a script of the old kind fails at its first deny-oom call, one with flags before it runs
        twin.same("EVAL", "return redis.call('set','x','y')", "0");
        twin.same("EVAL", "return redis.pcall('set','x','y')", "0");
        twin.same("EVAL", "return redis.call('get','k')", "0");
        twin.same("EVAL", "#!lua\nreturn redis.call('set','x','y')", "0");
        twin.same("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','y')", "0");
        twin.same("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','x')", "0");
        twin.sameAll(new String[] {"MULTI"}, new String[] {"GET", "k"}, new String[] {"EXEC"});
        twin.sameAll(new String[] {"MULTI"}, new String[] {"SET", "a", "b"}, new String[] {"DISCARD"});
        twin.same("DEL", "k", "x");
        twin.same("INFO", "errorstats");
        twin.same("CONFIG", "SET", "maxmemory", "0");
        twin.same("SET", "x", "y");
        twin.sameDigest();
    }

    @Test
    void lfuKeepsTheKeysInUse() throws Exception {
        try (Jedis c = twin.cascade.jedis()) {
            c.configSet("maxmemory-policy", "allkeys-lfu");
            for (int i = 0; i < 200; i++) {
                c.set("hot:" + i, "x".repeat(100));
            }
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 200; i++) {
                    c.get("hot:" + i);
                }
            }
            long limit = used(c) + 200_000;
            c.configSet("maxmemory", Long.toString(limit));
            for (int i = 0; i < 5000; i++) {
                c.set("cold:" + i, "x".repeat(100));
            }
            assertTrue(used(c) <= limit, "used_memory " + used(c) + " stays under maxmemory " + limit);
            assertTrue(evicted(c) > 2000, "keys were evicted: " + evicted(c));
            int hot = 0;
            for (int i = 0; i < 200; i++) {
                hot += c.exists("hot:" + i) ? 1 : 0;
            }
            assertTrue(hot >= 190, "the keys read often stay: " + hot + " of 200");
        }
    }

    @Test
    void volatilePoliciesOnlyEvictKeysWithATtl() throws InterruptedException {
        for (String policy : new String[] {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
            // the eviction CONFIG SET starts goes on between requests (Redis's evictionTimeProc): wait for it
            try (Jedis c = twin.cascade.jedis()) {
                c.flushAll();
                c.configSet("maxmemory", "0");
                c.configSet("maxmemory-policy", policy);
                for (int i = 0; i < 1000; i++) {
                    c.set("keep:" + i, "x".repeat(100));
                }
                long keepOnly = used(c);
                long limit = keepOnly + 100_000;
                c.configSet("maxmemory", Long.toString(limit));
                for (int i = 0; i < 3000; i++) {
                    c.setex("vol:" + i, 10_000, "x".repeat(100));
                }
                // as Redis's own test allows: the last write may take a little past it
                assertTrue(used(c) < limit + 4096, policy + ": under the limit");
                for (int i = 0; i < 1000; i++) {
                    assertTrue(c.exists("keep:" + i), policy + ": keep:" + i + " has no TTL and stays");
                }
                // a limit under what the keys without a TTL take: every volatile key goes, then writes are refused
                c.configSet("maxmemory", Long.toString(keepOnly - 20_000));
                await(() -> c.dbSize() == 1000, 10_000, policy + ": every volatile key evicted");
                JedisDataException e = assertThrows(JedisDataException.class, () -> c.set("one", "more"));
                assertEquals("OOM command not allowed when used memory > 'maxmemory'.", e.getMessage(), policy);
                c.configSet("maxmemory", "0");
            }
        }
    }

    @Test
    void evictedKeysReachSubscribersAndReplicas() throws Exception {
        // a master of its own: the backlog its replica makes must not move the other tests' used_memory
        try (ServerProcess master = ServerProcess.cascade("--save", "", "--enable-debug-command", "yes");
             ServerProcess replica = ServerProcess.redis("--replicaof", "127.0.0.1", Integer.toString(master.port()));
             Jedis c = master.jedis(); Jedis sub = master.jedis()) {
            for (int i = 0; i < 100; i++) {
                c.set("k:" + i, "v".repeat(1000));
            }
            awaitInSync(master, replica);
            c.configSet("notify-keyspace-events", "Ee");
            c.configSet("maxmemory-policy", "allkeys-random");
            List<String> events = new CopyOnWriteArrayList<>();
            JedisPubSub listener = new JedisPubSub() {
                @Override
                public void onPMessage(String pattern, String channel, String message) {
                    events.add(channel + " " + message);
                }
            };
            Thread t = new Thread(() -> sub.psubscribe(listener, "__keyevent@0__:evicted"));
            t.start();
            await(() -> listener.isSubscribed(), 5000, "subscribed");
            c.configSet("maxmemory", Long.toString(used(c) - 50_000));
            await(() -> evicted(c) > 0 && events.size() == evicted(c), 5000, "an event for every evicted key");
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                if (!c.exists("k:" + i)) {
                    expected.add("__keyevent@0__:evicted k:" + i);
                }
            }
            assertEquals(expected.stream().sorted().toList(), events.stream().sorted().toList());
            c.configSet("maxmemory", "0");
            listener.punsubscribe();
            t.join(5000);
            // the evictions went down the stream as DELs: the replica holds what the master holds
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                assertEquals(c.dbSize(), r.dbSize());
            }
        }
    }
}
