package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static io.cascade.tests.support.Replication.fill;
import static io.cascade.tests.support.Replication.writeLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cascade as the replica of a real redis-server 7.0 master: full sync (disk-based and diskless payloads), the
 * stream applied exactly (DEBUG DIGEST and master_repl_offset equal on both), partial resync after the
 * master drops the link, authentication, and what clients see on a replica (ROLE, INFO, READONLY).
 */
@ExtendWith(Servers.class)
class ReplicaIT {
    private static ServerProcess cascadeReplicaOf(ServerProcess master, String... more) throws Exception {
        String[] args = new String[more.length + 4];
        args[0] = "--enable-debug-command";
        args[1] = "yes";
        args[2] = "--replicaof";
        args[3] = "127.0.0.1 " + master.port();
        System.arraycopy(more, 0, args, 4, more.length);
        return ServerProcess.cascade(args);
    }

    @Test
    void followsDiskBasedMaster() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--repl-diskless-sync", "no"); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess replica = cascadeReplicaOf(master);
            awaitInSync(master, replica);
            for (int i = 0; i < 50; i++) {
                writeLoad(m, i);
            }
            awaitInSync(master, replica);
        }
    }

    @Test
    void followsDisklessMasterInEveryLoadMode() throws Exception {
        for (String mode : List.of("disabled", "on-empty-db", "swapdb")) {
            try (ServerProcess master = ServerProcess.redis("--repl-diskless-sync", "yes",
                    "--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
                fill(m);
                ServerProcess replica = cascadeReplicaOf(master, "--repl-diskless-load", mode);
                awaitInSync(master, replica);
                writeLoad(m, 1);
                awaitInSync(master, replica);
                replica.close();
            }
        }
    }

    @Test
    void partialResyncAfterTheMasterDropsTheLink() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess replica = cascadeReplicaOf(master);
            awaitInSync(master, replica);
            long fullBefore = Long.parseLong(field(m.info("stats"), "sync_full"));
            long partialBefore = Long.parseLong(field(m.info("stats"), "sync_partial_ok"));
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 20; i++) {
                    writeLoad(m, round * 100 + i);
                }
                try (Jedis admin = master.jedis()) {
                    admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
                }
                for (int i = 20; i < 40; i++) {
                    writeLoad(m, round * 100 + i);
                }
                long expected = partialBefore + round + 1;
                await(() -> Long.parseLong(field(m.info("stats"), "sync_partial_ok")) >= expected, 20_000,
                        "partial resync accepted by the master");
                awaitInSync(master, replica);
            }
            assertEquals(fullBefore, Long.parseLong(field(m.info("stats"), "sync_full")), "no new full sync");
        }
    }

    /**
     * The master drops the link inside a transaction (as Redis's suite does before it checks the swapped-in
     * dataset): a client asking the replica right after EXEC must already see the link down, as from Redis,
     * since the master closed the socket before it answered EXEC. The link's events are handled on the command
     * thread ahead of the requests that arrive after them.
     */
    @Test
    void aDroppedLinkIsSeenBeforeTheNextRequest() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            ServerProcess replica = cascadeReplicaOf(master);
            try (Jedis r = replica.jedis()) {
                for (int round = 0; round < 10; round++) {
                    await(() -> field(r.info("replication"), "master_link_status").equals("up"), 20_000,
                            "the link up");
                    Transaction t = m.multi();
                    t.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
                    t.exec();
                    assertEquals("down", field(r.info("replication"), "master_link_status"), "round " + round);
                }
            }
        }
    }

    @Test
    void restartReloadsItsRdbAndContinues() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess replica = cascadeReplicaOf(master);
            for (int i = 0; i < 20; i++) {
                writeLoad(m, i);
            }
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                r.sendCommand(Protocol.Command.SHUTDOWN, "SAVE");
            } catch (redis.clients.jedis.exceptions.JedisConnectionException expected) {
                // the server closes the connection as it exits
            }
            assertEquals(0, replica.awaitExit(30));
            Path dir = Files.createTempDirectory("cascade-it-");
            Files.copy(replica.dir().resolve("dump.rdb"), dir.resolve("dump.rdb"));
            for (int i = 20; i < 40; i++) {
                writeLoad(m, i); // written while the replica is down: the PSYNC must bring them
            }
            long fullBefore = Long.parseLong(field(m.info("stats"), "sync_full"));
            long partialBefore = Long.parseLong(field(m.info("stats"), "sync_partial_ok"));
            ServerProcess restarted = ServerProcess.cascadeStarting(dir, "--enable-debug-command", "yes",
                    "--replicaof", "127.0.0.1 " + master.port());
            await(() -> {
                try (Jedis r = restarted.jedis()) {
                    return field(r.info("replication"), "master_link_status").equals("up");
                } catch (RuntimeException notYet) {
                    return false;
                }
            }, 30_000, "restarted replica linked");
            awaitInSync(master, restarted);
            assertEquals(partialBefore + 1, Long.parseLong(field(m.info("stats"), "sync_partial_ok")));
            assertEquals(fullBefore, Long.parseLong(field(m.info("stats"), "sync_full")));
        }
    }

    @Test
    void backlogOverrunEndsInAFullSync() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--repl-backlog-size", "16kb"); Jedis m = master.jedis()) {
            m.set("k", "v");
            ServerProcess replica = cascadeReplicaOf(master);
            awaitInSync(master, replica);
            long fullBefore = Long.parseLong(field(m.info("stats"), "sync_full"));
            try (Jedis r = replica.jedis()) {
                // the link is down while the master writes far more than its backlog holds
                r.sendCommand(Protocol.Command.CONFIG, "SET", "repl-timeout", "60");
            }
            m.configSet("repl-backlog-size", "16kb");
            m.sendCommand(Protocol.Command.CLIENT, "PAUSE", "0");
            try (Jedis admin = master.jedis()) {
                admin.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
                for (int i = 0; i < 200; i++) {
                    admin.set("fill:" + i, "x".repeat(1000));
                }
            }
            await(() -> Long.parseLong(field(m.info("stats"), "sync_full")) > fullBefore, 20_000, "a new full sync");
            awaitInSync(master, replica);
        }
    }

    @Test
    void newMasterHistoryMeansAFullSync() throws Exception {
        ServerProcess master = ServerProcess.redis();
        int port = master.port();
        try (Jedis m = master.jedis()) {
            m.set("old", "1");
        }
        ServerProcess replica = cascadeReplicaOf(master);
        awaitInSync(master, replica);
        master.close();
        try (Jedis r = replica.jedis()) {
            await(() -> field(r.info("replication"), "master_link_status").equals("down"), 20_000, "link down");
            assertEquals("1", r.get("old"), "stale data served while the master is away");
            ServerProcess fresh = ServerProcess.redis();
            try (Jedis f = fresh.jedis()) {
                f.set("new", "2");
            }
            r.replicaof("127.0.0.1", fresh.port());
            awaitInSync(fresh, replica);
            assertEquals(null, r.get("old"));
            assertEquals("2", r.get("new"));
            fresh.close();
        }
        assertTrue(port > 0);
    }

    @Test
    void authenticatesWithMasterauthAndMasteruser() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--requirepass", "s3cret"); Jedis m = master.jedis()) {
            m.auth("s3cret");
            m.aclSetUser("repl", "on", ">replpass", "+@all", "~*");
            m.set("k", "v");
            ServerProcess wrong = cascadeReplicaOf(master, "--masterauth", "nope");
            try (Jedis r = wrong.jedis()) {
                await(() -> wrong.log().contains("Unable to AUTH to MASTER"), 10_000, "AUTH failure logged");
                assertEquals("down", field(r.info("replication"), "master_link_status"));
                // the link is retried with the right password once it is configured
                r.configSet("masterauth", "s3cret");
                await(() -> field(r.info("replication"), "master_link_status").equals("up"), 20_000, "link up");
                assertEquals("v", r.get("k"));
            }
            ServerProcess user = cascadeReplicaOf(master, "--masteruser", "repl", "--masterauth", "replpass");
            try (Jedis r = user.jedis()) {
                await(() -> field(r.info("replication"), "master_link_status").equals("up"), 20_000, "link up");
                assertEquals("v", r.get("k"));
            }
        }
    }

    @Test
    void clientsSeeAReplica() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            m.set("k", "v");
            ServerProcess replica = ServerProcess.cascade("--enable-debug-command", "yes");
            try (Jedis r = replica.jedis()) {
                assertEquals("master", r.role().get(0));
                RawConnection blocked = new RawConnection(replica.port());
                blocked.send(RawConnection.encode("BLPOP", "nothing", "0"));
                await(() -> field(r.info("clients"), "blocked_clients").equals("1"), 10_000, "client blocked");
                assertEquals("OK", r.replicaof("127.0.0.1", master.port()));
                assertEquals("-UNBLOCKED force unblock from blocking operation, instance state changed (master -> "
                        + "replica?)\r\n", blocked.readReply());
                assertTrue(blocked.closedByServer(), "the unblocked client is closed after its reply");
                blocked.close();
                awaitInSync(master, replica);
                assertEquals("OK Already connected to specified master", r.replicaof("127.0.0.1", master.port()));
                assertTrue(r.clientList().contains("flags=M"), "the master's link is listed with flag M");
                long partialBefore = Long.parseLong(field(m.info("stats"), "sync_partial_ok"));
                r.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "master");
                await(() -> Long.parseLong(field(m.info("stats"), "sync_partial_ok")) > partialBefore, 20_000,
                        "CLIENT KILL TYPE master on the replica ends in a partial resync");
                awaitInSync(master, replica);
                List<Object> role = r.role();
                assertEquals("slave", role.get(0));
                assertEquals((long) master.port(), role.get(2));
                assertEquals("connected", String.valueOf(role.get(3)));
                JedisDataException e = assertThrows(JedisDataException.class, () -> r.set("x", "y"));
                assertEquals("READONLY You can't write against a read only replica.", e.getMessage());
                Map<String, String> fields = Map.of("role", "slave", "master_host", "127.0.0.1",
                        "master_port", Integer.toString(master.port()), "slave_read_only", "1");
                String info = r.info("replication");
                fields.forEach((k, v) -> assertEquals(v, field(info, k), k));
                assertEquals("ERR Invalid master port", assertThrows(JedisDataException.class,
                        () -> r.replicaof("127.0.0.1", 99999)).getMessage());
                // logically expired keys are hidden from reads but kept until the master's DEL
                m.set("soon", "x", redis.clients.jedis.params.SetParams.setParams().px(300));
                awaitInSync(master, replica);
                m.sendCommand(() -> SafeEncoder.encode("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
                Thread.sleep(400); // the key's own 300 ms must pass: this is the behaviour under test
                assertEquals(null, r.get("soon"));
                assertEquals(2L, r.dbSize());
                assertEquals("OK", r.replicaofNoOne());
                assertEquals("master", r.role().get(0));
                assertEquals("OK", r.set("x", "y"));
            }
        }
    }

    @Test
    void aWritableReplicaExpiresItsOwnKeysOnly() throws Exception {
        try (ServerProcess master = ServerProcess.redis(); Jedis m = master.jedis()) {
            m.sendCommand(() -> SafeEncoder.encode("DEBUG"), "SET-ACTIVE-EXPIRE", "0");
            m.set("from-master", "x", redis.clients.jedis.params.SetParams.setParams().px(200));
            ServerProcess replica = cascadeReplicaOf(master, "--replica-read-only", "no");
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                r.set("own", "y", redis.clients.jedis.params.SetParams.setParams().px(200));
                assertEquals("1", field(r.info("stats"), "slave_expires_tracked_keys"));
                // the replica deletes the key its own client gave a TTL; the master's expired key stays for its DEL
                await(() -> r.dbSize() == 1, 10_000, "the replica's own key expired");
                assertEquals(null, r.get("from-master"), "the master's expired key is hidden");
                assertEquals("0", field(r.info("stats"), "slave_expires_tracked_keys"));
            }
        }
    }

    @Test
    void swapdbKeepsServingOnlyWithinTheSameHistory() throws Exception {
        try (ServerProcess master = ServerProcess.redis("--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16kb");
             Jedis m = master.jedis()) {
            for (int i = 0; i < 1000; i++) {
                m.set("k:" + i, "v" + i);
            }
            ServerProcess replica = cascadeReplicaOf(master, "--repl-diskless-load", "swapdb");
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                // the same history again, by a full sync (the backlog overrun while the link is down): the old
                // data answers while the new one loads (async_loading)
                m.configSet("rdb-key-save-delay", "2000"); // 2 ms a key: the snapshot takes about 2 s
                long fullBefore = Long.parseLong(field(m.info("stats"), "sync_full"));
                // in one transaction: the replica reconnects within a millisecond, so separate writes might reach
                // it through its PSYNC before they overran the backlog
                try (Jedis admin = master.jedis(); Transaction t = admin.multi()) {
                    t.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
                    for (int i = 0; i < 100; i++) {
                        t.set("fill:" + i, "x".repeat(1000));
                    }
                    t.exec();
                }
                await(() -> Long.parseLong(field(m.info("stats"), "sync_full")) > fullBefore, 20_000, "a full sync");
                await(() -> field(r.info("persistence"), "async_loading").equals("1"), 20_000, "async loading");
                assertEquals("0", field(r.info("persistence"), "loading"));
                assertEquals("v1", r.get("k:1"), "the old dataset answers meanwhile");
                // but what would replace the dataset waits: commands flagged no-async-loading, and appendonly
                List<Runnable> denied = List.of(r::replicaofNoOne, () -> r.configSet("appendonly", "no"));
                for (Runnable command : denied) {
                    JedisDataException e = assertThrows(JedisDataException.class, command::run);
                    assertTrue(e.getMessage().startsWith("LOADING"), e.getMessage());
                }
                m.configSet("rdb-key-save-delay", "0");
                awaitInSync(master, replica);
                // a new history: -LOADING meanwhile, as Redis does (the old data is another dataset)
                try (ServerProcess other = ServerProcess.redis("--repl-diskless-sync-delay", "0",
                        "--rdb-key-save-delay", "2000"); Jedis o = other.jedis()) {
                    // 100 KB: redis-server's RDB child writes its pipe 16 KB at a time, so the payload starts
                    // arriving early and the load from the socket lasts most of the 2 s (a payload smaller than
                    // one write would arrive whole at the end and load in a few ms, too briefly to observe)
                    for (int i = 0; i < 1000; i++) {
                        o.set("o:" + i, "w".repeat(100) + i);
                    }
                    r.replicaof("127.0.0.1", other.port());
                    await(() -> field(r.info("persistence"), "loading").equals("1"), 20_000, "loading");
                    assertEquals("0", field(r.info("persistence"), "async_loading"));
                    JedisDataException e = assertThrows(JedisDataException.class, () -> r.get("k:1"));
                    assertTrue(e.getMessage().startsWith("LOADING"), e.getMessage());
                    o.configSet("rdb-key-save-delay", "0");
                    awaitInSync(other, replica);
                }
            }
        }
    }
}
