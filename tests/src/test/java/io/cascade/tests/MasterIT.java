package io.cascade.tests;

import io.cascade.tests.support.FakeReplica;
import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.cascade.tests.support.Replication.await;
import static io.cascade.tests.support.Replication.awaitInSync;
import static io.cascade.tests.support.Replication.field;
import static io.cascade.tests.support.Replication.fill;
import static io.cascade.tests.support.Replication.writeLoad;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cascade as the master of real redis-server replicas: full sync (diskless and disk-based), the stream of its
 * own writes, partial resync after a dropped link or a restart, a backlog overrun, WAIT and min-replicas, and
 * what INFO and ROLE show of its replicas.
 */
@ExtendWith(Servers.class)
class MasterIT {
    static ServerProcess redisReplicaOf(ServerProcess master, String... more) throws Exception {
        String[] args = new String[more.length + 4];
        args[0] = "--replicaof";
        args[1] = "127.0.0.1 " + master.port();
        args[2] = "--enable-debug-command";
        args[3] = "yes";
        System.arraycopy(more, 0, args, 4, more.length);
        return ServerProcess.redis(args);
    }

    private static long stat(Jedis j, String name) {
        return Long.parseLong(field(j.info("stats"), name));
    }

    @Test
    void redisReplicasFollowCascadeDisklessAndDiskBased() throws Exception {
        for (String diskless : List.of("yes", "no")) {
            try (ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes", "--repl-diskless-sync",
                    diskless, "--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
                fill(m);
                ServerProcess replica = redisReplicaOf(master);
                awaitInSync(master, replica);
                for (int i = 0; i < 40; i++) {
                    writeLoad(m, i);
                }
                awaitInSync(master, replica);
                String info = m.info("replication");
                assertEquals("1", field(info, "connected_slaves"));
                assertTrue(field(info, "slave0").startsWith("ip=127.0.0.1,port=" + replica.port() + ",state=online,"),
                        field(info, "slave0"));
                assertEquals("1", field(info, "repl_backlog_active"));
                List<Object> role = m.role();
                assertEquals("master", role.get(0));
                assertEquals(1, ((List<?>) role.get(2)).size(), "ROLE lists the online replica");
                assertEquals(1, stat(m, "sync_full"));
                try (Jedis r = replica.jedis()) {
                    assertEquals(field(info, "master_replid"), field(r.info("replication"), "master_replid"),
                            "the replica shares the master's history");
                }
                replica.close();
            }
        }
    }

    @Test
    void partialResyncAfterTheLinkDrops() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
            fill(m);
            ServerProcess replica = redisReplicaOf(master);
            awaitInSync(master, replica);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 20; i++) {
                    writeLoad(m, round * 100 + i);
                }
                m.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "replica");
                for (int i = 20; i < 40; i++) {
                    writeLoad(m, round * 100 + i);
                }
                long expected = round + 1;
                await(() -> stat(m, "sync_partial_ok") >= expected, 20_000, "partial resync accepted");
                awaitInSync(master, replica);
            }
            assertEquals(1, stat(m, "sync_full"), "no full sync after the first");
        }
    }

    @Test
    void backlogOverrunEndsInAFullSync() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes",
                "--repl-diskless-sync-delay", "0", "--repl-backlog-size", "16kb"); Jedis m = master.jedis()) {
            m.set("k", "v");
            ServerProcess replica = redisReplicaOf(master);
            awaitInSync(master, replica);
            try (Jedis r = replica.jedis()) {
                // the replica goes away while the master writes far more than its backlog holds
                r.replicaofNoOne();
                for (int i = 0; i < 200; i++) {
                    m.set("fill:" + i, "x".repeat(1000));
                }
                r.replicaof("127.0.0.1", master.port());
            }
            await(() -> stat(m, "sync_full") == 2, 20_000, "a second full sync");
            assertEquals(1, stat(m, "sync_partial_err"), "the PSYNC was refused: its offset left the backlog");
            awaitInSync(master, replica);
        }
    }

    @Test
    void restartedMasterLetsItsReplicaContinue() throws Exception {
        ServerProcess master = ServerProcess.cascade("--enable-debug-command", "yes", "--repl-diskless-sync-delay", "0");
        ServerProcess replica;
        try (Jedis m = master.jedis()) {
            fill(m);
            replica = redisReplicaOf(master);
            awaitInSync(master, replica);
            try {
                m.sendCommand(Protocol.Command.SHUTDOWN, "SAVE");
            } catch (redis.clients.jedis.exceptions.JedisConnectionException expected) {
                // the server closes the connection as it exits
            }
        }
        assertEquals(0, master.awaitExit(30));
        Path dir = Files.createTempDirectory("cascade-it-");
        Files.copy(master.dir().resolve("dump.rdb"), dir.resolve("dump.rdb"));
        try (ServerProcess restarted = ServerProcess.cascadeRestarted(dir, master.port(), "--enable-debug-command",
                "yes", "--repl-diskless-sync-delay", "0"); Jedis m = restarted.jedis()) {
            // the old history stays valid as replid2: the replica continues where it was
            await(() -> stat(m, "sync_partial_ok") == 1, 30_000, "the replica continued after the restart");
            assertEquals(0, stat(m, "sync_full"));
            writeLoad(m, 1);
            awaitInSync(restarted, replica);
        }
    }

    @Test
    void waitAndMinReplicas() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
            m.set("a", "1");
            assertEquals(0, m.waitReplicas(1, 100), "no replica yet: WAIT times out with 0");
            ServerProcess replica = redisReplicaOf(master);
            await(() -> field(m.info("replication"), "slave0").contains("state=online"), 20_000, "replica online");
            m.set("b", "2");
            assertEquals(1, m.waitReplicas(1, 5000), "the replica acknowledged the write");
            m.configSet("min-replicas-to-write", "2");
            JedisDataException e = assertThrows(JedisDataException.class, () -> m.set("c", "3"));
            assertEquals("NOREPLICAS Not enough good replicas to write.", e.getMessage());
            assertEquals("1", field(m.info("replication"), "min_slaves_good_slaves"));
            m.configSet("min-replicas-to-write", "1");
            assertEquals("OK", m.set("c", "3"));
            assertEquals(1, m.waitReplicas(1, 5000));
            try (Jedis r = replica.jedis()) {
                assertEquals("3", r.get("c"));
            }
        }
    }

    @Test
    void legacySyncGetsAnRdbAndTheStream() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--repl-diskless-sync-delay", "0"); Jedis m = master.jedis();
             Socket s = new Socket("127.0.0.1", master.port())) {
            m.set("before", "1");
            s.setSoTimeout(15_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            s.getOutputStream().write("SYNC\r\n".getBytes(StandardCharsets.US_ASCII));
            String header;
            do {
                header = line(in); // newlines first while the snapshot is prepared
            } while (header.isEmpty());
            assertTrue(header.startsWith("$") && !header.startsWith("$EOF:"), "a SYNC replica without capa eof gets a "
                    + "disk-based payload: " + header);
            byte[] rdb = in.readNBytes(Integer.parseInt(header.substring(1)));
            Path file = Files.createTempFile("sync-", ".rdb");
            Files.write(file, rdb);
            Process check = new ProcessBuilder("redis-check-rdb", file.toString()).redirectErrorStream(true).start();
            String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.waitFor(), report);
            assertTrue(report.contains("1 keys read"), report);
            Files.delete(file);
            m.set("after", "2");
            String expected = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$5\r\nafter\r\n$1\r\n2\r\n";
            StringBuilder stream = new StringBuilder();
            while (!stream.toString().contains(expected)) {
                int b = in.read();
                assertTrue(b >= 0 && stream.length() < 10_000, "the write did not arrive: " + stream);
                stream.append((char) b);
            }
        }
    }

    private static String line(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            assertTrue(c >= 0, "connection closed");
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    @Test
    void aReplicaOverItsOutputLimitIsDropped() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--repl-diskless-sync-delay", "0",
                "--client-output-buffer-limit", "replica 1mb 0 0"); Jedis m = master.jedis()) {
            FakeReplica stuck = new FakeReplica(master.port());
            await(() -> field(m.info("replication"), "slave0").contains("state=online"), 20_000, "replica online");
            stuck.ack();
            // the replica reads nothing more: what it is owed grows past the limit
            String value = "x".repeat(100_000);
            for (int i = 0; i < 400 && field(m.info("replication"), "connected_slaves").equals("1"); i++) {
                m.set("big:" + (i % 10), value);
            }
            await(() -> field(m.info("replication"), "connected_slaves").equals("0"), 20_000, "replica dropped");
            assertTrue(master.log().contains("scheduled to be closed ASAP for overcoming of output buffer limits"),
                    master.log());
            stuck.close();
        }
    }

    @Test
    void aReplicaOverTheSoftLimitForLongerThanItsSecondsIsDropped() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--repl-diskless-sync-delay", "0",
                "--client-output-buffer-limit", "replica 0 512kb 1"); Jedis m = master.jedis()) {
            FakeReplica stuck = new FakeReplica(master.port());
            await(() -> field(m.info("replication"), "slave0").contains("state=online"), 20_000, "replica online");
            stuck.ack();
            // 20 MB: more than the socket buffers take, so most of it waits in the master for the replica
            String value = "x".repeat(100_000);
            for (int i = 0; i < 200; i++) {
                m.set("big:" + (i % 10), value);
            }
            // over the soft limit, but not for long yet: still connected
            assertEquals("1", field(m.info("replication"), "connected_slaves"));
            long overSince = System.currentTimeMillis();
            // the limit is checked as the stream grows: small writes go on until it is dropped
            for (int i = 0; field(m.info("replication"), "connected_slaves").equals("1"); i++) {
                assertTrue(System.currentTimeMillis() - overSince < 20_000, "still connected after 20 s");
                m.set("small", Integer.toString(i));
                Thread.sleep(50);
            }
            assertTrue(System.currentTimeMillis() - overSince >= 1000, "dropped only after the soft limit's seconds");
            assertTrue(master.log().contains("scheduled to be closed ASAP for overcoming of output buffer limits"),
                    master.log());
            stuck.close();
        }
    }

    /**
     * A replica link gets nothing but the stream: a command sent on it that would be answered ends it, with
     * Redis's log lines; a PSYNC with an offset that is not a number is refused (Redis once started a full sync
     * and replied an error as well).
     */
    @Test
    void aReplicaLinkIsClosedRatherThanAnsweredAndABadOffsetIsRefused() throws Exception {
        try (ServerProcess master = ServerProcess.cascade("--repl-diskless-sync-delay", "0"); Jedis m = master.jedis()) {
            try (RawConnection link = new RawConnection(master.port())) {
                assertTrue(link.call("PSYNC", "replicationid", "-1").startsWith("+FULLRESYNC "));
                link.send(RawConnection.encode("GET", "foo"));
                String after = link.readUntilClosed();
                assertFalse(after.endsWith("$-1\r\n") || after.endsWith("(still open)"),
                        "no reply on the link, which is closed: " + after);
            }
            await(() -> master.log().contains("Replica generated a reply to command 'get', disconnecting it: "), 10_000,
                    "the disconnection logged");
            assertTrue(master.log().contains("== CRITICAL == This master is sending an error to its replica: "
                    + "'ERR Replica can't interact with the keyspace'"), master.log());
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> m.sendCommand(() -> SafeEncoder.encode("PSYNC"), "replicationid", "offset_str"));
            assertEquals("ERR value is not an integer or out of range", e.getMessage());
            assertTrue(master.log().contains("asks for synchronization but with a wrong offset"), master.log());
            assertEquals("PONG", m.ping(), "the client that sent it is not a replica");
        }
    }
}
