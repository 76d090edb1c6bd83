package io.cascade.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.cascade.storage.Values.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCAN's guarantee on the off-heap store: keys present for the whole scan are returned at least once. */
class OffHeapStoreScanTest {
    private OffHeapStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private static String s(byte[] k) {
        return new String(k, StandardCharsets.ISO_8859_1);
    }

    @Test
    void fullScanReturnsEveryKeyOnce() {
        store = new OffHeapStore("scan");
        for (int i = 0; i < 20_000; i++) {
            store.put(b("k" + i), b("v"));
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = store.scan(cursor, 10, k -> seen.merge(s(k), 1, Integer::sum));
            calls++;
        } while (cursor != 0);
        assertEquals(20_000, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no key twice without changes");
        assertTrue(calls > 64, "one call returns about one segment, not a whole partition: " + calls);
    }

    @Test
    void keysPresentThroughoutAreSeenDespiteWritesAndRebuilds() {
        store = new OffHeapStore("scan", 2); // few partitions: the inserts below rebuild each several times
        SplittableRandom rnd = new SplittableRandom(7);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            store.put(b("stable:" + i), b("v"));
            stable.add("stable:" + i);
        }
        for (int i = 0; i < 2_000; i++) {
            store.put(b("volatile:" + i), b("v"));
        }
        long rebuildsBefore = store.stats().rebuilds;
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int next = 0;
        do {
            cursor = store.scan(cursor, 20, k -> seen.add(s(k)));
            for (int j = 0; j < 150; j++) { // grow the store well past its size during the scan
                store.put(b("new:" + next++), b("x"));
            }
            for (int j = 0; j < 5; j++) {
                store.remove(b("volatile:" + rnd.nextInt(2_000)));
            }
        } while (cursor != 0);
        assertTrue(store.stats().rebuilds - rebuildsBefore >= 4, "rebuilds: " + store.stats().rebuilds);
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing);
    }

    @Test
    void scanAcrossClearEnds() {
        store = new OffHeapStore("scan", 2);
        for (int i = 0; i < 5_000; i++) {
            store.put(b("k" + i), b("v"));
        }
        long cursor = store.scan(0, 100, k -> { });
        store.clear();
        store.put(b("after"), b("v"));
        Set<String> seen = new HashSet<>();
        int calls = 0;
        while (cursor != 0 && calls++ < 10_000) {
            cursor = store.scan(cursor, 100, k -> seen.add(s(k)));
        }
        assertEquals(0, cursor);
    }

    @Test
    void segmentOfAKeyKeepsItsLowBitsWhenTheMapGrows() {
        // the property the cursor relies on: Chronicle picks the segment from the low bits of the key hash
        store = new OffHeapStore("bits", 0);
        for (int i = 0; i < 1_000; i++) {
            store.put(b("k" + i), b("v"));
        }
        // find each key's segment in the first map, then grow and check the new segment's low bits
        OffHeapStoreProbe probe = new OffHeapStoreProbe(store);
        Map<String, Integer> before = probe.segmentOfEachKey();
        int bitsBefore = probe.segmentBits();
        for (int i = 1_000; i < 40_000; i++) {
            store.put(b("k" + i), b("v"));
        }
        int bitsAfter = probe.segmentBits();
        assertTrue(bitsAfter > bitsBefore, bitsBefore + " -> " + bitsAfter);
        Map<String, Integer> after = probe.segmentOfEachKey();
        int mask = (1 << bitsBefore) - 1;
        for (Map.Entry<String, Integer> e : before.entrySet()) {
            assertEquals(e.getValue().intValue(), after.get(e.getKey()) & mask, e.getKey());
        }
    }

    @Test
    void randomKeyReturnsStoredKeys() {
        store = new OffHeapStore("random", 2);
        for (int i = 0; i < 3_000; i++) {
            store.put(b("k" + i), b("v"));
        }
        SplittableRandom rnd = new SplittableRandom(1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String k = s(store.randomKey(rnd));
            assertTrue(k.startsWith("k"));
            seen.add(k);
        }
        assertTrue(seen.size() > 1_000, "spread: " + seen.size());
    }
}
