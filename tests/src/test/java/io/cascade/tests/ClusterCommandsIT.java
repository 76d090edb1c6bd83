package io.cascade.tests;

import io.cascade.tests.support.RawConnection;
import io.cascade.tests.support.Servers;
import io.cascade.tests.support.Twin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLUSTER, READONLY, READWRITE, ASKING and RESTORE-ASKING compared with a redis-server 7.0.15 started without
 * cluster-enabled: the same subcommands in the command table with the same COMMAND INFO and COMMAND DOCS,
 * every one answering that cluster support is disabled, the same arity and unknown-subcommand errors, and
 * CLUSTER RESET refused inside a script.
 */
@ExtendWith(Servers.class)
class ClusterCommandsIT {
    @RegisterExtension
    static final Twin twin = Twin.perClass().flushBeforeEach();

    /**
     * Subcommands whose COMMAND DOCS carry fields Cascade's docs do not have yet: deprecated_since and
     * replaced_by (SLAVES, SLOTS), an argument's own "since" (MEET's cluster_bus_port).
     */
    private static final Set<String> DOCS_WITH_MORE_FIELDS = Set.of("cluster|slaves", "cluster|slots", "cluster|meet");

    /** The names COMMAND LIST gives for a pattern, sorted (Redis lists them in its dict's order). */
    private static List<String> listed(int port, String pattern) throws IOException {
        try (RawConnection r = new RawConnection(port)) {
            String reply = r.call("COMMAND", "LIST", "FILTERBY", "PATTERN", pattern);
            List<String> names = new ArrayList<>();
            String[] lines = reply.split("\r\n");
            for (int i = 2; i < lines.length; i += 2) {
                names.add(lines[i]);
            }
            names.sort(null);
            return names;
        }
    }

    @Test
    void theSameSubcommandsAreListed() throws IOException {
        List<String> redis = listed(twin.redis.port(), "cluster*");
        assertEquals(redis, listed(twin.cascade.port(), "cluster*"));
        assertTrue(redis.contains("cluster|help") && redis.size() == 28, redis.toString());
        assertEquals(listed(twin.redis.port(), "cl*help"), listed(twin.cascade.port(), "cl*help"));
        for (String pattern : new String[] {"asking", "read*", "restore*"}) {
            assertEquals(listed(twin.redis.port(), pattern), listed(twin.cascade.port(), pattern));
        }
    }

    @Test
    void commandInfoAndDocsMatch() throws IOException {
        for (String name : listed(twin.redis.port(), "cluster|*")) {
            twin.same("COMMAND", "INFO", name);
            if (!DOCS_WITH_MORE_FIELDS.contains(name)) {
                twin.same("COMMAND", "DOCS", name);
            }
        }
        for (String name : new String[] {"asking", "readonly", "readwrite", "restore-asking"}) {
            twin.same("COMMAND", "INFO", name);
        }
        twin.same("COMMAND", "DOCS", "asking", "readonly", "readwrite");
        twin.same("COMMAND", "GETKEYS", "RESTORE-ASKING", "k", "0", "payload");
    }

    @Test
    void everySubcommandSaysClusterSupportIsDisabled() throws IOException {
        for (String name : listed(twin.redis.port(), "cluster|*")) {
            String sub = name.substring("cluster|".length());
            // each with the arguments its arity asks for, then with one more (an arity error for fixed ones)
            List<String> argv = new ArrayList<>(List.of("CLUSTER", sub));
            int disabled = 0;
            while (argv.size() < 6) {
                String reply = twin.same(argv.toArray(new String[0]));
                disabled += reply.equals("-ERR This instance has cluster support disabled\r\n") ? 1 : 0;
                argv.add("0");
            }
            assertTrue(disabled > 0, name + " never answered");
        }
        twin.sameAll(new String[] {"CLUSTER"}, new String[] {"CLUSTER", "nosuch"},
                new String[] {"CLUSTER", "HELP", "extra"}, new String[] {"cluster", "Info"},
                new String[] {"READONLY"}, new String[] {"READWRITE"}, new String[] {"ASKING"},
                new String[] {"READONLY", "x"}, new String[] {"ASKING", "x"});
    }

    @Test
    void scriptsMayNotResetTheCluster() throws IOException {
        twin.same("EVAL", "redis.call('cluster', 'reset', 'hard')", "0");
        twin.same("EVAL", "return redis.call('cluster', 'reset')", "0");
        twin.same("EVAL", "return redis.call('cluster', 'info')", "0");
        twin.same("EVAL", "return redis.pcall('cluster', 'keyslot', 'k')", "0");
        twin.same("EVAL", "return redis.pcall('readonly')", "0");
        twin.same("EVAL", "return redis.pcall('asking')", "0");
    }

    @Test
    void multiQueuesThemAndExecAnswersTheError() throws IOException {
        twin.sameAll(new String[] {"MULTI"}, new String[] {"CLUSTER", "INFO"}, new String[] {"READONLY"},
                new String[] {"SET", "k", "v"}, new String[] {"EXEC"});
    }

    @Test
    void restoreAskingIsRestore() throws IOException {
        byte[] payload = SeedValues.payload(twin, "RPUSH", "$", "a", "b");
        for (var j : Arrays.asList(twin.redis.jedis(), twin.cascade.jedis())) {
            try (j) {
                Object r = j.sendCommand(SeedValues.command("RESTORE-ASKING"), SeedValues.b("k"), SeedValues.b("0"),
                        payload);
                assertEquals("OK", r instanceof byte[] x ? new String(x, StandardCharsets.UTF_8) : String.valueOf(r));
            }
        }
        twin.same("LRANGE", "k", "0", "-1");
        twin.same("RESTORE-ASKING", "k", "0", "x");
        twin.same("RESTORE-ASKING", "k", "0", "x", "REPLACE");
        twin.sameDigest();
    }
}
