package io.cascade.conf;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GlobTest {

    private static boolean m(String pattern, String s) {
        return Glob.match(pattern, s, false);
    }

    private static boolean mi(String pattern, String s) {
        return Glob.match(pattern, s, true);
    }

    @Test
    void literalsAndEmpty() {
        assertTrue(m("", ""));
        assertFalse(m("", "a"));
        assertFalse(m("a", ""));
        assertTrue(m("hello", "hello"));
        assertFalse(m("hello", "hellO"));
        assertTrue(mi("hello", "HeLLo"));
    }

    @Test
    void star() {
        assertTrue(m("*", "anything"));
        assertFalse(m("*", "")); // Redis quirk: the loop never runs on an empty string
        assertTrue(m("h*o", "hello"));
        assertTrue(m("h*o", "ho"));
        assertTrue(m("***o", "hello"));
        assertTrue(m("*l*l*", "hello"));
        assertFalse(m("*x*", "hello"));
        assertTrue(m("a*b*c*d", "aXbYcZd"));
        assertFalse(m("a*b*c*d", "aXbYcZ"));
        assertTrue(m("h*", "h"));
        assertTrue(m("h**", "h"));
    }

    @Test
    void question() {
        assertTrue(m("h?llo", "hello"));
        assertFalse(m("h?llo", "hllo"));
        assertTrue(m("???", "abc"));
        assertFalse(m("???", "ab"));
    }

    @Test
    void classes() {
        assertTrue(m("h[ae]llo", "hello"));
        assertTrue(m("h[ae]llo", "hallo"));
        assertFalse(m("h[ae]llo", "hillo"));
        assertTrue(m("h[^e]llo", "hallo"));
        assertFalse(m("h[^e]llo", "hello"));
        assertTrue(m("h[a-b]llo", "hbllo"));
        assertTrue(m("h[b-a]llo", "hallo")); // reversed ranges are swapped
        assertFalse(m("h[a-b]llo", "hcllo"));
        assertTrue(mi("[A-C]x", "bX"));
        assertTrue(m("[\\]]", "]"));
        assertTrue(m("[\\-]", "-"));
        assertTrue(m("[abc", "c")); // unterminated class: what was seen still counts
        assertFalse(m("[", "a"));
        assertTrue(m("[^", "a"));
    }

    @Test
    void escapes() {
        assertTrue(m("\\*", "*"));
        assertFalse(m("\\*", "a"));
        assertTrue(m("a\\?c", "a?c"));
        assertFalse(m("a\\?c", "abc"));
        assertTrue(m("ab\\", "ab\\")); // a trailing backslash is literal
        assertTrue(mi("\\A", "a"));
        assertFalse(mi("[\\A]", "a")); // Redis: an escaped byte in a class compares case-sensitively
    }

    @Test
    void deepPatternsDoNotOverflow() {
        String pattern = "a*".repeat(50_000) + "b";
        String s = "a".repeat(60_000);
        assertFalse(m(pattern, s));
        assertTrue(m("a*".repeat(50_000), "a".repeat(60_000)));
    }

    @Test
    void offsetsAndLengths() {
        byte[] p = "xxh*oyy".getBytes(StandardCharsets.UTF_8);
        byte[] s = "..hello..".getBytes(StandardCharsets.UTF_8);
        assertTrue(Glob.match(p, 2, 3, s, 2, 5, false));
    }

    /** Cases with results computed by Redis 7.0.15's own stringmatchlen, random bytes included. */
    @Test
    void agreesWithRedisOnRecordedCases() throws Exception {
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GlobTest.class.getResourceAsStream("glob-cases.txt"), StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(" ", -1);
                boolean expected = f[3].equals("1");
                assertEquals(expected, Glob.match(hex(f[0]), hex(f[1]), f[2].equals("1")), line);
                n++;
            }
        }
        assertTrue(n > 2000);
    }

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
