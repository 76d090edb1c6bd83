package io.cascade.storage;

import io.cascade.storage.types.Footprint;
import net.openhft.chronicle.bytes.RandomDataOutput;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.map.MapEntry;
import net.openhft.chronicle.map.MapSegmentContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import java.util.random.RandomGenerator;

/**
 * One partition of an OffHeapStore: an in-memory Chronicle Map of key bytes to encoded values (ValueCodec),
 * plus the on-heap values whose map entry is only the HEAP marker. The map is sized for a number of entries;
 * when it is full a map GROWTH times as large is created and the entries migrate to it incrementally, as
 * Redis rehashes a dict: every read and write moves MIGRATE_STEP entries, meanwhile a key is in exactly one
 * of the two maps, lookups try the new map then the old one, and writes go to the new one. Chronicle's
 * power-of-two segment layout gives a key's segment in the new map the old segment's index in its low bits:
 * that is what lets SCAN's reverse-binary cursor survive a rebuild, during one too (scan visits an old
 * segment together with its expansions in the new map). The next map is created ahead, on the
 * cascade-offheap-maps thread, once the map is three quarters full (creating one costs milliseconds). Every
 * entry, a heap marker too, starts with the key's access field (ValueCodec's header): a read that changes it
 * rewrites the entry, which under LRU happens at most once a second per key. Keys over MAX_INLINE_KEY are in
 * neither map but in longKeys (on the heap, visited after the maps), and an entry larger than its map takes
 * (mapLimit) is a heap marker: a Chronicle entry must fit in one segment tier. Command thread only, except that
 * creation.
 */
final class OffHeapPartition {
    /** Entries a partition is first created for: small, so that many partitions cost little when few keys exist. */
    static final long INITIAL_ENTRIES = 1024;
    /**
     * A full map is rebuilt this many times larger (a power of two, so segments stay powers of two): fewer
     * rebuilds copy fewer keys. An empty in-memory map costs address space, not RSS: its pages count as they are
     * first written (measured: 64 empty maps of 65,536 entries add 1.8 MB of RSS and take about 1 ms each).
     */
    static final int GROWTH = 4;
    /** About this many entries per Chronicle segment: the granularity of one SCAN step. */
    static final long ENTRIES_PER_SEGMENT = 256;

    /**
     * Entries moved from the old map to the new one by each read or write of the partition during a migration
     * (about 0.1 ms of work). The old map holds at most capacity/GROWTH entries, so it is empty long before
     * the new one is full, even if every write is an insert.
     */
    static final int MIGRATE_STEP = 32;

    /**
     * Keys longer than this are kept on the heap, in longKeys, with their values: every map Chronicle makes here
     * takes an entry of at least 3,262 bytes (ChronicleMaps.maxEntryBytes; the map made for the smallest
     * averages), so a key up to this length and a heap marker always fit, whatever the partition's sizes.
     * Keys of this length are rare, and the heap table is as quick for them (docs/storage.md, Long keys).
     */
    static final int MAX_INLINE_KEY = 2048;

    /**
     * What an entry costs a map besides its key and value bytes (for used_memory): Chronicle's key and value size
     * fields, its slot in the segment's hash lookup (8 bytes at about 2/3 load) and, on average, half a chunk of
     * rounding. An estimate: the map's own reserve (capacity not yet written) is not counted, as Redis's
     * used_memory does not count a hash table's empty buckets beyond their pointers.
     */
    static final int ENTRY_OVERHEAD = 24;
    /** A value kept on the heap besides the value itself: its HashMap node, Key wrapper and HeapValue holder. */
    static final int HEAP_HOLDER = 32 + 16 + 24;

    /** A value kept on the heap, with the bytes charged for it when it was last written (taken back on removal). */
    private static final class HeapValue {
        Object value;
        long charged;
    }

    private final String name;
    /** The map made ahead for the next rebuild (for nextCapacity entries), or null. */
    private CompletableFuture<ChronicleMap<byte[], byte[]>> next;
    private long nextCapacity;
    /** The map writes go to (the new one during a migration). */
    private ChronicleMap<byte[], byte[]> map;
    /** The map being migrated from, or null; its segments below migrateSegment are already empty. */
    private ChronicleMap<byte[], byte[]> old;
    private int migrateSegment;
    /** Entries still in old. */
    private long oldCount;
    private long capacity;
    private long count;
    /** Bytes of keys and of encoded values stored, for the average sizes a rebuild is created with. */
    private long keyBytes;
    private long valueBytes;
    /** Values that stay on the heap (large collections, huge strings); null until the first one. */
    private Map<Key, HeapValue> heap;
    /** The bytes this partition holds (ENTRY_OVERHEAD, keys, values, heap values, long keys), for used_memory. */
    private long memory;
    /** The keys over MAX_INLINE_KEY, which are in neither map; null until the first one. */
    private LongKeys longKeys;
    /** The largest key plus encoded value the map writes go to takes (ChronicleMaps.maxEntryBytes). */
    private long mapLimit;
    private final OffHeapStore.Stats stats;

    OffHeapPartition(String name, OffHeapStore.Stats stats) {
        this(name, stats, INITIAL_ENTRIES);
    }

    OffHeapPartition(String name, OffHeapStore.Stats stats, long entries) {
        this(name, stats, entries, 16, 16);
    }

    /**
     * Sized from the start for entries of about these sizes (a load that knows how many keys are coming and
     * roughly how large they are): entries past a segment's room go to overflow tiers, slower to search.
     */
    OffHeapPartition(String name, OffHeapStore.Stats stats, long entries, double avgKey, double avgValue) {
        this.name = name;
        this.stats = stats;
        this.capacity = entries;
        this.map = ChronicleMaps.create(name, capacity, avgKey, avgValue);
        this.mapLimit = ChronicleMaps.maxEntryBytes(map);
    }

    /** Keys in the partition: the maps' entries and the long keys. */
    long size() {
        return count + (longKeys == null ? 0 : longKeys.size());
    }

    /** Keys kept in longKeys (tests). */
    int longKeyCount() {
        return longKeys == null ? 0 : longKeys.size();
    }

    /** The held entry of a key over MAX_INLINE_KEY, or null. */
    private LongKeys.Held held(byte[] key) {
        return longKeys == null ? null : longKeys.get(key);
    }

    /** log2 of the segment count of the map writes go to. */
    int segmentBits() {
        return Integer.numberOfTrailingZeros(map.segments());
    }

    boolean migrating() {
        return old != null;
    }

    /** The value or null; with touch, as a command's lookup: the access field is updated (AccessClock.touched). */
    Object get(byte[] key, boolean touch) {
        if (!map.isOpen()) {
            return null; // closed by a FLUSHDB while a forEach was walking it
        }
        if (key.length > MAX_INLINE_KEY) {
            LongKeys.Held h = held(key);
            if (h == null) {
                return null;
            }
            if (touch) {
                h.lru = AccessClock.touched(h.lru);
            }
            return h.value;
        }
        if (old != null) {
            migrateStep(MIGRATE_STEP);
        }
        byte[] raw = touch ? readTouching(map, key) : map.get(key);
        if (raw == null && old != null) {
            raw = touch ? readTouching(old, key) : old.get(key);
        }
        if (raw == null) {
            return null;
        }
        return ValueCodec.isHeapMarker(raw) ? heapValue(key) : ValueCodec.decode(raw);
    }

    /**
     * The raw entry of key in m (a plain get, the quickest read), then, when a lookup changes its access field,
     * the three bytes written in place in the map (no copy of the value) and in the copy returned.
     */
    private byte[] readTouching(ChronicleMap<byte[], byte[]> m, byte[] key) {
        byte[] raw = m.get(key);
        if (raw == null) {
            return null;
        }
        int lru = ValueCodec.lru(raw);
        int now = AccessClock.touched(lru);
        if (now != lru) {
            ValueCodec.setLru(raw, now);
            writeLru(m, key, raw, now);
            stats.accessRewrites++;
        }
        return raw;
    }

    /** Writes an entry's access field in place (raw: the entry with the new field, in case it cannot be). */
    private static void writeLru(ChronicleMap<byte[], byte[]> m, byte[] key, byte[] raw, int lru) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = m.queryContext(key)) {
            q.writeLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            if (e == null) {
                return;
            }
            Data<byte[]> v = e.value();
            if (v.bytes() instanceof RandomDataOutput<?> out) {
                long at = v.offset();
                out.writeByte(at + 1, (byte) lru);
                out.writeByte(at + 2, (byte) (lru >>> 8));
                out.writeByte(at + 3, (byte) (lru >>> 16));
            } else {
                e.doReplaceValue(q.wrapValueAsData(raw));
            }
        }
    }

    /** The key's access field, or -1 when it is missing. */
    int lru(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            LongKeys.Held h = held(key);
            return h == null ? -1 : h.lru;
        }
        int lru = lruIn(map, key);
        return lru < 0 && old != null ? lruIn(old, key) : lru;
    }

    private static int lruIn(ChronicleMap<byte[], byte[]> m, byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = m.queryContext(key)) {
            q.readLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            return e == null ? -1 : lruOf(e);
        }
    }

    /** Marks the string of a long key as built in place (ValueStore.putBuiltInPlace), after its put. */
    void markLongKeyBuiltInPlace(byte[] key) {
        LongKeys.Held h = held(key);
        if (h != null) {
            h.builtInPlace = true;
        }
    }

    /** True when the key's entry is a STRING_BUILT one (or its long key's value was marked so). */
    boolean builtInPlace(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            LongKeys.Held h = held(key);
            return h != null && h.builtInPlace;
        }
        return typeIn(map, key) == ValueCodec.STRING_BUILT || (old != null && typeIn(old, key) == ValueCodec.STRING_BUILT);
    }

    /** The type byte of key's entry in m, or -1 when it is not there. */
    private static int typeIn(ChronicleMap<byte[], byte[]> m, byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = m.queryContext(key)) {
            q.readLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            return e == null ? -1 : e.value().bytes().readByte(e.value().offset());
        }
    }

    /** Sets the access field of an existing key. */
    void setLru(byte[] key, int lru) {
        if (key.length > MAX_INLINE_KEY) {
            LongKeys.Held h = held(key);
            if (h != null) {
                h.lru = lru;
            }
            return;
        }
        for (ChronicleMap<byte[], byte[]> m : old == null ? List.of(map) : List.of(map, old)) {
            try (ExternalMapQueryContext<byte[], byte[], ?> q = m.queryContext(key)) {
                q.updateLock().lock();
                MapEntry<byte[], byte[]> e = q.entry();
                if (e != null) {
                    byte[] raw = e.value().getUsing(null);
                    ValueCodec.setLru(raw, lru);
                    e.doReplaceValue(q.wrapValueAsData(raw));
                    return;
                }
            }
        }
    }

    /** The access field in an entry's header, read in place. */
    private static int lruOf(MapEntry<byte[], byte[]> e) {
        Data<byte[]> v = e.value();
        long at = v.offset();
        return (v.bytes().readByte(at + 1) & 0xff) | (v.bytes().readByte(at + 2) & 0xff) << 8
                | (v.bytes().readByte(at + 3) & 0xff) << 16;
    }

    /** The live array of a string kept on the heap (over MAX_INLINE_STRING), or null for any other value. */
    byte[] heapString(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            LongKeys.Held h = held(key);
            return h != null && h.value instanceof byte[] s ? s : null;
        }
        if (heap == null) {
            return null;
        }
        HeapValue v = heap.get(new Key(key));
        return v != null && v.value instanceof byte[] s ? s : null;
    }

    /** True when the key's value is kept on the heap as a live object (get returns it, not a copy). */
    boolean onHeap(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            return held(key) != null;
        }
        return heap != null && heap.containsKey(new Key(key));
    }

    boolean contains(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            return held(key) != null;
        }
        return map.containsKey(key) || (old != null && old.containsKey(key));
    }

    /**
     * Stores encoded (compact, its header's access field still to fill) or, when encoded is null, the value
     * itself on the heap. The access field becomes lru, or with keepLru stays what an existing entry has. A key
     * over MAX_INLINE_KEY goes to longKeys with its value as it is (encoded is then ignored).
     */
    void put(byte[] key, byte[] encoded, Object value, int lru, boolean keepLru) {
        if (key.length > MAX_INLINE_KEY) {
            if (longKeys == null) {
                longKeys = new LongKeys();
            }
            long before = longKeys.bytes();
            longKeys.put(key, value, lru, keepLru);
            charge(longKeys.bytes() - before);
            return;
        }
        if (old != null) {
            migrateStep(MIGRATE_STEP);
        }
        if (count >= capacity && !contains(key)) {
            rebuild(capacity * GROWTH, true);
        }
        if (old != null) {
            // the new value goes to the new map: the key must not stay in both
            int prior = dropFromOld(key);
            if (keepLru && prior >= 0) {
                lru = prior;
                keepLru = false;
            }
        }
        if (encoded != null && key.length + encoded.length > mapLimit) {
            encoded = null; // larger than a segment tier of this map: Chronicle would refuse it, a rebuild too
        }
        if (encoded != null) {
            ValueCodec.setLru(encoded, lru);
            try {
                write(key, encoded, keepLru);
            } catch (IllegalStateException | IllegalArgumentException full) {
                // a segment ran out of tiers (values larger than the sizes the map was made for): grow (with the
                // average sizes measured so far) and retry, unless the map is already far larger than its
                // contents; if the entry still does not fit, keep the value on the heap
                if (capacity < 16 * (count + 1)) {
                    rebuild(capacity * GROWTH, false);
                    // when the write that failed was a replace, the key is in the map just made old
                    int prior = dropFromOld(key);
                    if (keepLru && prior >= 0) {
                        lru = prior;
                        keepLru = false;
                    }
                    encoded = retry(key, encoded, lru);
                } else {
                    encoded = null;
                }
            }
        }
        if (encoded == null) {
            write(key, ValueCodec.heapMarker(lru), keepLru);
            putHeap(key, value);
        } else if (heap != null) {
            uncharge(heap.remove(new Key(key)));
        }
        if (next == null && old == null && count >= capacity - capacity / 4) {
            prepareNext();
        }
    }

    /** The heap's value of a key whose entry is the marker. */
    private Object heapValue(byte[] key) {
        HeapValue h = heap == null ? null : heap.get(new Key(key));
        return h == null ? null : h.value;
    }

    /** Keeps value on the heap for key (whose entry is the marker), charging what it costs now. */
    private void putHeap(byte[] key, Object value) {
        if (heap == null) {
            heap = new HashMap<>();
        }
        Key k = new Key(key);
        HeapValue h = heap.get(k);
        if (h == null) {
            h = new HeapValue();
            h.charged = HEAP_HOLDER + Footprint.array(key.length);
            charge(h.charged);
            heap.put(k, h);
        }
        // a collection changed in place comes back as the same object: charge it anew, for what it holds now
        long now = HEAP_HOLDER + Footprint.array(key.length) + Footprint.of(value);
        charge(now - h.charged);
        h.value = value;
        h.charged = now;
    }

    private void uncharge(HeapValue h) {
        if (h != null) {
            charge(-h.charged);
        }
    }

    private void charge(long bytes) {
        memory += bytes;
        stats.usedBytes += bytes;
    }

    /** The bytes this partition holds, as charged to used_memory. */
    long memory() {
        return memory;
    }

    private byte[] retry(byte[] key, byte[] encoded, int lru) {
        ValueCodec.setLru(encoded, lru);
        try {
            write(key, encoded, false);
            return encoded;
        } catch (IllegalStateException | IllegalArgumentException tooLarge) {
            return null;
        }
    }

    /** Inserts or replaces in the map writes go to; with keepLru a replaced entry's access field is kept. */
    private void write(byte[] key, byte[] encoded, boolean keepLru) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = map.queryContext(key)) {
            q.updateLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            if (e != null) {
                if (keepLru) {
                    ValueCodec.setLru(encoded, lruOf(e));
                }
                long old = e.value().size();
                if (!sameHeapMarker(e, encoded)) {
                    e.doReplaceValue(q.wrapValueAsData(encoded));
                }
                valueBytes += encoded.length - old;
                charge(encoded.length - old);
            } else {
                q.absentEntry().doInsert(q.wrapValueAsData(encoded));
                count++;
                keyBytes += key.length;
                valueBytes += encoded.length;
                charge(ENTRY_OVERHEAD + key.length + encoded.length);
            }
        }
    }

    /** True when the stored entry is already the heap marker written now, access field included (nothing to rewrite). */
    private static boolean sameHeapMarker(MapEntry<byte[], byte[]> e, byte[] encoded) {
        return ValueCodec.isHeapMarker(encoded) && isMarker(e) && lruOf(e) == ValueCodec.lru(encoded);
    }

    private static boolean isMarker(MapEntry<byte[], byte[]> e) {
        return e.value().size() == ValueCodec.HEADER && e.value().bytes().readByte(e.value().offset()) == ValueCodec.HEAP;
    }

    boolean remove(byte[] key) {
        if (key.length > MAX_INLINE_KEY) {
            if (longKeys == null) {
                return false;
            }
            long before = longKeys.bytes();
            boolean had = longKeys.remove(key);
            charge(longKeys.bytes() - before);
            return had;
        }
        if (old != null) {
            migrateStep(MIGRATE_STEP);
            if (old != null && removeFrom(old, key)) {
                oldCount--;
                return true;
            }
        }
        return removeFrom(map, key);
    }

    /**
     * Removes key from the old map, keeping its heap value (a put is about to replace it); returns the access
     * field it had, or -1 when it was not there.
     */
    private int dropFromOld(byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = old.queryContext(key)) {
            q.updateLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            if (e == null) {
                return -1;
            }
            int lru = lruOf(e);
            charge(-(ENTRY_OVERHEAD + key.length + e.value().size()));
            valueBytes -= e.value().size();
            keyBytes -= key.length;
            count--;
            oldCount--;
            e.doRemove();
            return lru;
        }
    }

    private boolean removeFrom(ChronicleMap<byte[], byte[]> m, byte[] key) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = m.queryContext(key)) {
            q.updateLock().lock();
            MapEntry<byte[], byte[]> e = q.entry();
            if (e == null) {
                return false;
            }
            long size = e.value().size();
            if (isMarker(e)) {
                uncharge(heap.remove(new Key(key)));
            }
            e.doRemove();
            count--;
            keyBytes -= key.length;
            valueBytes -= size;
            charge(-(ENTRY_OVERHEAD + key.length + size));
            return true;
        }
    }

    /** The keys of one segment of the map writes go to (tests; finish the migration first). */
    List<byte[]> segmentKeys(int segment) {
        List<byte[]> keys = new ArrayList<>();
        ChronicleMaps.segmentKeys(map, segment, keys);
        return keys;
    }

    /**
     * Visits every key with its value, reading each segment's entries in one pass (a snapshot saving the
     * partition: no second lookup per key). A segment's entries are collected before the visitor sees them, so
     * it may read the store; it must not change this partition.
     */
    void forEachEntry(BiConsumer<byte[], Object> visitor) {
        List<byte[]> entries = new ArrayList<>();
        for (ChronicleMap<byte[], byte[]> m : old == null ? List.of(map) : List.of(old, map)) {
            for (int s = 0; s < m.segments(); s++) {
                entries.clear();
                segmentEntries(m, s, entries);
                visitEntries(entries, visitor);
            }
        }
        if (longKeys != null) {
            longKeys.forEach(visitor);
        }
    }

    /** The keys and raw values of one segment of m, in pairs. */
    private static void segmentEntries(ChronicleMap<byte[], byte[]> m, int segment, List<byte[]> entries) {
        if (segment >= m.segments()) {
            return;
        }
        try (MapSegmentContext<byte[], byte[], ?> c = m.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> {
                entries.add(e.key().getUsing(null));
                entries.add(e.value().getUsing(null));
            });
        }
    }

    /** Hands the visitor the collected pairs, each value decoded (or the heap's object for a heap marker). */
    private void visitEntries(List<byte[]> entries, BiConsumer<byte[], Object> visitor) {
        for (int i = 0; i < entries.size(); i += 2) {
            byte[] key = entries.get(i);
            byte[] raw = entries.get(i + 1);
            visitor.accept(key, ValueCodec.isHeapMarker(raw) ? heapValue(key) : ValueCodec.decode(raw));
        }
    }

    /** Every key of the partition, both maps during a migration, and the long keys. */
    List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>((int) size());
        for (ChronicleMap<byte[], byte[]> m : old == null ? List.of(map) : List.of(old, map)) {
            for (int s = 0; s < m.segments(); s++) {
                ChronicleMaps.segmentKeys(m, s, keys);
            }
        }
        if (longKeys != null) {
            longKeys.keys(keys);
        }
        return keys;
    }

    /**
     * A partition cursor with this bit is in the long keys' phase, which follows the segments: its low 31 bits are
     * the position (LongKeys.position) to go on from. Segment cursors are far below it.
     */
    static final long LONG_PHASE = 1L << 31;

    /**
     * One SCAN step (Redis's dictScan): adds the keys of bucket v to keys and returns the next cursor, 0 after
     * the last bucket. During a migration the old, smaller map sets the cursor's width: its segment v is
     * visited with every segment of the new map that shares v's low bits (where its keys are moving to).
     * After the last segment come the long keys, about count at a time, in the LONG_PHASE cursors.
     */
    long scan(long v, long count, List<byte[]> keys) {
        if ((v & LONG_PHASE) != 0) {
            long next = longKeys == null ? -1 : longKeys.scan((int) (v & ~LONG_PHASE), count, keys);
            return next < 0 ? 0 : LONG_PHASE | next;
        }
        long next = scanSegments(v, (m, s) -> ChronicleMaps.segmentKeys(m, s, keys));
        return next == 0 && longKeys != null && longKeys.size() > 0 ? LONG_PHASE : next;
    }

    /**
     * scan's walk with the values: the entries of the segments cursor v stands for, then the next cursor; the
     * long keys come last, all in one step (they are few: keys over 2 KB).
     */
    long scanEntries(long v, BiConsumer<byte[], Object> visitor) {
        if ((v & LONG_PHASE) != 0) {
            if (longKeys != null) {
                longKeys.forEach(visitor);
            }
            return 0;
        }
        List<byte[]> entries = new ArrayList<>();
        long next = scanSegments(v, (m, s) -> segmentEntries(m, s, entries));
        visitEntries(entries, visitor);
        return next == 0 && longKeys != null && longKeys.size() > 0 ? LONG_PHASE : next;
    }

    /** Reads segment s of map m (its keys, or its entries) for scanSegments. */
    private interface SegmentReader {
        void read(ChronicleMap<byte[], byte[]> m, int segment);
    }

    private long scanSegments(long v, SegmentReader reader) {
        if (old == null) {
            int bits = segmentBits();
            reader.read(map, (int) (v & ((1L << bits) - 1)));
            return ScanCursor.next(v, bits);
        }
        int smallBits = Integer.numberOfTrailingZeros(old.segments());
        long m0 = (1L << smallBits) - 1;
        long m1 = map.segments() - 1L;
        reader.read(old, (int) (v & m0));
        do {
            reader.read(map, (int) (v & m1));
            v = (((v | m0) + 1) & ~m0) | (v & m0); // the next expansion: increment the bits above m0
        } while ((v & (m0 ^ m1)) != 0);
        return ScanCursor.next(v, smallBits);
    }

    /**
     * Up to n entries one after another from a random place of a random non-empty segment (wrapping to the
     * segment's start), each key with its access field read in place: one segment walk for all n, where n
     * randomKey calls would walk n. The long keys are sampled as often as they are keys of the partition.
     */
    void sample(RandomGenerator random, int n, ObjIntConsumer<byte[]> visitor) {
        long all = size();
        if (all == 0) {
            return;
        }
        long r = random.nextLong(all);
        if (r >= count) {
            for (int i = 0; i < n; i++) {
                LongKeys.Held h = longKeys.get(longKeys.randomKey(random));
                visitor.accept(h.key, h.lru);
            }
            return;
        }
        ChronicleMap<byte[], byte[]> m = old != null && r < oldCount ? old : map;
        int segments = m.segments();
        for (int tries = 0; tries < 4 * segments; tries++) {
            try (MapSegmentContext<byte[], byte[], ?> c = m.segmentContext(random.nextInt(segments))) {
                long size = c.size();
                if (size == 0) {
                    continue;
                }
                long start = random.nextLong(size);
                int want = (int) Math.min(n, size);
                long[] at = {0};
                int[] got = {0};
                c.forEachSegmentEntryWhile(e -> {
                    if (at[0]++ >= start) {
                        visitor.accept(e.key().getUsing(null), lruOf(e));
                        got[0]++;
                    }
                    return got[0] < want;
                });
                if (got[0] < want) {
                    c.forEachSegmentEntryWhile(e -> {
                        visitor.accept(e.key().getUsing(null), lruOf(e));
                        return ++got[0] < want;
                    });
                }
                return;
            }
        }
    }

    /** A key of a random non-empty segment, at a random position in it; null when the partition is empty. */
    byte[] randomKey(RandomGenerator random) {
        byte[][] found = new byte[1][];
        sample(random, 1, (key, lru) -> found[0] = key);
        return found[0];
    }

    /** Segments of the map writes go to. */
    int segments() {
        return map.segments();
    }

    /** Off-heap bytes the maps have reserved (Chronicle's figure; pages are touched, and count in RSS, as written). */
    long offHeapBytes() {
        return map.offHeapMemoryUsed() + (old == null ? 0 : old.offHeapMemoryUsed());
    }

    private double avgKey() {
        return count == 0 ? 16 : (double) keyBytes / count;
    }

    private double avgValue() {
        return count == 0 ? 16 : (double) valueBytes / count;
    }

    /** Has the map of the next rebuild created on the maker thread, with the average sizes measured now. */
    private void prepareNext() {
        String n = name;
        long entries = capacity * GROWTH;
        double k = avgKey();
        double v = avgValue();
        nextCapacity = entries;
        next = CompletableFuture.supplyAsync(() -> ChronicleMaps.create(n, entries, k, v), ChronicleMaps.MAKER);
    }

    /** Whether a map for the next rebuild has been asked for (tests). */
    boolean preparingNext() {
        return next != null;
    }

    /** Waits until the map made ahead, if any, is ready (tests). */
    void awaitPrepared() {
        if (next != null) {
            next.join();
        }
    }

    /** Closes the map made ahead, once made (it may still be in the making). */
    private void discardNext() {
        if (next != null) {
            next.thenAccept(ChronicleMap::close);
            next = null;
        }
    }

    /**
     * Starts migrating into a new map for newCapacity entries: the one made ahead when it is ready (and
     * prepared is allowed: not after a write that did not fit, which needs the averages of now), else one made
     * now with the average sizes seen so far. A migration still running is finished first: only when a write
     * failed in the middle of one.
     */
    private void rebuild(long newCapacity, boolean prepared) {
        finishMigration();
        long start = System.nanoTime();
        ChronicleMap<byte[], byte[]> made = null;
        if (prepared && next != null && nextCapacity == newCapacity && next.isDone()
                && !next.isCompletedExceptionally()) {
            made = next.join();
            next = null;
            stats.preparedMaps++;
        }
        discardNext();
        if (made == null) {
            made = ChronicleMaps.create(name, newCapacity, avgKey(), avgValue());
        }
        old = map;
        oldCount = count;
        migrateSegment = 0;
        map = made;
        mapLimit = ChronicleMaps.maxEntryBytes(made);
        capacity = newCapacity;
        stats.rebuilt(System.nanoTime() - start);
    }

    /** Moves every entry still in the old map (tests, and a write failed during a migration). */
    void finishMigration() {
        while (old != null) {
            migrateStep(Integer.MAX_VALUE);
        }
    }

    /** Moves up to budget entries from the old map to the new one; closes the old map once it is empty. */
    private void migrateStep(int budget) {
        long start = System.nanoTime();
        int[] left = {budget};
        while (left[0] > 0 && migrateSegment < old.segments()) {
            try (MapSegmentContext<byte[], byte[], ?> c = old.segmentContext(migrateSegment)) {
                boolean emptied = c.forEachSegmentEntryWhile(e -> {
                    move(e);
                    e.doRemove();
                    oldCount--;
                    return --left[0] > 0;
                });
                if (emptied) {
                    migrateSegment++;
                }
            }
            left[0]--; // a visit of an empty segment counts too
        }
        if (migrateSegment == old.segments()) {
            old.close();
            old = null;
        }
        stats.migrated(System.nanoTime() - start);
    }

    /** Inserts an old map's entry into the new map (where the key cannot be: writes drop it from the old). */
    private void move(MapEntry<byte[], byte[]> e) {
        try (ExternalMapQueryContext<byte[], byte[], ?> q = map.queryContext(e.key())) {
            q.updateLock().lock();
            // the new map's sizes are the old one's averages: its largest entry may be smaller than the old's
            if (e.key().size() + e.value().size() <= mapLimit) {
                try {
                    q.absentEntry().doInsert(e.value());
                    return;
                } catch (IllegalStateException | IllegalArgumentException full) {
                    // out of tiers: rare, since the new map was sized with the averages of the old one
                }
            }
            // the value goes to the heap, as a write that does not fit does
            byte[] key = e.key().getUsing(null);
            byte[] raw = e.value().getUsing(null);
            valueBytes += ValueCodec.HEADER - raw.length;
            charge(ValueCodec.HEADER - raw.length);
            if (!ValueCodec.isHeapMarker(raw)) {
                putHeap(key, ValueCodec.decode(raw));
            }
            q.absentEntry().doInsert(q.wrapValueAsData(ValueCodec.heapMarker(ValueCodec.lru(raw))));
        }
    }

    void close() {
        discardNext();
        map.close();
        if (old != null) {
            old.close();
            old = null;
        }
        heap = null;
        longKeys = null;
        count = 0;
        charge(-memory);
    }
}
