package io.cascade.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Key finding for commands declared with keyword specs as Redis 7.0 declares XREAD, GEORADIUS and MIGRATE
 * (families that other branches add); the expected keys are what redis-server 7.0.15 answers to COMMAND GETKEYS
 * (the ITs compare every command Cascade has with redis-server directly).
 */
class GetKeysTest {
    private static final CommandHandler NONE = c -> { };
    private final CommandTable table = new CommandTable()
            .add(cmd("xread", -4, "readonly blocking", NONE).keywordKeys("STREAMS", 1, -1, 1, 2, "RO access"))
            .add(cmd("georadius", -6, "write denyoom", NONE).keys(1, 1, 1, "RO access")
                    .keywordKeys("STORE", 6, 0, 1, 0, "OW update").keywordKeys("STOREDIST", 6, 0, 1, 0, "OW update"))
            .add(cmd("migrate", -6, "write", NONE).keys(3, 3, 1, "RW access delete")
                    .keywordKeys("KEYS", -2, -1, 1, 0, "RW access delete incomplete"));

    private List<String> keys(String... words) {
        byte[][] argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        List<String> out = new ArrayList<>();
        for (KeyReference k : GetKeys.fromCommand(table.lookup(argv), argv)) {
            out.add(words[k.pos()] + ":" + String.join(",", KeyFlags.words(k.flags())));
        }
        return out;
    }

    @Test
    void keywordSpecsSearchAsRedisDoes() {
        assertEquals(List.of("s1:RO,access", "s2:RO,access"), keys("xread", "STREAMS", "s1", "s2", "0", "0"));
        // the first "streams" wins, even as COUNT's value: Redis reports STREAMS as the key
        assertEquals(List.of("STREAMS:RO,access"), keys("xread", "COUNT", "streams", "STREAMS", "a", "b"));
        assertEquals(List.of("g:RO,access", "d:OW,update", "e:OW,update"),
                keys("georadius", "g", "1", "2", "3", "km", "STORE", "d", "STOREDIST", "e"));
        // the search stops before the last argument
        assertEquals(List.of("g:RO,access"), keys("georadius", "g", "1", "2", "3", "km", "STORE"));
    }

    @Test
    void incompleteSpecFallsBackToTheProc() {
        assertEquals(List.of("a:RW,access,delete", "b:RW,access,delete"),
                keys("migrate", "h", "1", "", "0", "10", "KEYS", "a", "b"));
        assertEquals(List.of(), keys("migrate", "h", "1", "k", "0", "10", "KEYS", "a", "b"));
        assertEquals(List.of("k:RW,access,delete"), keys("migrate", "h", "1", "k", "0", "10"));
    }

    @Test
    void keywordAndIncompleteSpecsMakeKeysMovable() {
        assertTrue(table.get("xread").has(CommandFlag.MOVABLEKEYS));
        assertEquals(0, table.get("xread").firstKey);
        CommandSpec georadius = table.get("georadius");
        assertTrue(georadius.has(CommandFlag.MOVABLEKEYS));
        assertEquals(List.of(1, 1, 1), List.of(georadius.firstKey, georadius.lastKey, georadius.keyStep));
        CommandSpec migrate = table.get("migrate");
        assertTrue(migrate.has(CommandFlag.MOVABLEKEYS));
        assertEquals(List.of(3, 3, 1), List.of(migrate.firstKey, migrate.lastKey, migrate.keyStep));
    }

    @Test
    void atoiReadsAsC() {
        assertEquals(2, CString.atoi("2abc".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, CString.atoi(" +2".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-7, CString.atoi("-7".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, CString.atoi("1\0002".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, CString.atoi("x1".getBytes(StandardCharsets.UTF_8)));
        assertEquals(-1, CString.atoi("99999999999999999999".getBytes(StandardCharsets.UTF_8)));
    }
}
