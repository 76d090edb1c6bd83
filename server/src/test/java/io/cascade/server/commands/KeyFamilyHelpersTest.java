package io.cascade.server.commands;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The pure parts of the key family: SORT's weight parsing (C's strtod) and OBJECT ENCODING of strings. */
class KeyFamilyHelpersTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void sortWeightsParseAsStrtodWithNothingAfter() {
        assertEquals(0.0, SortCommand.strtod(b("")));
        assertEquals(1.5, SortCommand.strtod(b("1.5")));
        assertEquals(-0.5, SortCommand.strtod(b("-.5")));
        assertEquals(3.0, SortCommand.strtod(b("+3")));
        assertEquals(3.0, SortCommand.strtod(b(" \t3")));
        assertEquals(26.0, SortCommand.strtod(b("0x1A")));
        assertEquals(8.0, SortCommand.strtod(b("0x1p3")));
        assertEquals(700.0, SortCommand.strtod(b("7e2")));
        assertEquals(Double.NEGATIVE_INFINITY, SortCommand.strtod(b("-inf")));
        assertEquals(Double.POSITIVE_INFINITY, SortCommand.strtod(b("Infinity")));
        assertEquals(5.0, SortCommand.strtod(b("5\0junk")), "C stops at NUL");
        assertEquals(0.0, SortCommand.strtod(b("0e-999")));
        for (String bad : new String[] {"abc", "5 ", "  ", "1e", ".", "0x", "nan", "NaN", "1e400", "1e-400", "1e-310",
                "1,5", "--1", "1d", "0x1.8q"}) {
            assertNull(SortCommand.strtod(b(bad)), bad);
        }
    }

    @Test
    void stringEncodingsAsTryObjectEncoding() {
        assertEquals("int", ObjectCommand.stringEncoding(b("12345")));
        assertEquals("int", ObjectCommand.stringEncoding(b("-9223372036854775808")));
        assertEquals("embstr", ObjectCommand.stringEncoding(b("9223372036854775808")));
        assertEquals("embstr", ObjectCommand.stringEncoding(b("012")));
        assertEquals("embstr", ObjectCommand.stringEncoding(b("")));
        assertEquals("embstr", ObjectCommand.stringEncoding(b("x".repeat(44))));
        assertEquals("raw", ObjectCommand.stringEncoding(b("x".repeat(45))));
    }
}
