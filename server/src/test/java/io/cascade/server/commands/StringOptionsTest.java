package io.cascade.server.commands;

import io.cascade.server.CommandFamiliesAccess;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.Keyspace;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SET/GETEX option parsing and expire validation, without a server: they only read the arguments. */
class StringOptionsTest {
    private static final CommandTable TABLE = CommandFamiliesAccess.table();

    private static CommandContext ctx(String... words) {
        CommandContext c = new CommandContext(null);
        c.argv = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            c.argv[i] = words[i].getBytes(StandardCharsets.UTF_8);
        }
        c.spec = TABLE.get(words[0].toLowerCase());
        return c;
    }

    private static StringOptions set(String... words) {
        return StringOptions.parse(ctx(words), 3, true);
    }

    private static String error(Runnable r) {
        return assertThrows(CommandException.class, r::run).getMessage();
    }

    @Test
    void setFlagsCombine() {
        StringOptions o = set("set", "k", "v", "nx", "GET", "px", "100");
        assertTrue(o.has(StringOptions.NX) && o.has(StringOptions.GET) && o.has(StringOptions.PX));
        assertTrue(o.milliseconds);
        assertEquals("100", new String(o.expire, StandardCharsets.UTF_8));
        assertEquals("200", new String(set("set", "k", "v", "EX", "100", "EX", "200").expire, StandardCharsets.UTF_8),
                "a repeated option is allowed and the last value wins");
        assertTrue(set("set", "k", "v", "NX\u0000junk").has(StringOptions.NX), "options compare as C strings");
    }

    @Test
    void conflictsAreSyntaxErrors() {
        for (String[] bad : new String[][] {{"nx", "xx"}, {"xx", "nx"}, {"ex", "1", "px", "1"}, {"keepttl", "ex", "1"},
            {"exat", "1", "keepttl"}, {"pxat", "1", "exat", "1"}, {"ex"}, {"persist"}, {"bogus"}}) {
            String[] argv = new String[3 + bad.length];
            argv[0] = "set";
            argv[1] = "k";
            argv[2] = "v";
            System.arraycopy(bad, 0, argv, 3, bad.length);
            assertEquals("ERR syntax error", error(() -> set(argv)), String.join(" ", bad));
        }
        assertEquals("ERR syntax error", error(() -> StringOptions.parse(ctx("getex", "k", "nx"), 2, false)));
        assertEquals("ERR syntax error", error(() -> StringOptions.parse(ctx("getex", "k", "persist", "ex", "1"), 2,
                false)));
    }

    @Test
    void expireTimes() {
        long now = Keyspace.now();
        long at = set("set", "k", "v", "ex", "10").expireAt(ctx("set"));
        assertTrue(at >= now + 10_000 && at < now + 20_000);
        assertEquals(5000, set("set", "k", "v", "exat", "5").expireAt(ctx("set")));
        assertEquals(Long.MAX_VALUE, set("set", "k", "v", "pxat", "9223372036854775807").expireAt(ctx("set")));
        for (String[] bad : new String[][] {{"ex", "0"}, {"px", "-1"}, {"ex", "9223372036854776"},
            {"ex", "9223372036854775"}, {"px", "9223372036854775807"}}) {
            assertEquals("ERR invalid expire time in 'set' command",
                    error(() -> set("set", "k", "v", bad[0], bad[1]).expireAt(ctx("set"))), String.join(" ", bad));
        }
        assertEquals("ERR value is not an integer or out of range",
                error(() -> set("set", "k", "v", "ex", "1.5").expireAt(ctx("set"))));
        StringOptions getex = StringOptions.parse(ctx("getex", "k", "px", "0"), 2, false);
        assertEquals("ERR invalid expire time in 'getex' command", error(() -> getex.expireAt(ctx("getex"))));
    }
}
