package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

import java.util.List;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.field;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CLIENT PAUSE and UNPAUSE on redis-server and Cascade side by side: which commands wait under WRITE and ALL,
 * the order they run in once unpaused, expiry held still, the replies and errors compared byte for byte; and a
 * paused Cascade replica of a real master, whose offset stays put while it keeps reading the stream.
 */
@ExtendWith(Servers.class)
class PauseIT {
    private static int blocked(RawConnection c) throws Exception {
        return Integer.parseInt(field((c.call("INFO", "clients")), "blocked_clients"));
    }

    /** The same scenario on both servers; returns what each connection saw, in order. */
    private static List<String> scenario(ServerProcess p) throws Exception {
        try (RawConnection admin = new RawConnection(p.port()); RawConnection w1 = new RawConnection(p.port());
             RawConnection w2 = new RawConnection(p.port()); RawConnection r = new RawConnection(p.port())) {
            StringBuilder seen = new StringBuilder();
            admin.call("FLUSHALL");
            admin.call("SET", "k", "0");
            admin.call("PFADD", "hll", "a");
            seen.append((admin.call("CLIENT", "PAUSE", "100000", "WRITE"))).append('|');
            // reads, PING and a read-only transaction run; writes, PUBLISH and PFCOUNT wait, in arrival order
            seen.append((r.call("GET", "k"))).append('|');
            seen.append((r.call("MULTI"))).append((r.call("GET", "k")))
                    .append((r.call("EXEC"))).append('|');
            w1.send(RawConnection.encode("SET", "k", "1"));
            w1.send(RawConnection.encode("GET", "k"));
            await(() -> blockedOf(admin) == 1, 10_000, "the SET waits");
            w2.send(RawConnection.encode("PFCOUNT", "hll"));
            w2.send(RawConnection.encode("PUBLISH", "ch", "m"));
            await(() -> blockedOf(admin) == 2, 10_000, "PFCOUNT waits");
            // an arity error is answered at once
            seen.append((r.call("SET", "k"))).append('|');
            seen.append((r.call("GET", "k"))).append('|');
            seen.append((admin.call("CLIENT", "UNPAUSE"))).append('|');
            seen.append((w1.readReply())).append((w1.readReply())).append('|');
            seen.append((w2.readReply())).append((w2.readReply())).append('|');
            seen.append(blocked(admin)).append('|');
            // ALL: even reads (and CLIENT UNPAUSE) wait, until the pause times out
            seen.append((admin.call("CLIENT", "PAUSE", "300", "ALL"))).append('|');
            r.send(RawConnection.encode("GET", "k"));
            seen.append((r.readReply())).append('|');
            // expired keys are hidden but kept during a pause, then deleted
            admin.call("SET", "e", "x", "PX", "1");
            admin.call("CLIENT", "PAUSE", "100000", "WRITE");
            long expired = Long.parseLong(field((admin.call("INFO", "stats")), "expired_keys"));
            await(() -> "$-1\r\n".equals(text(admin, "GET", "e")), 10_000, "e is logically expired");
            seen.append(Long.parseLong(field((admin.call("INFO", "stats")), "expired_keys")) - expired)
                    .append('|');
            admin.call("CLIENT", "UNPAUSE");
            admin.call("GET", "e");
            seen.append(Long.parseLong(field((admin.call("INFO", "stats")), "expired_keys")) - expired)
                    .append('|');
            // a timed pause ends by itself
            seen.append((admin.call("CLIENT", "PAUSE", "200", "WRITE"))).append('|');
            seen.append((w1.call("SET", "k", "after"))).append('|');
            for (String[] bad : new String[][] {{"CLIENT", "PAUSE", "abc"}, {"CLIENT", "PAUSE", "-1"},
                    {"CLIENT", "PAUSE", "10", "foo"}, {"CLIENT", "PAUSE", "1", "2", "3"}, {"CLIENT", "PAUSE"},
                    {"CLIENT", "UNPAUSE", "x"}}) {
                seen.append((admin.call(bad))).append('|');
            }
            return List.of(seen.toString().split("\\|"));
        }
    }

    private static int blockedOf(RawConnection c) {
        try {
            return blocked(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(RawConnection c, String... args) {
        try {
            return c.call(args);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void pauseAsRedisPausesIt() throws Exception {
        try (ServerProcess redis = ServerProcess.redis(); ServerProcess cascade = ServerProcess.cascade()) {
            assertEquals(scenario(redis), scenario(cascade));
        }
    }

    @Test
    void aPausedReplicaReadsTheStreamButDoesNotApplyIt() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--repl-ping-replica-period", "3600");
             Jedis m = master.jedis()) {
            ServerProcess replica = ServerProcess.cascade("--replicaof", "127.0.0.1 " + master.port());
            try (Jedis r = replica.jedis()) {
                // linked first, so the master's SELECT goes with this write and not with the paused one
                await(() -> field(r.info("replication"), "master_link_status").equals("up"), 20_000, "link up");
                m.set("foo", "bar");
                await(() -> field(r.info("replication"), "slave_repl_offset")
                        .equals(field(m.info("replication"), "master_repl_offset")), 20_000, "replica in sync");
                String applied = field(r.info("replication"), "slave_repl_offset");
                r.clientPause(100_000, redis.clients.jedis.args.ClientPauseMode.WRITE);
                m.set("foo2", "bar2");
                String target = field(m.info("replication"), "master_repl_offset");
                await(() -> field(r.info("replication"), "slave_read_repl_offset").equals(target), 20_000,
                        "the replica read the write");
                assertEquals(applied, field(r.info("replication"), "slave_repl_offset"), "but did not apply it");
                assertEquals(null, r.get("foo2"));
                r.clientUnpause();
                await(() -> field(r.info("replication"), "slave_repl_offset").equals(target), 20_000,
                        "applied once unpaused");
                assertEquals("bar2", r.get("foo2"));
            }
        }
    }
}
