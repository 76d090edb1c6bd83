package io.cascade.tests.support;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the replication tests share: a dataset of every type, a write load, and waits on offsets and digests
 * (never on fixed sleeps). Test thread.
 */
public final class Replication {
    private Replication() {
    }

    /** Every type Cascade has, small and large encodings, expiries, several databases, 16 KB to 1 MB values. */
    public static void fill(Jedis m) {
        for (int db : new int[] {0, 3, 9}) {
            m.select(db);
            for (int i = 0; i < 300; i++) {
                m.set("s:" + i, "v" + i);
                m.hset("h:" + (i % 20), "f" + i, "x" + i);
                m.rpush("l:" + (i % 10), "e" + i);
                m.sadd("set:" + (i % 7), "m" + i);
                m.sadd("iset:" + (i % 5), Integer.toString(i));
                m.zadd("z:" + (i % 4), i * 1.5, "zm" + i);
            }
            m.incr("counter");
            m.pexpire("s:1", 500_000);
            m.expire("h:2", 1000);
            m.set("big16k", "a".repeat(16 * 1024));
            m.set("big1m", "b".repeat(1024 * 1024));
            m.hset("bighash", "field", "c".repeat(100_000));
            m.pfadd("hll", "a", "b", "c");
            m.setbit("bits", 10_000, true);
        }
        m.select(0);
    }

    /** Waits until both report the same master_repl_offset and digest (never on a fixed sleep). */
    public static void awaitInSync(ServerProcess master, ServerProcess replica) throws Exception {
        try (Jedis m = master.jedis(); Jedis r = replica.jedis()) {
            await(() -> field(r.info("replication"), "master_link_status").equals("up")
                    && field(m.info("replication"), "master_repl_offset")
                            .equals(field(r.info("replication"), "master_repl_offset")), 30_000,
                    "replica in sync with its master");
            assertEquals(digest(m), digest(r), "digest of the replica equals its master's");
        }
    }

    public static String digest(Jedis j) {
        return SafeEncoder.encode((byte[]) j.sendCommand(() -> SafeEncoder.encode("DEBUG"), "DIGEST"));
    }

    public static String field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return "";
    }

    public static void await(BooleanSupplier cond, long millis, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A function library the write load loads (again, REPLACE) before calling it. */
    private static final String LIBRARY = "#!lua name=load\n"
            + "redis.register_function('bump', function(keys, args) return redis.call('incrby', keys[1], args[1]) end)";

    /** One round of writes of every kind Cascade has, scripts and functions included. */
    public static void writeLoad(Jedis m, int round) {
        m.select(round % 3);
        m.set("w:" + round, "v" + round);
        m.setex("ttl:" + round, 100, "x");
        m.incrByFloat("float", 1.5);
        m.lpush("q", "a" + round, "b" + round);
        m.lpop("q");
        m.sadd("pool", "p" + round, "q" + round);
        m.spop("pool");
        m.hincrBy("hh", "f", 1);
        m.zadd("zz", round * 0.5, "m" + round);
        m.zincrby("zz", 2.5, "m0");
        m.zpopmin("zz");
        // a stream with a group: "*" IDs, approximate trims and deliveries reach the replicas rewritten
        m.sendCommand(Protocol.Command.XADD, "st", "MAXLEN", "~", "30", "*", "r", Integer.toString(round));
        try {
            m.sendCommand(Protocol.Command.XGROUP, "CREATE", "st", "g", "0");
        } catch (JedisDataException busyGroup) {
            // created in an earlier round of this database
        }
        m.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g", "c" + round % 2, "COUNT", "2", "STREAMS", "st", ">");
        Transaction t = m.multi();
        t.set("tx:" + round, "1");
        t.incr("txc");
        t.exec();
        if (round % 10 == 0) {
            m.eval("redis.call('set', KEYS[1], ARGV[1]); redis.call('incr', 'evalc')", 1, "lua:" + round, "v");
            m.functionLoadReplace(LIBRARY);
            m.fcall("bump", List.of("fc"), List.of(Integer.toString(round)));
        }
        if (round % 25 == 0) {
            m.swapDB(1, 2);
        }
    }
}
