package io.cascade.storage;

import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;
import net.openhft.chronicle.map.ChronicleMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.cascade.storage.Values.b;
import static io.cascade.storage.Values.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys and entries larger than a Chronicle segment tier: every operation of the store works with them. */
class OffHeapLongKeysTest {
    private OffHeapStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    /** A key of n bytes, different for each tag (the tag at both ends: keys differ early and late). */
    private static byte[] longKey(String tag, int n) {
        byte[] k = new byte[n];
        Arrays.fill(k, (byte) 'k');
        byte[] t = b(tag);
        System.arraycopy(t, 0, k, 0, t.length);
        System.arraycopy(t, 0, k, n - t.length, t.length);
        return k;
    }

    private static String s(byte[] k) {
        return k.length > 40 ? k.length + ":" + new String(k, 0, 20, StandardCharsets.ISO_8859_1) : new String(k, StandardCharsets.ISO_8859_1);
    }

    /** One value of each type and encoding the store distinguishes (compact ones and heap ones). */
    private static Map<String, Object> valuesOfEveryType() {
        Map<String, Object> v = new HashMap<>();
        v.put("small string", b("v"));
        v.put("16 KB string", new byte[OffHeapStore.MAX_INLINE_STRING]);
        v.put("100 KB string", new byte[100_000]);
        RHash lp = new RHash();
        lp.put(b("f"), b("1"));
        lp.put(b("g"), b("2"));
        v.put("listpack hash", lp);
        RHash ht = new RHash();
        for (int i = 0; i < 300; i++) {
            ht.put(b("field" + i), b("v" + i));
        }
        v.put("hashtable hash", ht);
        RList l = new RList();
        l.addLast(b("a"));
        l.addLast(b("b"));
        v.put("list", l);
        RSet ints = new RSet();
        ints.add(b("1"));
        ints.add(b("-7"));
        v.put("intset", ints);
        RSet members = new RSet();
        members.add(b("x"));
        members.add(b("y"));
        v.put("set", members);
        RZSet z = new RZSet();
        z.add(b("m"), 1.5);
        z.add(b("n"), 2);
        v.put("zset", z);
        return v;
    }

    @Test
    void keysOf20KB100KBAnd1MBHoldValuesOfEveryType() {
        store = new OffHeapStore("long");
        Map<String, Object> values = valuesOfEveryType();
        Map<String, String> expected = new HashMap<>();
        Map<String, byte[]> keys = new HashMap<>();
        for (int len : new int[] {OffHeapPartition.MAX_INLINE_KEY, OffHeapPartition.MAX_INLINE_KEY + 1, 13_402, 20_000,
                100_000, 1_000_000}) {
            for (Map.Entry<String, Object> e : values.entrySet()) {
                byte[] k = longKey(e.getKey() + "/" + len, len);
                store.put(k, e.getValue(), 4242, false);
                keys.put(s(k) + e.getKey(), k);
                expected.put(s(k) + e.getKey(), describe(e.getValue()));
            }
        }
        assertEquals(keys.size(), store.size());
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            byte[] k = e.getValue();
            assertTrue(store.contains(k), e.getKey());
            assertEquals(expected.get(e.getKey()), describe(store.get(k)), e.getKey());
            assertEquals(4242, store.lru(k), e.getKey());
        }
        // a copy of the key finds the same entry (the store did not keep the caller's array by identity)
        byte[] big = longKey("list/1000000", 1_000_000);
        assertEquals(describe(values.get("list")), describe(store.get(big.clone())));
        store.setLru(big, 77);
        assertEquals(77, store.lru(big));
        store.put(big, b("replaced"), 1, true);
        assertEquals(77, store.lru(big), "keepLru keeps the access field of a long key too");
        assertArrayEquals(b("replaced"), (byte[]) store.get(big));
        assertTrue(store.remove(big));
        assertFalse(store.remove(big));
        assertFalse(store.contains(big));
        assertNull(store.get(big));
        assertEquals(-1, store.lru(big));
        assertEquals(keys.size() - 1, store.size());
        store.clear();
        assertEquals(0, store.size());
        assertNull(store.get(longKey("small string/20000", 20_000)));
    }

    @Test
    void aLargeStringOfALongKeyIsEditedInPlace() {
        store = new OffHeapStore("long");
        byte[] k = longKey("s", 20_000);
        store.put(k, b("hello"));
        byte[] live = store.liveString(k);
        assertArrayEquals(b("hello"), live);
        assertTrue(store.sharesValue(k), "get hands out the stored value itself: a snapshot must save it first");
        live[0] = 'j';
        assertArrayEquals(b("jello"), (byte[]) store.get(k));
    }

    @Test
    void aShortKeyWithAValueLargerThanItsMapKeepsTheValueOnTheHeap() {
        store = new OffHeapStore("long", 0);
        // a fresh partition's map (averages 16 and 16) takes entries of 13,398 bytes: a 2 KB key and a 16 KB
        // string do not fit, nor does a listpack hash with large limits
        byte[] k = longKey("short", OffHeapPartition.MAX_INLINE_KEY);
        byte[] value = new byte[OffHeapStore.MAX_INLINE_STRING];
        value[7] = 9;
        store.put(k, value);
        assertArrayEquals(value, (byte[]) store.get(k));
        assertTrue(store.sharesValue(k));
        assertEquals(0, store.partition(0).longKeyCount(), "a key of MAX_INLINE_KEY bytes is in the map");
        assertEquals(1, store.size());
    }

    @Test
    void theSmallestMapTakesTheLongestInlineKeyWithAHeapMarker() {
        // the smallest averages a partition's map is made with: a one-byte key and a bare header
        ChronicleMap<byte[], byte[]> m = ChronicleMaps.create("smallest", OffHeapPartition.INITIAL_ENTRIES, 1, 1);
        try {
            long limit = ChronicleMaps.maxEntryBytes(m);
            assertTrue(limit >= OffHeapPartition.MAX_INLINE_KEY + ValueCodec.HEADER, "limit " + limit);
            m.put(new byte[OffHeapPartition.MAX_INLINE_KEY], ValueCodec.heapMarker(0));
            // and the limit is Chronicle's: one byte more than it takes is refused
            byte[] tooLong = new byte[(int) limit + ChronicleMaps.ENTRY_SIZE_FIELDS];
            assertThrowsTooLarge(m, tooLong);
        } finally {
            m.close();
        }
    }

    private static void assertThrowsTooLarge(ChronicleMap<byte[], byte[]> m, byte[] key) {
        try {
            m.put(key, ValueCodec.heapMarker(0));
        } catch (IllegalArgumentException | IllegalStateException expected) {
            return;
        }
        throw new AssertionError("Chronicle took an entry of " + key.length + " bytes: maxEntryBytes is too low");
    }

    @Test
    void longKeysSurviveRebuildsAndMigrationsAndScanSeesEachOnce() {
        store = new OffHeapStore("long", 0); // one partition: 6,000 short keys rebuild it twice
        OffHeapPartition p = store.partition(0);
        Map<String, String> expected = new HashMap<>();
        Map<String, byte[]> keys = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(3);
        boolean sawMigration = false;
        for (int i = 0; i < 6_000; i++) {
            byte[] k = b("short:" + i);
            store.put(k, b("v" + i));
            keys.put(s(k), k);
            expected.put(s(k), describe(b("v" + i)));
            if (i % 100 == 0) {
                // a long key, and a short key whose value is too large for the map, in the middle of migrations
                int len = i % 300 == 0 ? 100_000 : 20_000;
                byte[] lk = longKey("long:" + i, len);
                RHash h = new RHash();
                h.put(b("f"), b("x" + i));
                store.put(lk, h);
                keys.put(s(lk), lk);
                expected.put(s(lk), describe(h));
                byte[] sk = longKey("fat:" + i, 1500);
                byte[] fat = new byte[OffHeapStore.MAX_INLINE_STRING - rnd.nextInt(100)];
                store.put(sk, fat);
                keys.put(s(sk), sk);
                expected.put(s(sk), describe(fat));
            }
            p = store.partition(0);
            sawMigration |= p.migrating();
        }
        assertTrue(sawMigration, "the inserts migrated the partition");
        assertTrue(store.stats().rebuilds >= 2);
        assertEquals(keys.size(), store.size());
        for (Map.Entry<String, byte[]> e : keys.entrySet()) {
            assertEquals(expected.get(e.getKey()), describe(store.get(e.getValue())), e.getKey());
        }
        // SCAN: every key exactly once without changes, in calls of about COUNT
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = store.scan(cursor, 10, k -> seen.merge(s(k), 1, Integer::sum));
        } while (cursor != 0);
        assertEquals(keys.keySet(), seen.keySet());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each key once");
        // forEach (DEBUG DIGEST, KEYS) and forEachInPartition (a snapshot): each key once with its value
        Map<String, String> visited = new HashMap<>();
        store.forEach((k, v) -> assertNull(visited.put(s(k), describe(v)), s(k)));
        assertEquals(expected, visited);
        visited.clear();
        store.forEachInPartition(0, (k, v) -> assertNull(visited.put(s(k), describe(v)), s(k)));
        assertEquals(expected, visited);
        // RANDOMKEY reaches the long keys too
        Set<Integer> lengths = new HashSet<>();
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 2_000; i++) {
            byte[] k = store.randomKey(r);
            assertTrue(keys.containsKey(s(k)));
            lengths.add(k.length);
        }
        assertTrue(lengths.contains(20_000) && lengths.contains(100_000), "long keys picked: " + lengths);
    }

    @Test
    void scanOfLongKeysWithWritesBetweenCallsSeesEveryStableKeyOnce() {
        store = new OffHeapStore("long", 1);
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            byte[] k = longKey("stable:" + i, 3_000 + i);
            store.put(k, b("v"));
            stable.add(s(k));
        }
        List<byte[]> volatileKeys = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        int calls = 0;
        int next = 0;
        do {
            cursor = store.scan(cursor, 7, k -> seen.merge(s(k), 1, Integer::sum));
            calls++;
            // inserts and deletes of long keys between calls never shift the positions of the others
            byte[] v = longKey("volatile:" + next++, 4_000);
            store.put(v, b("x"));
            volatileKeys.add(v);
            if (volatileKeys.size() > 3) {
                store.remove(volatileKeys.remove(0));
            }
        } while (cursor != 0);
        for (String k : stable) {
            assertEquals(1, seen.getOrDefault(k, 0), k);
        }
        assertTrue(calls > 500 / 7 / 2, "long keys come about COUNT at a time: " + calls + " calls");
    }
}
