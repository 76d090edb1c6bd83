package io.cascade.storage.rdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RdbZsets' quick reading of plain decimal scores gives exactly Double.parseDouble's value, or leaves the text to the general path. */
class ScoreTextTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void same(String text) {
        double expected = Double.parseDouble(text);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(RdbZsets.parseScore(b(text))), text);
    }

    @Test
    void plainDecimalsReadAsParseDoubleReadsThem() {
        for (String s : new String[] {"0.5", "-0.5", "+0.5", "1.5", "5.", ".5", "-.5", "007.250", "-0", "-0.0", "0.1",
                "0.3", "3.14159265358979", "123456789012345", "-99999999999999.9", "0.000000000000001"}) {
            same(s);
        }
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            int intDigits = r.nextInt(0, 9);
            int fracDigits = r.nextInt(intDigits == 0 ? 1 : 0, 16 - intDigits);
            StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
            for (int d = 0; d < intDigits; d++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
            sb.append('.');
            for (int d = 0; d < fracDigits; d++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
            same(sb.toString());
        }
    }

    @Test
    void otherTextsAreLeftToTheGeneralPath() {
        for (String s : new String[] {"1e5", "1.5E-3", " 1.5", "1.5 ", "inf", "-inf", "nan", ".", "-", "", "1..5",
                "1.2.3", "12345678901234567.5", "0x10"}) {
            assertTrue(Double.isNaN(RdbZsets.plainDecimal(b(s))), s);
        }
        same("1e5");
        same("1.5E-3");
        same("12345678901234567.5");
        assertEquals(Double.NEGATIVE_INFINITY, RdbZsets.parseScore(b("-inf")));
        assertThrows(RdbFormatException.class, () -> RdbZsets.parseScore(b("1..5")));
        assertThrows(RdbFormatException.class, () -> RdbZsets.parseScore(b(".")));
    }
}
