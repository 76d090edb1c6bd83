package io.cascade.storage;

import io.cascade.storage.types.RList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.storage.Values.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-key access field through Keyspace, on the heap store and the off-heap one alike, for values kept
 * encoded off heap and values kept on the heap (a long list, a string over 16 KiB).
 */
class KeyspaceAccessTest {
    private static final long T0 = 1_700_000_000_000L;
    private final long[] now = {T0};
    private final List<ValueStore> stores = new ArrayList<>();

    KeyspaceAccessTest() {
        AccessClock.setTimeSource(() -> now[0]);
    }

    @AfterEach
    void reset() {
        AccessClock.reset();
        stores.forEach(ValueStore::close);
    }

    private Keyspace db(String kind) {
        ValueStore s = kind.equals("heap") ? new HeapStore() : new OffHeapStore("access-test");
        stores.add(s);
        return new Keyspace(s, 0);
    }

    private void later(long ms) {
        now[0] += ms;
    }

    private static int clock(long ms) {
        return (int) ((ms / 1000) & AccessClock.LRU_CLOCK_MAX);
    }

    private static RList longList() {
        RList l = new RList();
        for (int i = 0; i < 200; i++) {
            l.addLast(b("e" + i));
        }
        return l;
    }

    private static Object value(String shape) {
        return switch (shape) {
            case "small" -> b("v");
            case "list" -> longList();
            default -> new byte[20_000];
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap:small", "heap:list", "heap:big", "offheap:small", "offheap:list", "offheap:big"})
    void lookupsTouchAndIntrospectionDoesNot(String kindShape) {
        String[] ks = kindShape.split(":");
        Keyspace db = db(ks[0]);
        byte[] k = b("k");
        db.set(k, value(ks[1]));
        assertEquals(clock(T0), db.lruField(k), "a new key carries the clock");
        assertEquals(0, db.idleSeconds(k));
        later(3_500);
        db.getNoTouch(k);
        db.peek(k);
        db.exists(k);
        assertEquals(3, db.idleSeconds(k), "getNoTouch, peek and exists leave the field");
        db.get(k);
        assertEquals(0, db.idleSeconds(k), "a lookup resets it");
        later(2_000);
        if (db.get(k) instanceof RList l) {
            l.addLast(b("more"));
            later(5_000);
            db.update(k, l);
            assertEquals(5, db.idleSeconds(k), "a collection written back keeps its field");
        }
        later(2_000);
        db.set(k, value(ks[1]));
        assertEquals(0, db.idleSeconds(k), "SET makes a new object under LRU");
        assertEquals(-1, db.idleSeconds(b("missing")));
        assertEquals(-1, db.lruField(b("missing")));
        assertFalse(db.setLruOrLfu(b("missing"), -1, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "offheap"})
    void restoredIdleTimeAndFrequency(String kind) {
        Keyspace db = db(kind);
        byte[] k = b("k");
        db.set(k, b("v"));
        assertTrue(db.setLruOrLfu(k, -1, 1000));
        assertEquals(1000, db.idleSeconds(k));
        assertFalse(db.setLruOrLfu(k, 100, -1), "FREQ does not apply under LRU");
        assertEquals(1000, db.idleSeconds(k));
        AccessClock.configure("allkeys-lfu", 10, 1);
        assertTrue(db.setLruOrLfu(k, 100, 1000));
        assertEquals(100, db.lfuFreq(k));
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "offheap"})
    void lfuCountsLookupsAndOverwritesKeepTheCounter(String kind) {
        AccessClock.configure("allkeys-lfu", 0, 1);
        Keyspace db = db(kind);
        byte[] k = b("k");
        db.set(k, b("v"));
        assertEquals(AccessClock.LFU_INIT_VAL, db.lfuFreq(k));
        for (int i = 0; i < 20; i++) {
            db.get(k);
        }
        assertEquals(25, db.lfuFreq(k), "lfu-log-factor 0: one per lookup");
        db.set(k, b("w"));
        assertEquals(25, db.lfuFreq(k), "an overwrite keeps the counter (dbOverwrite)");
        db.delete(k);
        db.set(k, b("w"));
        assertEquals(AccessClock.LFU_INIT_VAL, db.lfuFreq(k), "a new key starts again");
        later(3 * 60_000);
        assertEquals(2, db.lfuFreq(k), "decays one per minute");
    }

    @Test
    void offHeapRewritesAnEntryAtMostOncePerSecond() {
        OffHeapStore s = new OffHeapStore("access-rewrite");
        stores.add(s);
        Keyspace db = new Keyspace(s, 0);
        byte[] k = b("k");
        db.set(k, b("v"));
        now[0] = (now[0] / 1000) * 1000; // the start of a second
        db.set(k, b("v"));
        long before = s.stats().accessRewrites;
        for (int i = 0; i < 100; i++) {
            db.get(k);
            later(5);
        }
        assertEquals(before, s.stats().accessRewrites, "100 reads within the second the key was written: no rewrite");
        later(1000);
        for (int i = 0; i < 100; i++) {
            db.get(k);
        }
        assertEquals(before + 1, s.stats().accessRewrites, "the next second: one rewrite for 100 reads");
        assertArrayEquals(b("v"), (byte[]) db.get(k));
    }

    @Test
    void fieldsSurviveAPartitionMigration() {
        OffHeapStore s = new OffHeapStore("access-migrate", 0);
        stores.add(s);
        int n = (int) OffHeapPartition.INITIAL_ENTRIES;
        for (int i = 0; i < n; i++) {
            s.put(b("k" + i), i % 2 == 0 ? b("v" + i) : longList(), i, false);
        }
        s.put(b("trigger"), b("t"), 7, false);
        OffHeapPartition p = s.partition(0);
        assertTrue(p.migrating());
        s.put(b("k1"), longList(), 99, true); // written back while still in the old map: keeps 1
        s.put(b("k2"), b("x"), 98, false);
        assertEquals(1, s.lru(b("k1")));
        assertEquals(98, s.lru(b("k2")));
        s.setLru(b("k3"), 12345);
        p.finishMigration();
        for (int i = 4; i < n; i++) {
            assertEquals(i, s.lru(b("k" + i)), "k" + i);
        }
        assertEquals(12345, s.lru(b("k3")));
        assertEquals(1, s.lru(b("k1")));
        assertEquals(7, s.lru(b("trigger")));
    }
}
