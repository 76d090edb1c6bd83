package io.cascade.storage.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dict against a HashMap, its insertion order in ordered mode, its SCAN guarantee and its random picks. */
class DictTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void behavesLikeAMapUnderRandomOperations() {
        Dict d = new Dict(false);
        Map<String, String> model = new HashMap<>();
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            String k = "k" + r.nextInt(3000);
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(k) != null, d.remove(b(k)));
            } else {
                String v = "v" + i;
                assertEquals(model.put(k, v) == null, d.put(b(k), b(v)));
            }
            assertEquals(model.size(), d.size());
        }
        for (Map.Entry<String, String> e : model.entrySet()) {
            assertArrayEquals(b(e.getValue()), d.get(b(e.getKey())));
        }
        assertNull(d.get(b("missing")));
        Map<String, String> seen = new HashMap<>();
        d.forEach((k, v) -> seen.put(s(k), s(v)));
        assertEquals(model, seen);
    }

    @Test
    void orderedModeKeepsInsertionOrderAcrossRemovalsAndUpdates() {
        Dict d = new Dict(true);
        for (String k : List.of("a", "b", "c", "d", "e")) {
            d.put(b(k), b(k));
        }
        d.remove(b("b"));
        d.put(b("a"), b("A"));
        d.put(b("f"), b("f"));
        d.remove(b("e"));
        List<String> order = new ArrayList<>();
        d.forEach((k, v) -> order.add(s(k) + "=" + s(v)));
        assertEquals(List.of("a=A", "c=c", "d=d", "f=f"), order);
    }

    @Test
    void aFullScanReturnsEveryEntryPresentThroughoutWhileTheTableGrowsAndShrinks() {
        Dict d = new Dict(false);
        for (int i = 0; i < 1000; i++) {
            d.put(b("stay" + i), null);
        }
        Set<String> returned = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        do {
            cursor = d.scanStep(cursor, (k, v) -> returned.add(s(k)));
            // every 40 steps the table grows to about 9000 entries (16384 buckets) and shrinks back to 1000
            int phase = steps % 40;
            if (phase < 20) {
                for (int j = 0; j < 400; j++) {
                    d.put(b("tmp" + phase + "-" + j), null);
                }
            } else {
                for (int j = 0; j < 400; j++) {
                    d.remove(b("tmp" + (phase - 20) + "-" + j));
                }
            }
            steps++;
        } while (cursor != 0 && steps < 1_000_000);
        assertEquals(0, cursor, "the scan ends");
        for (int i = 0; i < 1000; i++) {
            assertTrue(returned.contains("stay" + i), "stay" + i);
        }
    }

    @Test
    void scanOfAStableTableReturnsEachEntryOnce() {
        Dict d = new Dict(false);
        for (int i = 0; i < 777; i++) {
            d.put(b("m" + i), null);
        }
        List<String> all = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = d.scanStep(cursor, (k, v) -> all.add(s(k)));
        } while (cursor != 0);
        assertEquals(777, all.size());
        assertEquals(777, new HashSet<>(all).size());
    }

    @Test
    void randomPicksAreUniform() {
        Dict d = new Dict(false);
        for (int i = 0; i < 10; i++) {
            d.put(b("m" + i), null);
        }
        d.remove(b("m3"));
        Map<String, Integer> hist = new HashMap<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 90_000; i++) {
            hist.merge(s(d.random(r).key), 1, Integer::sum);
        }
        assertEquals(9, hist.size());
        assertFalse(hist.containsKey("m3"));
        for (int n : hist.values()) {
            assertTrue(n > 9000 && n < 11000, "count " + n);
        }
    }
}
