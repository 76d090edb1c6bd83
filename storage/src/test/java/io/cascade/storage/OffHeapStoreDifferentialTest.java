package io.cascade.storage;

import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.cascade.storage.Values.b;
import static io.cascade.storage.Values.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OffHeapStore and HeapStore driven by the same random operations must hold the same contents. */
class OffHeapStoreDifferentialTest {
    private final HeapStore heap = new HeapStore();
    private OffHeapStore off;
    private final SplittableRandom rnd = new SplittableRandom(20261124);

    @AfterEach
    void close() {
        if (off != null) {
            off.close();
        }
    }

    private byte[] key(int bound) {
        int i = rnd.nextInt(bound);
        return i % 7 == 0 ? new byte[] {(byte) i, 0, (byte) (i >> 8), (byte) 0xff} : b("k:" + i);
    }

    private byte[] element(int maxLen) {
        byte[] e = new byte[rnd.nextInt(maxLen + 1)];
        for (int i = 0; i < e.length; i++) {
            e[i] = (byte) rnd.nextInt(256);
        }
        return e;
    }

    private Object randomValue() {
        int kind = rnd.nextInt(10);
        boolean large = rnd.nextInt(8) == 0;
        switch (kind) {
            case 0, 1, 2: return element(rnd.nextInt(20) == 0 ? 40_000 : 30); // some past the inline limit
            case 3, 4: {
                RList l = new RList();
                int n = large ? 100 + rnd.nextInt(200) : 1 + rnd.nextInt(10);
                for (int i = 0; i < n; i++) {
                    l.addLast(element(rnd.nextInt(30) == 0 ? 100 : 20));
                }
                return l;
            }
            case 5, 6: {
                RHash h = new RHash();
                int n = large ? 100 + rnd.nextInt(100) : 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    h.put(b("f" + rnd.nextInt(300)), element(rnd.nextInt(20) == 0 ? 80 : 10));
                }
                return h;
            }
            default: {
                RSet s = new RSet();
                int n = large ? 300 + rnd.nextInt(400) : 1 + rnd.nextInt(10);
                boolean ints = rnd.nextBoolean();
                for (int i = 0; i < n; i++) {
                    s.add(ints ? b(Long.toString(rnd.nextLong() >> rnd.nextInt(64))) : b("m" + rnd.nextInt(1000)));
                }
                return s;
            }
        }
    }

    /** What Keyspace.update does after a command changed a (possibly decoded) collection. */
    private void modify(byte[] k) {
        Object a = off.get(k);
        Object h = heap.get(k);
        assertEquals(describe(h), describe(a));
        if (a instanceof RList l && h instanceof RList hl) {
            byte[] e = element(10);
            l.addFirst(e);
            hl.addFirst(e);
        } else if (a instanceof RHash x && h instanceof RHash hx) {
            byte[] f = b("f" + rnd.nextInt(200));
            byte[] v = element(rnd.nextInt(10) == 0 ? 100 : 5);
            x.put(f, v);
            hx.put(f, v);
        } else if (a instanceof RSet x && h instanceof RSet hx) {
            byte[] m = rnd.nextBoolean() ? b(Long.toString(rnd.nextInt())) : b("w" + rnd.nextInt(50));
            x.add(m);
            hx.add(m);
        } else {
            return;
        }
        off.put(k, a);
        heap.put(k, h);
    }

    private static TreeMap<String, String> contents(ValueStore s) {
        TreeMap<String, String> m = new TreeMap<>();
        s.forEach((k, v) -> m.put(Arrays.toString(k), describe(v)));
        return m;
    }

    /** Compares whole contents, naming the first difference rather than printing both stores. */
    private static void assertSameContents(ValueStore expected, ValueStore actual) {
        TreeMap<String, String> e = contents(expected);
        TreeMap<String, String> a = contents(actual);
        for (String k : e.keySet()) {
            assertEquals(e.get(k), a.get(k), "key " + k);
        }
        assertEquals(e.size(), a.size(), "key count");
    }

    private void run(int ops, int keySpace) {
        for (int op = 0; op < ops; op++) {
            byte[] k = key(keySpace);
            int what = rnd.nextInt(100);
            if (what < 55) {
                Object v = randomValue();
                off.put(k, v);
                // the heap store keeps the object itself: give it an equal but separate copy
                heap.put(k, v instanceof RValue ? ValueCodec.decode(ValueCodec.encode(v)) : v);
            } else if (what < 70) {
                assertEquals(heap.remove(k), off.remove(k));
            } else if (what < 85) {
                if (heap.contains(k)) {
                    modify(k);
                }
            } else {
                assertEquals(heap.contains(k), off.contains(k));
                assertEquals(describe(heap.get(k)), describe(off.get(k)));
            }
            assertEquals(heap.size(), off.size());
        }
        assertSameContents(heap, off);
    }

    /**
     * Removes every key one by one: both stores must then charge nothing, whatever the puts, replaces, in-place
     * changes and rebuilds before (used_memory's dataset part takes back exactly what it charged).
     */
    private void assertChargesComeBack() {
        assertTrue(off.usedMemory() > 0 && heap.usedMemory() > 0, "a store holding keys charges for them");
        List<byte[]> keys = new ArrayList<>();
        off.forEach((k, v) -> keys.add(k));
        for (byte[] k : keys) {
            assertTrue(off.remove(k));
            assertTrue(heap.remove(k));
        }
        assertEquals(0, off.usedMemory(), "off-heap charges left after every key was removed");
        assertEquals(0, heap.usedMemory(), "heap store charges left after every key was removed");
    }

    @Test
    void chargesComeBackExactly() {
        off = new OffHeapStore("charges", 1);
        run(30_000, 5_000);
        for (int i = 0; i < 50; i++) {
            // keys past MAX_INLINE_KEY live in the partitions' long-key tables: charged there
            byte[] k = b(i + ":" + "L".repeat(OffHeapPartition.MAX_INLINE_KEY + i));
            Object v = randomValue();
            off.put(k, v);
            heap.put(k, v instanceof RValue ? ValueCodec.decode(ValueCodec.encode(v)) : v);
            if (i % 3 == 0) {
                modify(k);
            }
        }
        assertChargesComeBack();
        run(10_000, 20_000); // again after the partitions grew
        assertChargesComeBack();
        run(5_000, 1_000);
        off.clear();
        assertEquals(0, off.usedMemory(), "FLUSHALL");
    }

    @Test
    void sameContentsAsHeapStore() {
        off = new OffHeapStore("diff", 2);
        run(20_000, 3_000);
        run(20_000, 10_000);
        heap.clear();
        off.clear();
        assertEquals(0, off.size());
        assertNull(off.get(b("k:1")));
        run(10_000, 1_000);
    }

    @Test
    void growsPastSeveralRebuilds() {
        off = new OffHeapStore("grow", 1);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            byte[] k = b("key:" + i);
            keys.add(k);
            Object v = i % 10 == 0 ? randomValue() : b("value:" + i);
            off.put(k, v);
            heap.put(k, v instanceof RValue ? ValueCodec.decode(ValueCodec.encode(v)) : v);
        }
        // 30,000 keys per partition: 1k -> 4k -> 16k -> 64k entries, three rebuilds each (a value too large for
        // a segment tier no longer rebuilds in vain: it goes to the heap at once)
        assertTrue(off.stats().rebuilds >= 6, "rebuilds: " + off.stats().rebuilds);
        assertSameContents(heap, off);
        for (int i = 0; i < keys.size(); i += 2) {
            assertTrue(off.remove(keys.get(i)));
            heap.remove(keys.get(i));
        }
        assertEquals(30_000, off.size());
        assertSameContents(heap, off);
        off.clear();
        assertEquals(0, off.partitionsCreated());
    }

    @Test
    void largeCollectionsStayOnHeapAndSmallOnesAreCopies() {
        off = new OffHeapStore("heap", 2);
        RList big = new RList();
        for (int i = 0; i < 1000; i++) {
            big.addLast(b("e" + i));
        }
        off.put(b("big"), big);
        assertTrue(off.get(b("big")) == big, "a large list is kept as the object itself");
        RList small = new RList();
        small.addLast(b("x"));
        off.put(b("small"), small);
        Object copy = off.get(b("small"));
        assertTrue(copy != small && describe(copy).equals(describe(small)), "a small list is decoded afresh");
        off.put(b("big"), b("now a string"));
        assertEquals(describe(b("now a string")), describe(off.get(b("big"))));
        assertEquals(2, off.size());
    }

    @Test
    void emptyDatabaseAllocatesNothing() {
        off = new OffHeapStore("empty");
        assertEquals(0, off.partitionsCreated());
        assertNull(off.get(b("x")));
        assertEquals(0, off.scan(0, 10, k -> { }));
        assertNull(off.randomKey(rnd));
        off.forEach((k, v) -> { });
        assertEquals(0, off.partitionsCreated());
        off.put(b("x"), b("1"));
        assertEquals(1, off.partitionsCreated());
        assertEquals("x", new String(off.randomKey(rnd)));
    }
}
