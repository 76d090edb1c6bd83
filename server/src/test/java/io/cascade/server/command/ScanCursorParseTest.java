package io.cascade.server.command;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** SCAN cursors parse as Redis's strtoul-based parseScanCursorOrReply. */
class ScanCursorParseTest {
    private static long parse(String s) {
        return ScanArgs.parseCursor(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void acceptsWhatStrtoulAccepts() {
        assertEquals(0, parse("0"));
        assertEquals(0, parse(""));
        assertEquals(42, parse("+42"));
        assertEquals(-1L, parse("-1"), "a negative cursor wraps around as unsigned");
        assertEquals(-1L, parse("18446744073709551615"));
        assertEquals(7, parse("007"));
    }

    @Test
    void refusesTheRest() {
        for (String bad : new String[] {" 1", "1 ", "x", "1x", "-", "+", "18446744073709551616", "99999999999999999999"}) {
            CommandException e = assertThrows(CommandException.class, () -> parse(bad), bad);
            assertEquals("ERR invalid cursor", e.getMessage());
        }
    }
}
