package io.cascade.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SCAN cursors parse as Redis's strtoul does (checked against redis-server 7.0.15). */
class ScanCursorParseTest {
    private static long parse(String s) {
        return ScanArgs.parseCursor(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void acceptsWhatStrtoulAccepts() {
        assertEquals(0, parse("0"));
        assertEquals(0, parse(""));
        assertEquals(5, parse("+5"));
        assertEquals(5, parse("005"));
        assertEquals(-1L, parse("-1"));
        assertEquals(-1L, parse("18446744073709551615"));
        assertEquals(1, parse("-18446744073709551615"));
    }

    @Test
    void rejectsTheRest() {
        for (String bad : new String[] {"-", "+", " 5", "5 ", "0x1", "1x", "18446744073709551616", "99999999999999999999"}) {
            CommandException e = assertThrows(CommandException.class, () -> parse(bad), bad);
            assertEquals("ERR invalid cursor", e.getMessage());
        }
    }
}
