package io.cascade.server.commands;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LongDouble against replies of a real redis-server 7.0.15 on x86-64: incrbyfloat-redis.tsv holds "SET k a;
 * INCRBYFLOAT k b" for hand-picked edge cases and 3000 random pairs (gen-incrbyfloat-table.py beside it).
 */
class LongDoubleTest {
    /** What INCRBYFLOAT answers, computed the way FloatIncrCommands does. */
    private static String incrbyfloat(String a, String b) {
        LongDouble x = LongDouble.parse(a.getBytes(StandardCharsets.UTF_8));
        LongDouble y = LongDouble.parse(b.getBytes(StandardCharsets.UTF_8));
        if (x == null || y == null) {
            return "-ERR value is not a valid float";
        }
        LongDouble sum = x.add(y);
        if (sum.isNanOrInfinite()) {
            return "-ERR increment would produce NaN or Infinity";
        }
        return sum.toHumanString();
    }

    @Test
    void matchesRedisOnEveryTableRow() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int rows = 0;
        try (InputStream in = LongDoubleTest.class.getResourceAsStream("/incrbyfloat-redis.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", -1);
                rows++;
                String actual = incrbyfloat(f[0], f[1]);
                if (!actual.equals(f[2])) {
                    mismatches.add(abbrev(f[0]) + " + " + abbrev(f[1]) + ": redis " + abbrev(f[2]) + ", cascade "
                            + abbrev(actual));
                }
            }
        }
        assertTrue(rows > 3000, "table read");
        assertEquals(List.of(), mismatches);
    }

    private static String abbrev(String s) {
        return s.length() > 80 ? s.substring(0, 40) + "..." + s.substring(s.length() - 30) + " (" + s.length() + ")" : s;
    }

    @Test
    void decimalsThatDoubleGetsWrong() {
        assertEquals("10.6", incrbyfloat("10.5", "0.1"));
        assertEquals("0.3", incrbyfloat("0.1", "0.2"));
        String v = "0";
        for (int i = 0; i < 10; i++) {
            v = incrbyfloat(v, "0.1");
        }
        assertEquals("1", v);
    }

    @Test
    void integersAreExact() {
        assertEquals("9223372036854775807", LongDouble.of(Long.MAX_VALUE).toHumanString());
        assertEquals("-9223372036854775808", LongDouble.of(Long.MIN_VALUE).toHumanString());
        assertEquals("0", LongDouble.of(0).toHumanString());
        assertEquals("5", LongDouble.of(2).add(LongDouble.of(3)).toHumanString());
    }

    @Test
    void noNegativeZero() {
        assertEquals("0", incrbyfloat("-0", "-0"));
        assertEquals("0", incrbyfloat("0", "-0.000000000000000001"));
        assertEquals("0", incrbyfloat("0.024390243902439025", "-0.024390243902439025"));
    }

    @Test
    void parseRefusesWhatString2ldRefuses() {
        for (String bad : List.of("", " 1", "1 ", "nan", "-nan", "1e", "0x", "1e99999", "1e-99999", ".", "+", "1.2.3")) {
            assertNull(LongDouble.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertNull(LongDouble.parse(new byte[] {'1', 0, '2'}), "embedded NUL");
        assertNull(LongDouble.parse("1".repeat(5120).getBytes(StandardCharsets.US_ASCII)), "5 kB or more");
        assertFalse(LongDouble.parse("inf".getBytes(StandardCharsets.US_ASCII)).isFinite());
        assertTrue(LongDouble.parse("-Infinity".getBytes(StandardCharsets.US_ASCII)).isNanOrInfinite());
        assertTrue(LongDouble.parse("inf".getBytes(StandardCharsets.US_ASCII))
                .add(LongDouble.parse("-inf".getBytes(StandardCharsets.US_ASCII))).isNanOrInfinite());
    }
}
