package io.cascade.tests;

import io.cascade.tests.support.Cli;
import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starting Cascade as people start redis-server: config files, overrides, --test-config, daemonize, logs. */
@ExtendWith(Servers.class)
class StartupIT {
    private static final Path DEBIAN_CONF = Path.of("/etc/redis/redis.conf");

    @Test
    void debianPackageRedisConfStartsCascade(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(DEBIAN_CONF),
                "skipped: " + DEBIAN_CONF + " is missing (apt-get install redis-server provides it)");
        Path pid = dir.resolve("cascade.pid");
        ServerProcess c = ServerProcess.cascadeWith(List.of(DEBIAN_CONF.toString()),
                List.of("--pidfile", pid.toString()));
        assertEquals("PONG", c.cli("PING"));
        assertEquals("config_file:" + DEBIAN_CONF, c.cli("INFO", "server").lines()
                .filter(l -> l.startsWith("config_file:")).findFirst().orElse(""));
        // values from the Debian file come through; the command line won where it overrode them
        assertEquals("databases\n16", c.cli("CONFIG", "GET", "databases"));
        assertEquals("port\n" + c.port(), c.cli("CONFIG", "GET", "port"));
        assertEquals("daemonize\nno", c.cli("CONFIG", "GET", "daemonize"));
        assertTrue(c.log().contains("Configuration loaded"), c.log());
        assertEquals(String.valueOf(c.process().pid()), Files.readString(pid).trim());

        try (Jedis j = c.jedis()) {
            assertEquals("OK", j.select(3));
            assertTrue(j.clientList().contains(" db=3 "));
            assertTrue(j.info().contains("# Keyspace"));
            Pipeline p = j.pipelined();
            Response<Object> ping = p.sendCommand(Protocol.Command.PING, new String[0]);
            Response<Object> set = p.sendCommand(Protocol.Command.CONFIG, "SET", "requirepass", "debian-pw");
            p.sync();
            assertEquals("PONG", SafeEncoder.encode((byte[]) ping.get()));
            assertEquals("OK", SafeEncoder.encode((byte[]) set.get()));
        }
        // a new connection must authenticate now; the old one stayed authenticated, as in Redis
        try (RawConnection raw = new RawConnection(c.port())) {
            assertEquals("-NOAUTH Authentication required.\r\n", raw.call("PING"));
            assertEquals("+OK\r\n", raw.call("AUTH", "debian-pw"));
            raw.send("*1\r\n$4\r\nPING\r\n*1\r\nx\r\n");
            assertEquals("+PONG\r\n", raw.readReply());
            assertEquals("-ERR Protocol error: expected '$', got 'x'\r\n", raw.readReply());
            assertTrue(raw.closedByServer());
        }
        assertEquals("", c.cli("-a", "debian-pw", "--no-auth-warning", "SHUTDOWN", "NOSAVE"));
        assertEquals(0, c.awaitExit(20));
        assertFalse(Files.exists(pid), "pid file removed at shutdown");
    }

    @Test
    void commandLineOverridesTheFileAndBadLinesStopStartup(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("my.conf");
        Files.writeString(conf, "# test\nport 1\nmaxmemory 5mb\nhz 20\n");
        List<String> cmd = new ArrayList<>(ServerProcess.cascadeCommand());
        cmd.addAll(List.of(conf.toString(), "--test-config"));
        Cli.Result ok = Cli.exec(cmd, null, 60);
        assertEquals(0, ok.exitCode(), ok.output());
        assertTrue(ok.output().contains("Configuration test passed"), ok.output());

        ServerProcess c = ServerProcess.cascadeWith(List.of(conf.toString()), List.of("--hz", "30"));
        assertEquals("maxmemory\n5242880", c.cli("CONFIG", "GET", "maxmemory")); // mb is 1024*1024
        assertEquals("hz\n30", c.cli("CONFIG", "GET", "hz"));

        Files.writeString(conf, "port 7000\nmaxmemory lots\n");
        cmd = new ArrayList<>(ServerProcess.cascadeCommand());
        cmd.addAll(List.of(conf.toString(), "--test-config"));
        Cli.Result bad = Cli.exec(cmd, null, 60);
        assertEquals(1, bad.exitCode(), bad.output());
        assertTrue(bad.output().contains("*** FATAL CONFIG FILE ERROR"), bad.output());
        assertTrue(bad.output().contains("at line 2"), bad.output());
        assertTrue(bad.output().contains(">>> 'maxmemory \"lots\"'") || bad.output().contains(">>> 'maxmemory lots'"),
                bad.output());
        assertTrue(bad.output().contains("argument must be a memory value"), bad.output());

        cmd = new ArrayList<>(ServerProcess.cascadeCommand());
        cmd.addAll(List.of("--no-such-directive", "1"));
        Cli.Result unknown = Cli.exec(cmd, null, 60);
        assertEquals(1, unknown.exitCode(), unknown.output());
        assertTrue(unknown.output().contains("Bad directive or wrong number of arguments"), unknown.output());
    }

    @Test
    void helpAndVersion() throws Exception {
        List<String> cmd = new ArrayList<>(ServerProcess.cascadeCommand());
        cmd.add("--help");
        Cli.Result help = Cli.exec(cmd, null, 60);
        assertEquals(0, help.exitCode());
        assertTrue(help.output().contains("--test-config"), help.output());
        assertTrue(help.output().contains("--directive value"), help.output());
        cmd.set(cmd.size() - 1, "--version");
        Cli.Result version = Cli.exec(cmd, null, 60);
        assertEquals(0, version.exitCode());
        assertTrue(version.output().startsWith("Cascade server v="), version.output());
    }

    @Test
    void daemonizeDetachesWritesPidfileAndLogfile(@TempDir Path dir) throws Exception {
        int port = ServerProcess.freePort();
        Path pid = dir.resolve("d.pid");
        Path log = dir.resolve("d.log");
        List<String> cmd = new ArrayList<>(ServerProcess.cascadeCommand());
        cmd.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--daemonize", "yes", "--pidfile", pid.toString(), "--logfile", log.toString()));
        Cli.Result r = Cli.exec(cmd, null, 60);
        assertEquals(0, r.exitCode(), r.output());
        long deadline = System.currentTimeMillis() + 30_000;
        while (!(Files.exists(pid) && Cli.run(List.of("redis-cli", "-p", String.valueOf(port), "PING"), null)
                .equals("PONG")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        long daemonPid = Long.parseLong(Files.readString(pid).trim());
        ProcessHandle daemon = ProcessHandle.of(daemonPid).orElseThrow();
        try {
            assertTrue(daemon.isAlive());
            assertTrue(Files.readString(log).contains("Ready to accept connections"), Files.readString(log));
            Cli.run(List.of("redis-cli", "-p", String.valueOf(port), "SHUTDOWN", "NOSAVE"), null);
            daemon.onExit().get(20, TimeUnit.SECONDS);
            assertFalse(Files.exists(pid), "pid file removed at shutdown");
        } finally {
            daemon.destroyForcibly();
        }
    }

    @Test
    void configRewriteKeepsTheFileAndSurvivesARestart(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("rw.conf");
        Files.writeString(conf, "# my settings\nhz 20\n\n# memory\nmaxmemory 1mb\n");
        ServerProcess c = ServerProcess.cascadeWith(List.of(conf.toString()), List.of());
        assertEquals("OK", c.cli("CONFIG", "SET", "maxmemory", "7mb", "maxmemory-policy", "allkeys-lru"));
        assertEquals("OK", c.cli("CONFIG", "REWRITE"));
        String text = Files.readString(conf);
        assertTrue(text.startsWith("# my settings\nhz 20\n"), text);
        assertTrue(text.contains("# memory\nmaxmemory 7mb\n"), text);
        assertTrue(text.contains("maxmemory-policy allkeys-lru"), text);
        // like Redis, the rewrite also keeps the command-line overrides (port, dir, ...): the first server's
        // directory must therefore outlive it, so stop it with SHUTDOWN rather than close()
        assertTrue(text.contains("dir \"" + c.dir() + "\""), text);
        c.cli("SHUTDOWN", "NOSAVE");
        assertEquals(0, c.awaitExit(20));
        ServerProcess again = ServerProcess.cascadeWith(List.of(conf.toString()), List.of());
        assertEquals("maxmemory\n7340032", again.cli("CONFIG", "GET", "maxmemory"));
        assertEquals("maxmemory-policy\nallkeys-lru", again.cli("CONFIG", "GET", "maxmemory-policy"));
    }

    @Test
    void renameCommandRenamesAndDisables(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("rename.conf");
        Files.writeString(conf, "rename-command ECHO SAY\nrename-command TIME \"\"\n");
        ServerProcess c = ServerProcess.cascadeWith(List.of(conf.toString()), List.of());
        assertEquals("hi", c.cli("SAY", "hi"));
        assertTrue(c.cli("ECHO", "hi").startsWith("ERR unknown command 'ECHO'"), c.cli("ECHO", "hi"));
        assertTrue(c.cli("TIME").startsWith("ERR unknown command 'TIME'"));
    }

    @Test
    void sigtermShutsDownCleanly(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("term.pid");
        ServerProcess c = ServerProcess.cascade("--pidfile", pid.toString());
        assertTrue(Files.exists(pid));
        c.process().destroy(); // SIGTERM
        assertEquals(0, c.awaitExit(20)); // a clean stop, as redis-server's
        assertTrue(c.log().contains("Received SIGTERM scheduling shutdown..."), c.log());
        assertTrue(c.log().contains("ready to exit, bye bye"), c.log());
        assertFalse(Files.exists(pid), "pid file removed on SIGTERM");
    }

    @Test
    void logLinesLookLikeRedis() throws Exception {
        ServerProcess c = ServerProcess.cascade("--loglevel", "verbose");
        String first = c.log().lines().filter(l -> l.contains("Ready to accept connections")).findFirst().orElse("");
        // pid:role dd Mon yyyy HH:mm:ss.mmm level message
        assertTrue(first.matches("\\d+:M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\* Ready to accept connections tcp"),
                first);
    }
}
