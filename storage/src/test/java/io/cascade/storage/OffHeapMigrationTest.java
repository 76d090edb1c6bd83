package io.cascade.storage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static io.cascade.storage.Values.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A partition in the middle of an incremental migration: every operation sees one consistent keyspace. */
class OffHeapMigrationTest {
    private OffHeapStore store;

    @AfterEach
    void close() {
        store.close();
    }

    private static String s(byte[] k) {
        return new String(k, StandardCharsets.ISO_8859_1);
    }

    /** A one-partition store whose first map is full, and a migration just started by one more insert. */
    private OffHeapPartition startMigration() {
        store = new OffHeapStore("migrate", 0);
        for (int i = 0; i < OffHeapPartition.INITIAL_ENTRIES; i++) {
            store.put(b("k" + i), b("v" + i));
        }
        OffHeapPartition p = store.partition(0);
        assertFalse(p.migrating());
        store.put(b("trigger"), b("t"));
        assertTrue(p.migrating(), "the insert past capacity starts a migration");
        return p;
    }

    @Test
    void readsWritesAndDeletesDuringAMigration() {
        OffHeapPartition p = startMigration();
        // keys still in the old map are found, replaced, and deleted, without the count drifting
        for (int i = 1000; i > 990; i--) {
            assertArrayEquals(b("v" + i), (byte[]) store.get(b("k" + i)), "k" + i);
        }
        assertTrue(p.migrating(), "10 reads move 10 steps of entries at most: still migrating");
        store.put(b("k1000"), b("replaced"));
        assertArrayEquals(b("replaced"), (byte[]) store.get(b("k1000")));
        assertTrue(store.remove(b("k999")));
        assertFalse(store.remove(b("k999")));
        assertFalse(store.contains(b("k999")));
        assertNull(store.get(b("k999")));
        assertEquals(OffHeapPartition.INITIAL_ENTRIES, store.size());
        p.finishMigration();
        assertFalse(p.migrating());
        assertEquals(OffHeapPartition.INITIAL_ENTRIES, store.size());
        assertArrayEquals(b("replaced"), (byte[]) store.get(b("k1000")));
        assertArrayEquals(b("v5"), (byte[]) store.get(b("k5")));
        Set<String> all = new HashSet<>();
        store.forEach((k, v) -> assertTrue(all.add(s(k)), "each key once: " + s(k)));
        assertEquals(OffHeapPartition.INITIAL_ENTRIES, all.size());
        assertTrue(store.stats().migrationSteps > 0);
    }

    @Test
    void scanDuringAMigrationSeesEveryKey() {
        OffHeapPartition p = startMigration();
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int callsWhileMigrating = 0;
        int next = 0;
        do {
            callsWhileMigrating += p.migrating() ? 1 : 0;
            cursor = store.scan(cursor, 10, k -> seen.add(s(k)));
            store.put(b("new" + next++), b("x")); // each write moves a few entries to the new map
        } while (cursor != 0);
        assertTrue(callsWhileMigrating > 1, "the scan ran across the migration: " + callsWhileMigrating);
        for (int i = 0; i < OffHeapPartition.INITIAL_ENTRIES; i++) {
            assertTrue(seen.contains("k" + i), "k" + i);
        }
        assertTrue(seen.contains("trigger"));
    }

    @Test
    void randomKeyDuringAMigrationComesFromBothMaps() {
        OffHeapPartition p = startMigration();
        SplittableRandom rnd = new SplittableRandom(3);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            seen.add(s(store.randomKey(rnd)));
        }
        assertTrue(p.migrating());
        assertTrue(seen.size() > 100, "spread: " + seen.size());
    }

    @Test
    void theNextMapIsMadeAheadOnAnotherThread() {
        store = new OffHeapStore("ahead", 0);
        for (int i = 0; i < OffHeapPartition.INITIAL_ENTRIES; i++) {
            store.put(b("k" + i), b("v" + i));
        }
        store.partition(0).awaitPrepared();
        store.put(b("trigger"), b("t"));
        assertEquals(1, store.stats().rebuilds);
        assertEquals(1, store.stats().preparedMaps, "the rebuild took the map made ahead");
        store.clear(); // and a map made ahead but never used is closed with its partition
        store.put(b("x"), b("1"));
        assertArrayEquals(b("1"), (byte[]) store.get(b("x")));
    }

    @Test
    void aLoadOfTheKeysAnnouncedNeitherRebuildsNorMakesAMapAhead() {
        store = new OffHeapStore("presized", 0);
        int n = 20_000;
        store.expectKeys(n); // an RDB's RESIZEDB
        for (int i = 0; i < n; i++) {
            store.put(b("key:" + i), b("value:" + i));
        }
        assertEquals(0, store.stats().rebuilds);
        assertFalse(store.partition(0).preparingNext(), "a map four times larger, asked for though the load is complete");
        assertEquals(n, store.size());
    }

    @Test
    void migrationEndsAndClosesTheOldMapUnderWrites() {
        OffHeapPartition p = startMigration();
        long reservedDuring = p.offHeapBytes();
        for (int i = 0; p.migrating() && i < 1000; i++) {
            store.put(b("more" + i), b("y"));
        }
        assertFalse(p.migrating(), "the old map is empty long before the new one is full");
        assertTrue(p.offHeapBytes() < reservedDuring, "the old map's memory is released");
    }
}
