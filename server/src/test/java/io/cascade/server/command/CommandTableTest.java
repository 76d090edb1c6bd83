package io.cascade.server.command;

import io.cascade.server.CommandFamiliesAccess;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sanity of the declared command table: what Redis's own table guarantees about itself. */
class CommandTableTest {
    private final CommandTable table = CommandFamiliesAccess.table();

    private static byte[][] argv(String... words) {
        byte[][] out = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            out[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void everyCommandIsWellFormed() {
        Set<String> names = new HashSet<>();
        for (CommandSpec spec : table.all()) {
            check(spec, names);
            for (CommandSpec sub : spec.subcommands().values()) {
                check(sub, names);
                assertEquals(spec.name + "|" + sub.name, sub.fullName);
                assertTrue(sub.arity >= 2 || sub.arity <= -2, sub.fullName + ": a subcommand counts its container");
            }
        }
    }

    private static void check(CommandSpec spec, Set<String> names) {
        assertTrue(names.add(spec.fullName), "declared once: " + spec.fullName);
        assertEquals(spec.name.toLowerCase(), spec.name);
        assertTrue(spec.arity != 0, spec.fullName + ": arity 0 is meaningless");
        assertTrue(spec.isContainer() || spec.handler != null, spec.fullName + " has a handler");
        assertFalse(spec.doc.summary().isEmpty(), spec.fullName + " has a summary for COMMAND DOCS");
        assertFalse(spec.doc.since().isEmpty(), spec.fullName + " says since when");
        assertTrue(spec.has(CommandFlag.FAST) != spec.aclCategories.contains("slow"),
                spec.fullName + ": exactly one of @fast and @slow");
        if (spec.firstKey > 0) {
            assertTrue(spec.keyStep > 0, spec.fullName + ": key step");
        }
    }

    @Test
    void lookupFollowsRedisRulesForContainers() {
        assertEquals("config|get", table.lookup(argv("CONFIG", "Get", "x")).fullName);
        assertEquals("config", table.lookup(argv("config")).fullName);
        assertNull(table.lookup(argv("config", "nosuch")));
        assertNull(table.lookup(argv("nosuch")));
        assertTrue(table.isContainer(argv("client")[0]));
        assertFalse(table.isContainer(argv("ping")[0]));
    }

    @Test
    void arityChecksExactAndMinimum() {
        CommandSpec echo = table.get("echo");
        assertTrue(echo.arityAccepts(2));
        assertFalse(echo.arityAccepts(3));
        CommandSpec ping = table.get("ping");
        assertTrue(ping.arityAccepts(1));
        assertTrue(ping.arityAccepts(5));
    }

    @Test
    void renameCommandMovesOrDisables() {
        CommandTable t = CommandFamiliesAccess.table();
        t.rename(Map.of("echo", "shout", "time", ""));
        assertNull(t.get("echo"));
        assertNotNull(t.get("shout"));
        assertNull(t.get("time"));
    }

    @Test
    void implicitAclCategoriesFollowFlags() {
        assertEquals(List.of("fast", "connection"), table.get("ping").aclCategories);
        assertTrue(table.get("config").subcommand("set").aclCategories.containsAll(
                List.of("admin", "slow", "dangerous")));
    }
}
