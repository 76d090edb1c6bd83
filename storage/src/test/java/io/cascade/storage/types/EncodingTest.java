package io.cascade.storage.types;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RHash and RSet follow Redis's encoding conversions (t_hash.c, t_set.c) and orders. */
class EncodingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void restoreLimits() {
        EncodingLimits.hashMaxListpackEntries = 128;
        EncodingLimits.hashMaxListpackValue = 64;
        EncodingLimits.setMaxIntsetEntries = 512;
    }

    @Test
    void hashIsAListpackUntilTooManyEntries() {
        EncodingLimits.hashMaxListpackEntries = 3;
        RHash h = new RHash();
        h.put(b("c"), b("1"));
        h.put(b("a"), b("2"));
        h.put(b("b"), b("3"));
        assertEquals("listpack", h.encoding());
        List<String> order = new ArrayList<>();
        h.forEach((f, v) -> order.add(new String(f)));
        assertEquals(List.of("c", "a", "b"), order);
        h.put(b("a"), b("x"));
        assertEquals("listpack", h.encoding());
        h.put(b("d"), b("4"));
        assertEquals("hashtable", h.encoding());
        h.remove(b("d"));
        h.remove(b("a"));
        assertEquals("hashtable", h.encoding(), "never converted back");
    }

    @Test
    void hashConvertsOnALongFieldOrValue() {
        RHash h = new RHash();
        h.put(b("f"), b("x".repeat(64)));
        assertEquals("listpack", h.encoding());
        h.put(b("g"), b("x".repeat(65)));
        assertEquals("hashtable", h.encoding());
        RHash h2 = new RHash();
        h2.tryConversion(b("f"), b("y".repeat(65)));
        assertTrue(h2.isHashtable());
    }

    @Test
    void setIsAnIntsetOfAscendingIntegers() {
        RSet s = new RSet();
        for (String m : List.of("5", "-3", "100", "5", "0")) {
            s.add(b(m));
        }
        assertTrue(s.isIntset());
        List<String> order = new ArrayList<>();
        s.forEach(m -> order.add(new String(m)));
        assertEquals(List.of("-3", "0", "5", "100"), order);
        assertTrue(s.contains(b("100")));
        assertFalse(s.contains(b("0100")));
        assertFalse(s.remove(b("+5")));
        assertTrue(s.remove(b("5")));
        assertEquals(3, s.size());
    }

    @Test
    void setConvertsOnANonIntegerOrTooManyEntries() {
        RSet s = new RSet();
        s.add(b("1"));
        s.add(b("01"));
        assertEquals("hashtable", s.encoding());
        assertTrue(s.contains(b("1")) && s.contains(b("01")));

        EncodingLimits.setMaxIntsetEntries = 2;
        RSet t = new RSet();
        t.add(b("1"));
        t.add(b("2"));
        assertTrue(t.isIntset());
        t.add(b("2"));
        assertTrue(t.isIntset());
        t.add(b("3"));
        assertEquals("hashtable", t.encoding());
        assertEquals(3, t.size());
    }

    @Test
    void setTypeCreatePicksTheEncodingOfTheFirstMember() {
        assertTrue(RSet.createFor(b("12")).isIntset());
        assertTrue(RSet.createFor(b("-0")).isHashtable());
        assertTrue(RSet.createFor(b("abc")).isHashtable());
    }

    @Test
    void hashtableSetScanReturnsEveryMember() {
        RSet s = new RSet();
        for (int i = 0; i < 600; i++) {
            s.add(b("m" + i));
        }
        Set<String> seen = new HashSet<>();
        long c = 0;
        do {
            c = s.scanStep(c, m -> seen.add(new String(m)));
        } while (c != 0);
        assertEquals(600, seen.size());
    }
}
