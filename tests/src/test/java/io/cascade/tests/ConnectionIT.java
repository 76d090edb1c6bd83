package io.cascade.tests;

import io.cascade.tests.support.Cli;
import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a client sees of the connection layer: Jedis and redis-cli against a running Cascade. */
@ExtendWith(Servers.class)
class ConnectionIT {

    @Test
    void pingEchoSelectAndPipelineWithJedis() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        try (Jedis j = c.jedis()) {
            assertEquals("PONG", j.ping());
            assertEquals("hi", j.echo("hi"));
            assertEquals("OK", j.select(15));
            assertEquals(0L, j.dbSize());
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.select(16));
            assertEquals("ERR DB index is out of range", e.getMessage());
            Pipeline p = j.pipelined();
            List<Response<Object>> replies = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                replies.add(p.sendCommand(Protocol.Command.ECHO, "m" + i));
            }
            p.sync();
            for (int i = 0; i < 2000; i++) {
                assertEquals("m" + i, SafeEncoder.encode((byte[]) replies.get(i).get()));
            }
        }
        assertEquals("PONG", c.cli("PING"));
        assertEquals("hello world", c.cli("ECHO", "hello world"));
    }

    @Test
    void deepPipelinesAreAllAnsweredInOrder() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        int n = 100_000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("ECHO ").append(i).append("\r\n");
        }
        try (RawConnection raw = new RawConnection(c.port())) {
            // sent from another thread: the server stops reading while its queue is full (backpressure),
            // so a writer that never reads would deadlock against it
            Thread writer = new Thread(() -> {
                try {
                    raw.send(b.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            for (int i = 0; i < n; i++) {
                String expected = "$" + String.valueOf(i).length() + "\r\n" + i + "\r\n";
                String got = raw.readReply();
                if (!expected.equals(got)) {
                    assertEquals(expected, got, "reply " + i);
                }
            }
            writer.join(10_000);
        }
    }

    @Test
    void requirepassGatesCommandsUntilAuth() throws Exception {
        ServerProcess c = ServerProcess.cascade("--requirepass", "s3cret");
        try (RawConnection raw = new RawConnection(c.port())) {
            assertEquals("-NOAUTH Authentication required.\r\n", raw.call("PING"));
            assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", raw.call("AUTH", "nope"));
            // before AUTH Redis refuses big requests outright
            raw.send("*20\r\n");
            assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", raw.readReply());
            assertTrue(raw.closedByServer());
        }
        try (RawConnection raw = new RawConnection(c.port())) {
            // a pipelined AUTH is applied before the next request is even parsed
            raw.send(RawConnection.encode("AUTH", "s3cret"));
            raw.send(RawConnection.encode("ECHO", "x".repeat(20_000)));
            assertEquals("+OK\r\n", raw.readReply());
            assertTrue(raw.readReply().startsWith("$20000\r\n"));
            assertEquals("+OK\r\n", raw.call("AUTH", "default", "s3cret"));
        }
        assertTrue(c.cli("PING").contains("NOAUTH"));
        assertEquals("PONG", c.cli("-a", "s3cret", "--no-auth-warning", "PING"));
        try (Jedis j = c.jedis()) {
            j.auth("s3cret");
            assertEquals("PONG", j.ping());
        }
    }

    @Test
    void helloSwitchesToResp3() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        try (RawConnection raw = new RawConnection(c.port())) {
            String hello = raw.call("HELLO", "3");
            assertTrue(hello.startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
                    + "$5\r\nproto\r\n:3\r\n"), hello);
            assertEquals("_\r\n", raw.call("CLIENT", "GETNAME"));
            assertTrue(raw.call("CONFIG", "GET", "maxmemory").startsWith("%1\r\n"));
        }
        try (Jedis j = new Jedis(new HostAndPort("127.0.0.1", c.port()),
                DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).clientName("r3").build())) {
            assertEquals("PONG", j.ping());
            assertEquals("r3", j.clientGetname());
            assertTrue(j.clientInfo().contains("resp=3"));
        }
    }

    @Test
    void clientListSetnameAndKill() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        try (Jedis a = c.jedis(); Jedis b = c.jedis()) {
            assertEquals("OK", a.clientSetname("alpha"));
            assertEquals("alpha", a.clientGetname());
            b.ping();
            String list = a.clientList();
            assertEquals(2, list.lines().count(), list);
            assertTrue(list.contains(" name=alpha "), list);
            long bId = b.clientId();
            assertTrue(list.contains("id=" + bId + " "), list);
            assertTrue(a.clientInfo().contains("cmd=client|info"), a.clientInfo());
            assertEquals(1L, a.clientKill(new redis.clients.jedis.params.ClientKillParams().id(String.valueOf(bId))));
            assertThrows(Exception.class, b::ping);
            String after = a.clientList();
            assertEquals(1, after.lines().count(), after);
        }
    }

    @Test
    void infoSectionsAndConfigSetTakeEffect() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        try (Jedis j = c.jedis()) {
            String info = j.info();
            for (String section : List.of("# Server", "# Clients", "# Memory", "# Persistence", "# Stats",
                    "# Replication", "# CPU", "# Keyspace")) {
                assertTrue(info.contains(section + "\r\n"), section);
            }
            assertTrue(info.contains("tcp_port:" + c.port() + "\r\n"));
            assertTrue(info.contains("role:master\r\n"));
            assertTrue(j.info("everything").contains("# Commandstats"));
            assertEquals("# Clients", j.info("clients").lines().findFirst().orElse(""));
            assertTrue(j.info("commandstats").contains("cmdstat_info:calls="));
            assertEquals("OK", j.configSet("hz", "50"));
            assertTrue(j.info("server").contains("hz:50\r\n"));
            assertEquals(Map.of("hz", "50"), j.configGet("hz"));
            assertEquals("OK", j.configResetStat());
            // as in Redis, the RESETSTAT itself is counted once it has run
            String stats = j.info("stats");
            assertTrue(stats.contains("total_commands_processed:1\r\n"), stats);
        }
    }

    @Test
    void configSetPortMovesTheListener() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        int newPort = ServerProcess.freePort();
        try (Jedis j = c.jedis()) {
            assertEquals("OK", j.configSet("port", String.valueOf(newPort)));
            assertEquals("PONG", j.ping(), "existing connections stay");
        }
        try (Jedis moved = new Jedis("127.0.0.1", newPort)) {
            assertEquals("PONG", moved.ping());
            assertTrue(moved.info("server").contains("tcp_port:" + newPort + "\r\n"));
            // a port somebody else holds: the change fails and the server stays where it was
            try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                    java.net.InetAddress.getByName("127.0.0.1"))) {
                JedisDataException e = assertThrows(JedisDataException.class,
                        () -> moved.configSet("port", String.valueOf(taken.getLocalPort())));
                assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on "
                        + "this port. Check server logs.", e.getMessage());
            }
            assertEquals(String.valueOf(newPort), moved.configGet("port").get("port"));
        }
        try (Jedis again = new Jedis("127.0.0.1", newPort)) {
            assertEquals("PONG", again.ping());
        }
        assertThrows(Exception.class, () -> {
            try (Jedis old = new Jedis("127.0.0.1", c.port())) {
                old.ping();
            }
        });
    }

    @Test
    void shutdownStopsTheProcess() throws Exception {
        ServerProcess c = ServerProcess.cascade("--pidfile", "");
        try (RawConnection raw = new RawConnection(c.port())) {
            raw.send(RawConnection.encode("SHUTDOWN", "NOSAVE"));
            assertTrue(raw.closedByServer());
        }
        assertEquals(0, c.awaitExit(20));
        assertTrue(c.log().contains("ready to exit, bye bye"), c.log());
    }

    @Test
    void unixSocketServesRedisCliAndShowsInClientList() throws Exception {
        Path sock = Files.createTempDirectory("cascade-sock-").resolve("c.sock");
        ServerProcess c = ServerProcess.cascade("--unixsocket", sock.toString(), "--unixsocketperm", "700");
        String viaSocket = Cli.run(
                List.of("redis-cli", "-s", sock.toString(), "CLIENT", "LIST"), null);
        assertTrue(viaSocket.startsWith("id="), viaSocket);
        assertTrue(viaSocket.contains(" addr=" + sock + ":0 laddr=" + sock + ":0 "), viaSocket);
        assertTrue(viaSocket.contains(" flags=U "), viaSocket);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(sock));
        assertEquals("PONG", c.cli("PING"));
    }

    @Test
    void shutdownWhoseSaveFailsKeepsTheServerUp() throws Exception {
        ServerProcess c = ServerProcess.cascade("--save", ""); // no save rules: SIGTERM at the end just exits
        // a non-empty directory where dump.rdb should go: the save's final rename fails, as it would for Redis
        Files.createDirectories(c.dir().resolve("dump.rdb").resolve("x"));
        try (RawConnection raw = new RawConnection(c.port())) {
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", raw.call("SHUTDOWN", "SAVE"));
            assertEquals("+PONG\r\n", raw.call("PING"));
        }
        assertTrue(c.process().isAlive());
        assertTrue(c.log().contains("Error trying to save the DB, can't exit."), c.log());
    }

    @Test
    void queryBufferLimitDropsTheClient() throws Exception {
        ServerProcess c = ServerProcess.cascade("--client-query-buffer-limit", "1mb");
        try (RawConnection raw = new RawConnection(c.port())) {
            raw.send("*2\r\n$4\r\nECHO\r\n$3000000\r\n");
            raw.send("x".repeat(1_200_000));
            assertTrue(raw.closedByServer());
        }
        assertTrue(c.log().contains("Closing client that reached max query buffer length"), c.log());
        assertEquals("PONG", c.cli("PING"));
    }

    @Test
    void quitRepliesOkAndCloses() throws Exception {
        ServerProcess c = ServerProcess.cascade();
        try (RawConnection raw = new RawConnection(c.port())) {
            assertEquals("+OK\r\n", raw.call("QUIT"));
            assertTrue(raw.closedByServer());
        }
        try (Jedis j = c.jedis()) {
            assertNull(j.clientGetname());
        }
    }
}
