package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.RespText;
import io.cascade.tests.support.ServerProcess;
import io.cascade.tests.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the same requests on redis-server 7.0 and on Cascade and compares the replies byte for byte. */
@ExtendWith(Servers.class)
class CompareWithRedisIT {
    private static ServerProcess redis;
    private static ServerProcess cascade;

    @BeforeAll
    static void start() throws IOException {
        redis = ServerProcess.redis();
        // the same non-default settings ServerProcess.redis() starts redis-server with
        cascade = ServerProcess.cascade("--save", "", "--appendonly", "no", "--enable-debug-command", "yes");
    }

    @AfterAll
    static void stop() {
        redis.close();
        cascade.close();
    }

    /** Sends each command on a fresh connection to both servers and asserts identical replies. */
    private static void same(String... command) throws IOException {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            assertEquals(r.call(command), c.call(command), "reply to " + String.join(" ", command));
        }
    }

    /** Sends the commands in order on one connection to each server and compares every reply. */
    private static void sameSession(String[]... commands) throws IOException {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            for (String[] command : commands) {
                assertEquals(r.call(command), c.call(command), "reply to " + String.join(" ", command));
            }
        }
    }

    private static String[] cmd(String... words) {
        return words;
    }

    /** Sends a pipeline to both servers and compares everything each sends back until it closes or goes quiet. */
    private static void samePipelineOutput(String pipeline, int expectedReplies) throws IOException {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            r.send(pipeline);
            c.send(pipeline);
            for (int i = 0; i < expectedReplies; i++) {
                assertEquals(r.readReply(), c.readReply(), "reply " + i + " to " + pipeline.replace("\r\n", " "));
            }
            assertEquals(r.call("ECHO", "end"), c.call("ECHO", "end"), "nothing else was sent before");
        }
    }

    @Test
    void httpRequestsAreDroppedWithoutReply() throws IOException {
        for (String probe : List.of("POST / HTTP/1.1\r\n", "Host: example\r\n")) {
            try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
                r.send(probe);
                c.send(probe);
                assertEquals(r.readUntilClosed(), c.readUntilClosed(), probe);
            }
        }
    }

    /** The MONITOR lines a session of commands produces, without the timestamp and client address. */
    private static List<String> monitorLines(ServerProcess server, String[]... commands) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConnection monitor = new RawConnection(server.port()); RawConnection c = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            for (String[] command : commands) {
                c.call(command);
            }
            c.call("ECHO", "last");
            String line;
            do {
                line = monitor.readReply();
                // "+1732460000.123456 [0 127.0.0.1:5555] "echo" "x"" -> "[0] "echo" "x""
                out.add(line.replaceFirst("^\\+\\d+\\.\\d{6} \\[(\\d+) [^\\]]*\\]", "[$1]").trim());
            } while (!line.contains("\"last\""));
        }
        return out;
    }

    @Test
    void monitorShowsWhatRedisShows() throws IOException {
        String[][] session = {cmd("ECHO", "a\nb\u0001"), cmd("AUTH", "nope"), cmd("AUTH", "u", "p"),
            cmd("HELLO", "2", "AUTH", "u", "p"), cmd("CONFIG", "GET", "hz"), cmd("SELECT", "2"), cmd("MULTI"),
            cmd("PING"), cmd("EXEC"), cmd("MULTI"), cmd("NOSUCH"), cmd("EXEC"), cmd("SELECT", "0")};
        assertEquals(monitorLines(redis, session), monitorLines(cascade, session));
    }

    @Test
    void clientReplyOffSkipOn() throws IOException {
        samePipelineOutput("CLIENT REPLY SKIP\r\nECHO a\r\nECHO b\r\n", 1);
        samePipelineOutput("CLIENT REPLY OFF\r\nECHO a\r\nCLIENT REPLY SKIP\r\nECHO b\r\nCLIENT REPLY ON\r\n"
                + "ECHO c\r\n", 2);
        same("CLIENT", "REPLY", "MAYBE");
    }

    @Test
    void nothingRunsAfterQuit() throws IOException {
        try (RawConnection c = new RawConnection(cascade.port())) {
            c.send("QUIT\r\nCLIENT SETNAME after-quit\r\n");
            assertEquals("+OK\r\n", c.readReply());
            assertTrue(c.closedByServer());
        }
        try (redis.clients.jedis.Jedis j = cascade.jedis()) {
            assertTrue(!j.clientList().contains("after-quit"));
        }
    }

    @Test
    void transactions() throws IOException {
        sameSession(cmd("MULTI"), cmd("PING"), cmd("ECHO", "x"), cmd("CONFIG", "GET", "timeout"), cmd("EXEC"));
        sameSession(cmd("MULTI"), cmd("MULTI"), cmd("PING"), cmd("EXEC"));
        sameSession(cmd("MULTI"), cmd("NOSUCH"), cmd("PING"), cmd("EXEC"), cmd("PING"));
        sameSession(cmd("MULTI"), cmd("ECHO"), cmd("EXEC"));
        sameSession(cmd("MULTI"), cmd("SHUTDOWN"), cmd("EXEC"));
        sameSession(cmd("EXEC"), cmd("DISCARD"), cmd("MULTI"), cmd("DISCARD"), cmd("DISCARD"));
        sameSession(cmd("MULTI"), cmd("WATCH", "k"), cmd("EXEC"));
        sameSession(cmd("WATCH", "k1", "k2"), cmd("MULTI"), cmd("PING"), cmd("EXEC"), cmd("UNWATCH"));
        sameSession(cmd("MULTI"), cmd("EXEC"));
        sameSession(cmd("MULTI"), cmd("SELECT", "x"), cmd("SELECT", "3"), cmd("EXEC"), cmd("ECHO", "after"));
        sameSession(cmd("MULTI"), cmd("RESET"), cmd("EXEC"));
    }

    /** For glob patterns (and several patterns) Redis answers in its dict's (random-seeded) order: compare the pairs as sets. */
    private static void sameConfigGet(String... patterns) throws IOException {
        List<String> command = new ArrayList<>(List.of("CONFIG", "GET"));
        command.addAll(List.of(patterns));
        String[] argv = command.toArray(new String[0]);
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            assertEquals(pairs(r.call(argv)), pairs(c.call(argv)), String.join(" ", argv));
        }
    }

    private static TreeSet<String> pairs(String reply) {
        String[] lines = reply.split("\r\n", -1); // keep a trailing empty value
        TreeSet<String> out = new TreeSet<>();
        for (int i = 1; i + 3 < lines.length; i += 4) {
            out.add(lines[i + 1] + "=" + lines[i + 3]);
        }
        return out;
    }

    /** A one-command COMMAND INFO reply without its last field (the subcommands), as parsed values. */
    private static String withoutSubcommands(String reply) {
        Object parsed = RespText.parse(reply);
        if (parsed instanceof List<?> outer && !outer.isEmpty() && outer.get(0) instanceof List<?> info) {
            return info.subList(0, info.size() - 1).toString();
        }
        return String.valueOf(parsed);
    }

    @Test
    void commandInfoOfEveryCascadeCommandMatchesRedis() throws IOException {
        List<String> mismatches = new ArrayList<>();
        try (redis.clients.jedis.Jedis j = cascade.jedis();
             RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            for (String name : j.commandList()) {
                // a container's subcommands come in Redis's dict order and Cascade has fewer: each subcommand
                // is compared on its own, so only the container's first nine fields are compared here
                String expected = withoutSubcommands(r.call("COMMAND", "INFO", name));
                String actual = withoutSubcommands(c.call("COMMAND", "INFO", name));
                if (!expected.equals(actual)) {
                    mismatches.add(name + "\n  redis:   " + expected.replace("\r\n", " ")
                            + "\n  cascade: " + actual.replace("\r\n", " "));
                }
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void transactionEndingCommandsWithBadArguments() throws IOException {
        // EXEC refused before it runs ends the transaction with EXECABORT; DISCARD and the others flag it
        sameSession(new String[] {"MULTI"}, new String[] {"SET", "tx:k", "1"}, new String[] {"EXEC", "0"},
                new String[] {"GET", "tx:k"}, new String[] {"EXEC"});
        sameSession(new String[] {"MULTI"}, new String[] {"SET", "tx:k", "1"}, new String[] {"DISCARD", "0"},
                new String[] {"GET", "tx:k"}, new String[] {"EXEC"}, new String[] {"GET", "tx:k"});
        sameSession(new String[] {"MULTI"}, new String[] {"MULTI"}, new String[] {"WATCH", "tx:k"},
                new String[] {"WATCH"}, new String[] {"EXEC"});
        sameSession(new String[] {"WATCH", "tx:w"}, new String[] {"MULTI"}, new String[] {"EXEC", "x", "y"},
                new String[] {"UNWATCH"}, new String[] {"DEL", "tx:k"});
    }

    @Test
    void unknownCommandsAndSubcommands() throws IOException {
        same("NOSUCHCOMMAND");
        same("nosuchcommand", "a", "b c", "x".repeat(200));
        same("CONFIG", "NOSUCH");
        same("CLIENT", "nosuch", "x");
        same("COMMAND", "bogus");
    }

    @Test
    void wrongArity() throws IOException {
        same("ECHO");
        same("ECHO", "a", "b");
        same("PING", "a", "b");
        same("SELECT");
        same("CONFIG");
        same("CONFIG", "GET");
        same("CONFIG", "SET", "maxmemory");
        same("CONFIG", "SET", "maxmemory", "1", "port");
        same("CLIENT", "SETNAME");
        same("TIME", "x");
        same("DBSIZE", "x");
    }

    @Test
    void connectionCommands() throws IOException {
        same("PING");
        same("PING", "hello");
        same("ECHO", "bin\u0001ary");
        same("SELECT", "15");
        same("SELECT", "16");
        same("SELECT", "-1");
        same("SELECT", "x");
        same("SELECT", "99999999999");
        same("AUTH", "pw");
        same("AUTH", "default", "pw");
        same("AUTH", "a", "b", "c");
        same("HELLO", "4");
        same("HELLO", "x");
        same("HELLO", "2", "BOGUS");
        same("HELLO", "2", "SETNAME", "bad name");
        same("CLIENT", "SETNAME", "a b");
        same("CLIENT", "GETNAME");
        same("CLIENT", "NO-EVICT", "maybe");
        same("CLIENT", "KILL", "1.2.3.4:5");
        same("CLIENT", "KILL", "ID", "0");
        same("CLIENT", "KILL", "TYPE", "nosuch");
        same("CLIENT", "LIST", "TYPE", "nosuch");
        same("CLIENT", "LIST", "ID", "x");
        same("DBSIZE");
        same("RESET");
        same("SHUTDOWN", "ABORT");
        same("SHUTDOWN", "SAVE", "NOSAVE");
    }

    @Test
    void configGetAndSet() throws IOException {
        for (String name : List.of("maxmemory", "maxmemory-policy", "databases", "save", "appendonly",
                "hash-max-listpack-entries", "hash-max-ziplist-entries", "client-output-buffer-limit", "timeout",
                "repl-backlog-size", "proto-max-bulk-len", "loglevel", "no-such-config",
                "notify-keyspace-events", "slave-read-only")) {
            same("CONFIG", "GET", name);
        }
        sameConfigGet("*max-*-entries*");
        sameConfigGet("repl*");
        sameConfigGet("maxmemory", "timeout"); // several patterns: Redis answers in dict order too
        same("CONFIG", "SET", "no-such-option", "1");
        same("CONFIG", "SET", "daemonize", "no");
        same("CONFIG", "SET", "maxmemory", "lots");
        same("CONFIG", "SET", "loglevel", "loud");
        same("CONFIG", "SET", "hz", "x");
        same("CONFIG", "SET", "timeout", "-5");
        same("CONFIG", "SET", "maxmemory", "10mb", "maxmemory", "20mb");
        same("CONFIG", "SET", "maxmemory", "10mb", "timeout", "x");
        same("CONFIG", "GET", "maxmemory");
        same("CONFIG", "SET", "maxmemory", "10mb", "timeout", "7");
        same("CONFIG", "GET", "maxmemory");
        same("CONFIG", "GET", "timeout");
        same("CONFIG", "SET", "maxmemory", "0", "timeout", "0");
        same("CONFIG", "REWRITE");
    }

    @Test
    void configGetPortReportsEachServersOwnPort() throws IOException {
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            String rp = String.valueOf(redis.port());
            String cp = String.valueOf(cascade.port());
            assertEquals(r.call("CONFIG", "GET", "port").replace(rp, "PORT"),
                    c.call("CONFIG", "GET", "port").replace(cp, "PORT"));
        }
    }

    @Test
    void protocolErrorsAndTheConnectionClosed() throws IOException {
        for (String bad : List.of("*1\r\nx3\r\nabc\r\n", "*x\r\n", "*1\r\n$-5\r\n", "*1\r\n$abc\r\n",
                "set \"unbalanced\r\n", "*3000000000\r\n")) {
            try (RawConnection r = new RawConnection(redis.port());
                 RawConnection c = new RawConnection(cascade.port())) {
                r.send(bad);
                c.send(bad);
                assertEquals(r.readReply(), c.readReply(), "reply to " + bad.replace("\r\n", "\\r\\n"));
                assertTrue(c.closedByServer(), "Cascade closes the connection after a protocol error");
                assertTrue(r.closedByServer());
            }
        }
    }

    @Test
    void pipelinedAndInlineRequests() throws IOException {
        String pipeline = "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\necho \"x y\" \r\n*1\r\n$4\r\nPING\r\nNOPE\r\n";
        try (RawConnection r = new RawConnection(redis.port()); RawConnection c = new RawConnection(cascade.port())) {
            r.send(pipeline);
            c.send(pipeline);
            for (int i = 0; i < 5; i++) {
                assertEquals(r.readReply(), c.readReply(), "reply " + i);
            }
        }
    }

    @Test
    void commandIntrospectionOfSharedCommands() throws IOException {
        same("COMMAND", "INFO", "ping", "echo", "select", "get-no-such");
        same("COMMAND", "INFO", "config|get", "client|list");
        same("COMMAND", "DOCS", "ping");
        same("COMMAND", "DOCS", "echo", "select", "client|setname");
        same("COMMAND", "COUNT", "extra");
    }
}
