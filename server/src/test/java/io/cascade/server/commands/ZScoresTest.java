package io.cascade.server.commands;

import io.cascade.server.command.CommandException;
import io.cascade.storage.types.ZRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sorted-set family's number parsing: strtod as getDoubleFromObject and zslParseRange use it. */
class ZScoresTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void scoresAreWholeNumbersWithoutOverflow() {
        assertEquals(1.5, ZScores.parseDouble(b("1.5")));
        assertEquals(-0.5, ZScores.parseDouble(b("-.5")));
        assertEquals(3.0, ZScores.parseDouble(b("+3.")));
        assertEquals(16.0, ZScores.parseDouble(b("0x10")));
        assertEquals(12.0, ZScores.parseDouble(b("0x1.8p3")));
        assertEquals(Double.POSITIVE_INFINITY, ZScores.parseDouble(b("inf")));
        assertEquals(Double.NEGATIVE_INFINITY, ZScores.parseDouble(b("-Infinity")));
        assertEquals(1e-310, ZScores.parseDouble(b("1e-310")), "a subnormal result is kept");
        assertEquals(0.0, ZScores.parseDouble(b("0e-999")), "an exact zero is no underflow");
        for (String bad : new String[] {"", " 1", "1 ", "1e400", "-1e400", "1e-400", "nan", "-nan", "abc", "1x",
            "0x", "1e", "infx", "1\0"}) {
            assertNull(ZScores.parseDouble(b(bad)), bad);
        }
    }

    @Test
    void rangeEndsAreLenient() {
        ZRange.Score r = ZScores.scoreRange(b("("), b(" 5"));
        assertEquals(0.0, r.min());
        assertTrue(r.minex());
        assertEquals(5.0, r.max());
        assertEquals(Double.POSITIVE_INFINITY, ZScores.scoreRange(b("1"), b("1e400")).max(), "overflow is inf");
        assertEquals(7.0, ZScores.scoreRange(b("7\0junk"), b("8")).min(), "C stops at NUL");
        assertEquals(ZScores.RANGE_NOT_FLOAT,
                assertThrows(CommandException.class, () -> ZScores.scoreRange(b("nan"), b("1"))).getMessage());
        assertEquals(ZScores.RANGE_NOT_FLOAT,
                assertThrows(CommandException.class, () -> ZScores.scoreRange(b("1"), b("2x"))).getMessage());
    }

    @Test
    void listpackScoresAreIntegersWhenIntegral() {
        assertEquals("100000000000000000", new String(ZScores.listpackText(1e17)));
        assertEquals("0", new String(ZScores.listpackText(-0.0)));
        assertEquals("1.5", new String(ZScores.listpackText(1.5)));
        assertEquals("9.2233720368547758e+18", new String(ZScores.listpackText(9.2233720368547758e18)));
        assertEquals("-inf", new String(ZScores.listpackText(Double.NEGATIVE_INFINITY)));
    }
}
