package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static io.cascade.tests.support.Replication.fill;
import static io.cascade.tests.support.Replication.writeLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FAILOVER as Redis 7.0 coordinates it, with real redis-server replicas and masters on either side: a Cascade
 * master hands over to a redis-server replica, a redis-server master hands over to a Cascade, both without a full
 * resync and with equal datasets; and its errors, byte for byte as redis-server's.
 */
@ExtendWith(Servers.class)
class FailoverIT {
    private static long stat(ServerProcess p, String name) {
        try (Jedis j = p.jedis()) {
            return Long.parseLong(field(j.info("stats"), name));
        }
    }

    private static String info(ServerProcess p, String name) {
        try (Jedis j = p.jedis()) {
            return field(j.info("replication"), name);
        }
    }

    private static String failover(Jedis j, String... args) {
        try {
            Object r = j.sendCommand(() -> SafeEncoder.encode("FAILOVER"), args);
            return SafeEncoder.encode((byte[]) r);
        } catch (JedisDataException e) {
            return "-" + e.getMessage();
        }
    }

    private static ServerProcess cascade(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--enable-debug-command", "yes", "--repl-diskless-sync-delay",
                "0"));
        args.addAll(List.of(more));
        return ServerProcess.cascade(args.toArray(new String[0]));
    }

    @Test
    void cascadeMasterHandsOverToARedisReplica() throws Exception {
        try (ServerProcess master = cascade(); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess target = MasterIT.redisReplicaOf(master);
            ServerProcess other = MasterIT.redisReplicaOf(master);
            for (int i = 0; i < 30; i++) {
                writeLoad(m, i);
            }
            awaitInSync(master, target);
            awaitInSync(master, other);
            long fullBefore = stat(target, "sync_full");

            assertEquals("OK", failover(m, "TO", "127.0.0.1", Integer.toString(target.port())));
            await(() -> info(master, "master_failover_state").equals("no-failover"), 20_000, "failover ends");
            assertEquals("slave", info(master, "role"));
            assertEquals(Integer.toString(target.port()), info(master, "master_port"));
            assertEquals("master", info(target, "role"));
            await(() -> info(master, "master_link_status").equals("up"), 20_000, "old master follows the target");
            assertEquals(1, stat(target, "sync_partial_ok"), "the old master continued with +CONTINUE");
            assertEquals(fullBefore, stat(target, "sync_full"), "no full resync on the new master");

            // writes on the new master reach the old one; the other replica moves over with a partial resync
            try (Jedis t = target.jedis(); Jedis o = other.jedis()) {
                o.replicaof("127.0.0.1", target.port());
                for (int i = 30; i < 50; i++) {
                    writeLoad(t, i);
                }
                await(() -> stat(target, "sync_partial_ok") == 2, 20_000, "the other replica continued");
                assertEquals(fullBefore, stat(target, "sync_full"));
            }
            awaitInSync(target, master);
            awaitInSync(target, other);
            assertTrue(master.log().contains("is synced, failing over."), master.log());
        }
    }

    @Test
    void redisMasterHandsOverToACascadeReplica() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess target = cascade("--replicaof", "127.0.0.1 " + master.port());
            for (int i = 0; i < 30; i++) {
                writeLoad(m, i);
            }
            awaitInSync(master, target);
            String history = info(target, "master_replid");

            assertEquals("OK", failover(m));
            await(() -> info(master, "master_failover_state").equals("no-failover"), 20_000, "failover ends");
            assertEquals("master", info(target, "role"));
            assertEquals(history, info(target, "master_replid2"), "the old history stays valid as replid2");
            await(() -> info(master, "master_link_status").equals("up"), 20_000, "redis follows Cascade");
            assertEquals(1, stat(target, "sync_partial_ok"), "redis continued from Cascade with +CONTINUE");
            assertEquals(0, stat(target, "sync_full"));
            assertTrue(target.log().contains("Failover request received for replid " + history), target.log());
            try (Jedis t = target.jedis()) {
                for (int i = 30; i < 50; i++) {
                    writeLoad(t, i);
                }
            }
            awaitInSync(target, master);
        }
    }

    @Test
    void timeoutWithoutForceAbortsAndWritesResume() throws Exception {
        try (ServerProcess master = cascade(); Jedis m = master.jedis()) {
            ServerProcess replica = MasterIT.redisReplicaOf(master);
            m.set("k", "1");
            awaitInSync(master, replica);
            signal(replica, "STOP"); // the replica can acknowledge nothing more
            try {
                m.set("k", "2");
                assertEquals("OK", failover(m, "TO", "127.0.0.1", Integer.toString(replica.port()), "TIMEOUT",
                        "300"));
                assertEquals("waiting-for-sync", info(master, "master_failover_state"));
                // reads go on while the writes wait
                assertEquals("2", m.get("k"));
                await(() -> info(master, "master_failover_state").equals("no-failover"), 20_000, "the timeout");
                assertEquals("master", info(master, "role"));
                assertTrue(master.log().contains("aborted: Replica never caught up before timeout"), master.log());
                assertEquals("OK", m.set("k", "3"));
            } finally {
                signal(replica, "CONT");
            }
            awaitInSync(master, replica);
        }
    }

    @Test
    void writesWaitDuringTheFailoverAndAnAbortReleasesThem() throws Exception {
        try (ServerProcess master = cascade(); Jedis m = master.jedis();
             RawConnection writer = new RawConnection(master.port())) {
            ServerProcess replica = MasterIT.redisReplicaOf(master);
            awaitInSync(master, replica);
            signal(replica, "STOP");
            try {
                m.set("k", "1");
                assertEquals("OK", failover(m, "TO", "127.0.0.1", Integer.toString(replica.port()), "TIMEOUT",
                        "60000"));
                writer.send(RawConnection.encode("SET", "k", "2"));
                await(() -> field(m.info("clients"), "blocked_clients").equals("1"), 10_000, "the write waits");
                assertEquals("1", m.get("k"));
                assertEquals("-ERR REPLICAOF not allowed while failing over.", replicaofError(m));
                assertEquals("-ERR FAILOVER already in progress.", failover(m));
                assertEquals("OK", failover(m, "ABORT"));
                assertEquals("+OK\r\n", writer.readReply());
                assertEquals("2", m.get("k"));
                assertEquals("no-failover", info(master, "master_failover_state"));
            } finally {
                signal(replica, "CONT");
            }
            awaitInSync(master, replica);
        }
    }

    @Test
    void errorsAsRedisGivesThem() throws Exception {
        try (ServerProcess redis = ServerProcess.redis(); ServerProcess cascade = cascade();
             Jedis r = redis.jedis(); Jedis c = cascade.jedis()) {
            String[][] cases = {
                    {"ABORT"}, {}, {"TO", "127.0.0.1", "1"}, {"TO", "127.0.0.1", "x"}, {"FORCE", "TIMEOUT", "100"},
                    {"TIMEOUT", "0"}, {"TIMEOUT", "-5"}, {"TIMEOUT", "abc"}, {"BOGUS"}, {"TO", "h"},
                    {"FORCE", "FORCE"}, {"ABORT", "x"}, {"TIMEOUT", "10", "TIMEOUT", "10"},
            };
            for (String[] args : cases) {
                assertEquals(failover(r, args), failover(c, args), "FAILOVER " + String.join(" ", args));
            }
            // with a replica attached the checks that follow the parsing are reached
            ServerProcess rr = MasterIT.redisReplicaOf(redis);
            ServerProcess cr = MasterIT.redisReplicaOf(cascade);
            awaitInSync(redis, rr);
            awaitInSync(cascade, cr);
            String[][] attached = {
                    {"TO", "127.0.0.1", "1"}, {"TO", "127.0.0.1", "1", "FORCE"}, {"FORCE", "TIMEOUT", "100"},
            };
            for (String[] args : attached) {
                assertEquals(failover(r, args), failover(c, args), "FAILOVER " + String.join(" ", args));
            }
            try (Jedis rj = rr.jedis(); Jedis cj = cr.jedis()) {
                assertEquals(failover(rj), failover(cj), "FAILOVER on a replica");
            }
        }
    }

    private static String replicaofError(Jedis j) {
        try {
            return j.replicaof("127.0.0.1", 1);
        } catch (JedisDataException e) {
            return "-" + e.getMessage();
        }
    }

    private static void signal(ServerProcess p, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.process().pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
