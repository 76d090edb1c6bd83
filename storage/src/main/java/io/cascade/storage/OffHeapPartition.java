package io.cascade.storage;

import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition of an OffHeapStore: an in-memory Chronicle Map of key bytes to encoded values (ValueCodec),
 * plus the on-heap values whose map entry is only the HEAP marker. The map is sized for a number of entries;
 * when it is full it is rebuilt GROWTH times as large (entries copied, old map closed), keeping Chronicle's
 * power-of-two segment layout so that a key's segment in the new map has the old segment's index in its low
 * bits: that is what lets SCAN's reverse-binary cursor survive a rebuild. Command thread only.
 */
final class OffHeapPartition {
    /** Entries a partition is first created for: small, so that many partitions cost little when few keys exist. */
    static final long INITIAL_ENTRIES = 1024;
    /**
     * A full map is rebuilt this many times larger (a power of two, so segments stay powers of two): an empty
     * in-memory map costs address space but little RSS until written, and fewer rebuilds copy fewer keys.
     */
    static final int GROWTH = 4;
    /** About this many entries per Chronicle segment: the granularity of one SCAN step. */
    static final long ENTRIES_PER_SEGMENT = 256;

    private final String name;
    private ChronicleMap<byte[], byte[]> map;
    private long capacity;
    private long count;
    /** Bytes of keys and of encoded values stored, for the average sizes a rebuild is created with. */
    private long keyBytes;
    private long valueBytes;
    /** Values that stay on the heap (large collections, huge strings); null until the first one. */
    private Map<Key, Object> heap;
    private final OffHeapStore.Stats stats;

    OffHeapPartition(String name, OffHeapStore.Stats stats) {
        this.name = name;
        this.stats = stats;
        this.capacity = INITIAL_ENTRIES;
        this.map = create(capacity, 16, 16);
    }

    private ChronicleMap<byte[], byte[]> create(long entries, double avgKey, double avgValue) {
        int segments = (int) Math.max(1, Long.highestOneBit(Math.max(1, entries / ENTRIES_PER_SEGMENT)));
        return ChronicleMap.of(byte[].class, byte[].class)
                .name(name)
                .entries(entries)
                .averageKeySize(Math.max(1, avgKey))
                .averageValueSize(Math.max(1, avgValue))
                .actualSegments(segments)
                .maxBloatFactor(4)
                .create();
    }

    long size() {
        return count;
    }

    /** log2 of the segment count: the width of this partition's SCAN cursor. */
    int segmentBits() {
        return Integer.numberOfTrailingZeros(map.segments());
    }

    Object get(byte[] key) {
        if (!map.isOpen()) {
            return null; // closed by a FLUSHDB while a forEach was walking it
        }
        byte[] raw = map.get(key);
        if (raw == null) {
            return null;
        }
        return ValueCodec.isHeapMarker(raw) ? heap.get(new Key(key)) : ValueCodec.decode(raw);
    }

    boolean contains(byte[] key) {
        return map.containsKey(key);
    }

    /** Stores encoded (compact) or, when encoded is null, the value itself on the heap. */
    void put(byte[] key, byte[] encoded, Object value) {
        if (count >= capacity && !map.containsKey(key)) {
            rebuild(capacity * GROWTH);
        }
        if (encoded != null) {
            try {
                write(key, encoded);
            } catch (IllegalStateException | IllegalArgumentException full) {
                // a segment ran out of tiers (values larger than the sizes the map was made for): grow (with the
                // average sizes measured so far) and retry, unless the map is already far larger than its
                // contents; if the entry still does not fit, keep the value on the heap
                encoded = capacity < 16 * (count + 1) ? retryAfterRebuild(key, encoded) : null;
            }
        }
        if (encoded == null) {
            write(key, HEAP_MARKER);
            if (heap == null) {
                heap = new HashMap<>();
            }
            heap.put(new Key(key), value);
        } else if (heap != null) {
            heap.remove(new Key(key));
        }
    }

    private byte[] retryAfterRebuild(byte[] key, byte[] encoded) {
        rebuild(capacity * GROWTH);
        try {
            write(key, encoded);
            return encoded;
        } catch (IllegalStateException | IllegalArgumentException tooLarge) {
            return null;
        }
    }

    private static final byte[] HEAP_MARKER = {ValueCodec.HEAP};

    private void write(byte[] key, byte[] encoded) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = map.queryContext(key)) {
            q.updateLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            Data<byte[]> data = q.wrapValueAsData(encoded);
            if (e != null) {
                long old = e.value().size();
                if (!bothHeapMarkers(e, encoded)) {
                    e.doReplaceValue(data);
                }
                valueBytes += encoded.length - old;
            } else {
                q.absentEntry().doInsert(data);
                count++;
                keyBytes += key.length;
                valueBytes += encoded.length;
            }
        }
    }

    /** True when both the stored value and the new one are the heap marker (nothing to rewrite). */
    private static boolean bothHeapMarkers(MapEntry<byte[], byte[]> e, byte[] encoded) {
        return encoded.length == 1 && encoded[0] == ValueCodec.HEAP && isMarker(e);
    }

    private static boolean isMarker(MapEntry<byte[], byte[]> e) {
        return e.value().size() == 1 && e.value().bytes().readByte(e.value().offset()) == ValueCodec.HEAP;
    }

    boolean remove(byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = map.queryContext(key)) {
            q.updateLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            if (e == null) {
                return false;
            }
            long size = e.value().size();
            if (isMarker(e)) {
                heap.remove(new Key(key));
            }
            e.doRemove();
            count--;
            keyBytes -= key.length;
            valueBytes -= size;
            return true;
        }
    }

    /** The keys of one segment (collected first, so the caller may change the map while visiting them). */
    List<byte[]> segmentKeys(int segment) {
        List<byte[]> keys = new ArrayList<>();
        if (segment >= map.segments()) {
            return keys;
        }
        try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> keys.add(e.key().getUsing(null)));
        }
        return keys;
    }

    /** A key of a random non-empty segment, at a random position in it; null when the partition is empty. */
    byte[] randomKey(java.util.random.RandomGenerator random) {
        int segments = map.segments();
        for (int tries = 0; tries < 4 * segments && count > 0; tries++) {
            try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(random.nextInt(segments))) {
                long n = c.size();
                if (n == 0) {
                    continue;
                }
                long[] skip = {random.nextLong(n)};
                byte[][] found = new byte[1][];
                c.forEachSegmentEntryWhile(e -> {
                    if (skip[0]-- == 0) {
                        found[0] = e.key().getUsing(null);
                        return false;
                    }
                    return true;
                });
                if (found[0] != null) {
                    return found[0];
                }
            }
        }
        return null;
    }

    /** Off-heap bytes the map has reserved (Chronicle's figure; pages are touched, and count in RSS, as written). */
    long offHeapBytes() {
        return map.offHeapMemoryUsed();
    }

    int segments() {
        return map.segments();
    }

    /** Copies every entry into a new map made for newCapacity entries and the average sizes seen so far. */
    private void rebuild(long newCapacity) {
        long start = System.nanoTime();
        double avgKey = count == 0 ? 16 : (double) keyBytes / count;
        double avgValue = count == 0 ? 16 : (double) valueBytes / count;
        ChronicleMap<byte[], byte[]> next = create(newCapacity, avgKey, avgValue);
        for (int s = 0; s < map.segments(); s++) {
            try (MapSegmentContext<byte[], byte[], ?> c = map.segmentContext(s)) {
                c.forEachSegmentEntry(e -> {
                    try (ExternalMapQueryContext<byte[], byte[], ?> q = next.queryContext(e.key())) {
                        q.updateLock().lock();
                        q.absentEntry().doInsert(e.value());
                    }
                });
            }
        }
        map.close();
        map = next;
        capacity = newCapacity;
        stats.rebuilt(System.nanoTime() - start);
    }

    void close() {
        map.close();
        heap = null;
        count = 0;
    }
}
