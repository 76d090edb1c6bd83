package io.cascade.storage;

import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.random.RandomGenerator;

/**
 * The ValueStore of one database off the Java heap: the keyspace is split by key hash into a fixed number of
 * partitions, each an in-memory Chronicle Map created on first use and rebuilt larger on its own when full, so
 * that no rebuild copies more than a fraction of the keys. Strings and the collections Redis would keep
 * compact (listpack, intset) are stored encoded (ValueCodec); larger collections and huge strings stay on the
 * heap as Java objects, with only a marker in the map, so every key is in one index (SCAN, RANDOMKEY, DBSIZE).
 * Keys longer than OffHeapPartition.MAX_INLINE_KEY are in no map: each partition keeps them, with their values,
 * in an on-heap table (LongKeys) that SCAN, RANDOMKEY, the size and forEach visit after the maps; the key's length
 * decides, so short keys pay for no second lookup. Every map entry, marker or encoded value, starts with the
 * key's access field (ValueCodec's header).
 * See docs/storage.md for the layout and the measurements behind the constants. Command thread only.
 */
public final class OffHeapStore implements ValueStore {
    /** Partitions per database (a power of two): bounds the keys one rebuild copies to 1/PARTITIONS. */
    public static final int PARTITION_BITS = 6;
    /** Strings longer than this stay on the heap: an entry must fit in one Chronicle segment tier. */
    static final int MAX_INLINE_STRING = 16 * 1024;
    /** Lists are quicklists in Redis 7.0; below these bounds the encoded form is small and quick to decode. */
    static final int LIST_MAX_ENTRIES = 128;
    static final int LIST_MAX_VALUE = 64;
    /** Small hashtable-encoded sets (non-integer members) are kept encoded too, under the list bounds. */
    static final int SET_MAX_ENTRIES = 128;

    /**
     * Rebuild counters, shared by the partitions of a store (for INFO and the benchmark). A rebuild's work is
     * split into pauses: creating the new map, then the migration steps; rebuildNanosMax is the longest one.
     */
    public static final class Stats {
        public long rebuilds;
        /** Rebuilds that found their new map made ahead on the maker thread. */
        public long preparedMaps;
        public long migrationSteps;
        public long rebuildNanosMax;
        public long rebuildNanosTotal;
        /** The longest creation of a new map, and the longest migration step. */
        public long createNanosMax;
        public long stepNanosMax;
        /** Entries rewritten by a read only because the key's access field changed (AccessClock). */
        public long accessRewrites;
        /** The bytes the partitions hold (OffHeapPartition.memory, summed): this database's part of used_memory. */
        long usedBytes;

        void rebuilt(long nanos) {
            rebuilds++;
            createNanosMax = Math.max(createNanosMax, nanos);
            paused(nanos);
        }

        void migrated(long nanos) {
            migrationSteps++;
            stepNanosMax = Math.max(stepNanosMax, nanos);
            paused(nanos);
        }

        private void paused(long nanos) {
            rebuildNanosTotal += nanos;
            rebuildNanosMax = Math.max(rebuildNanosMax, nanos);
        }
    }

    private final String name;
    private final int partitionBits;
    private final Stats stats = new Stats();
    private OffHeapPartition[] parts;
    private long size;

    public OffHeapStore() {
        this("cascade");
    }

    /** name: the prefix of the Chronicle maps' names (shows in their toString and errors). */
    public OffHeapStore(String name) {
        this(name, PARTITION_BITS);
    }

    /** With 2^partitionBits partitions (tests use few, to see many rebuilds with few keys). */
    OffHeapStore(String name, int partitionBits) {
        this.name = name;
        this.partitionBits = partitionBits;
        this.parts = new OffHeapPartition[1 << partitionBits];
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public long usedMemory() {
        return stats.usedBytes;
    }

    /** Off-heap bytes reserved by this database's maps. */
    public long offHeapBytes() {
        long n = 0;
        for (OffHeapPartition p : parts) {
            n += p == null ? 0 : p.offHeapBytes();
        }
        return n;
    }

    /** Partitions created so far (0 for a database never written). */
    public int partitionsCreated() {
        int n = 0;
        for (OffHeapPartition p : parts) {
            n += p == null ? 0 : 1;
        }
        return n;
    }

    /**
     * Chronicle Map compiles a class with javac the first time any map is created in the JVM (chronicle-values'
     * generated VanillaGlobalMutableState: seconds, more on a busy machine). A server starts this while it
     * initializes and joins it before accepting clients, so that no client's first write waits for it.
     */
    public static Thread warmUp() {
        Thread t = new Thread(() -> new OffHeapPartition("cascade-warmup", new Stats()).close(), "cascade-offheap-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The partition at index i, or null (tests). */
    OffHeapPartition partition(int i) {
        return parts[i];
    }

    /**
     * The value size presized partitions are made for: RESIZEDB says how many keys come, not how large they are;
     * small hashes and sets and short texts are about this much encoded, and a larger guess costs only unused
     * address space.
     */
    static final int EXPECTED_VALUE_BYTES = 48;

    /**
     * Creates the partitions not made yet for their share of n keys, so the load does not rebuild them. Each
     * gets half as much room again as its share, so that a load that ends at two thirds full stays below the
     * three quarters where a partition has its next map (four times larger) made ahead on the maker thread;
     * with a quarter more, a 1M-key full sync left the replica at 366 MB of RSS instead of 264 MB.
     */
    @Override
    public void expectKeys(long n) {
        long each = n / parts.length + n / parts.length / 2;
        if (each <= OffHeapPartition.INITIAL_ENTRIES) {
            return;
        }
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) {
                parts[i] = new OffHeapPartition(name + "-p" + i, stats, each, 16, EXPECTED_VALUE_BYTES);
            }
        }
    }

    @Override
    public int partitions() {
        return parts.length;
    }

    @Override
    public int partitionOf(byte[] key) {
        if (partitionBits == 0) {
            return 0;
        }
        // independent of Chronicle's own key hash, whose low bits pick the segment inside a partition
        int h = Arrays.hashCode(key) * 0x9E3779B1;
        return h >>> (32 - partitionBits);
    }

    @Override
    public Object get(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p == null ? null : p.get(key, false);
    }

    @Override
    public Object getAndTouch(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p == null ? null : p.get(key, true);
    }

    @Override
    public int lru(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p == null ? -1 : p.lru(key);
    }

    @Override
    public void setLru(byte[] key, int lru) {
        OffHeapPartition p = parts[partitionOf(key)];
        if (p != null) {
            p.setLru(key, lru);
        }
    }

    @Override
    public boolean contains(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p != null && p.contains(key);
    }

    /** A string over MAX_INLINE_STRING: the array in the partition's heap map. */
    @Override
    public byte[] liveString(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p == null ? null : p.heapString(key);
    }

    @Override
    public void put(byte[] key, Object value, int lru, boolean keepLru) {
        int i = partitionOf(key);
        OffHeapPartition p = parts[i];
        if (p == null) {
            p = parts[i] = new OffHeapPartition(name + "-p" + i, stats);
        }
        long before = p.size();
        // decided by the key's length first: a short key, the common case, pays for no other lookup
        p.put(key, key.length > OffHeapPartition.MAX_INLINE_KEY ? null : compactForm(value), value, lru, keepLru);
        size += p.size() - before;
    }

    /**
     * The encoded value when it is to be kept off heap, or null when it stays a Java object on the heap.
     * Streams always stay on the heap: their node listpacks are already compact, and their groups and PELs
     * are a graph of objects that a decoded copy per command would make costly.
     */
    @Override
    public void putBuiltInPlace(byte[] key, byte[] value, int lru, boolean keepLru) {
        int i = partitionOf(key);
        OffHeapPartition p = parts[i];
        if (p == null) {
            p = parts[i] = new OffHeapPartition(name + "-p" + i, stats);
        }
        long before = p.size();
        boolean inline = key.length <= OffHeapPartition.MAX_INLINE_KEY && value.length <= MAX_INLINE_STRING;
        // a string on the heap (over MAX_INLINE_STRING) is raw by its length already
        p.put(key, inline ? ValueCodec.encodeString(value, true) : null, value, lru, keepLru);
        if (key.length > OffHeapPartition.MAX_INLINE_KEY) {
            p.markLongKeyBuiltInPlace(key);
        }
        size += p.size() - before;
    }

    @Override
    public boolean builtInPlace(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p != null && p.builtInPlace(key);
    }

    static byte[] compactForm(Object value) {
        if (value instanceof byte[] s) {
            return s.length <= MAX_INLINE_STRING ? ValueCodec.encode(s) : null;
        }
        if (value instanceof RList l) {
            if (l.size() > LIST_MAX_ENTRIES) {
                return null;
            }
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i).length > LIST_MAX_VALUE) {
                    return null;
                }
            }
            return ValueCodec.encode(l);
        }
        if (value instanceof RHash h) {
            // a hashtable never turns back into a listpack; and a listpack past limits lowered by CONFIG SET
            // would be converted by decoding, so it stays as it is, on the heap
            if (h.isHashtable() || h.size() > EncodingLimits.hashMaxListpackEntries) {
                return null;
            }
            int max = EncodingLimits.hashMaxListpackValue;
            for (Map.Entry<Bytes, byte[]> e : h.entries()) {
                if (e.getKey().b.length > max || e.getValue().length > max) {
                    return null;
                }
            }
            return ValueCodec.encode(h);
        }
        if (value instanceof RSet s) {
            if (s.isIntset()) {
                return s.size() <= EncodingLimits.setMaxIntsetEntries ? ValueCodec.encode(s) : null;
            }
            if (s.size() > SET_MAX_ENTRIES) {
                return null;
            }
            boolean[] small = {true};
            s.forEach(m -> small[0] &= m.length <= LIST_MAX_VALUE);
            return small[0] ? ValueCodec.encode(s) : null;
        }
        if (value instanceof RZSet z) {
            // as for hashes: a skiplist stays one, and a listpack past limits lowered since stays on the heap
            if (z.isSkiplist() || z.size() > EncodingLimits.zsetMaxListpackEntries) {
                return null;
            }
            for (ZNode n = z.first(); n != null; n = n.next()) {
                if (n.member().length > EncodingLimits.zsetMaxListpackValue) {
                    return null;
                }
            }
            byte[] enc = ValueCodec.encode(z);
            return enc.length <= MAX_INLINE_STRING ? enc : null; // large limits set by CONFIG: one segment tier
        }
        return null;
    }

    @Override
    public boolean remove(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        if (p == null || !p.remove(key)) {
            return false;
        }
        size--;
        return true;
    }

    @Override
    public long size() {
        return size;
    }

    /** FLUSHDB: closes every map (its memory is released at once) and forgets the partitions. */
    @Override
    public void clear() {
        OffHeapPartition[] old = parts;
        parts = new OffHeapPartition[old.length];
        size = 0;
        for (OffHeapPartition p : old) {
            if (p != null) {
                p.close();
            }
        }
    }

    /**
     * The cursor is (partition << 32 | segment cursor). Inside a partition the segments are walked in Redis's
     * reverse-binary order: a rebuild multiplies the segments by four, and Chronicle picks a key's segment from
     * the low bits of its hash, so a larger map splits each old segment in four the way a Redis dict splits a
     * bucket (OffHeapPartition.scan handles a partition in the middle of a migration).
     */
    @Override
    public long scan(long cursor, long count, Consumer<byte[]> visitor) {
        int p = (int) (cursor >>> 32);
        long v = cursor & 0xffffffffL;
        if (p >= parts.length) {
            return 0;
        }
        long visited = 0;
        long budget = Math.max(1, count) * 10; // like Redis, give up after many empty buckets
        while (true) {
            OffHeapPartition part = parts[p];
            if (part == null || part.size() == 0) {
                p++;
                v = 0;
            } else {
                List<byte[]> keys = new ArrayList<>();
                v = part.scan(v, count - visited, keys);
                keys.forEach(visitor);
                visited += keys.size();
                if (v == 0) {
                    p++;
                }
            }
            budget--;
            if (p == parts.length) {
                return 0;
            }
            if (visited >= count || budget <= 0) {
                return ((long) p << 32) | v;
            }
        }
    }

    @Override
    public byte[] randomKey(RandomGenerator random) {
        for (int tries = 0; tries < 100 && size > 0; tries++) {
            long r = random.nextLong(size);
            for (OffHeapPartition p : parts) {
                if (p == null) {
                    continue;
                }
                if (r < p.size()) {
                    byte[] k = p.randomKey(random);
                    if (k != null) {
                        return k;
                    }
                    break;
                }
                r -= p.size();
            }
        }
        return null;
    }

    /** A partition chosen as often as it holds keys, then count keys from one random place of it. */
    @Override
    public void sample(RandomGenerator random, int count, ObjIntConsumer<byte[]> visitor) {
        if (size == 0) {
            return;
        }
        long r = random.nextLong(size);
        for (OffHeapPartition p : parts) {
            if (p == null) {
                continue;
            }
            if (r < p.size()) {
                p.sample(random, count, visitor);
                return;
            }
            r -= p.size();
        }
    }

    /** Visits every key with its value; each partition's keys are collected first, so the visitor may write. */
    @Override
    public void forEach(BiConsumer<byte[], Object> visitor) {
        for (OffHeapPartition p : parts) {
            if (p == null) {
                continue;
            }
            for (byte[] k : p.keys()) {
                Object value = p.get(k, false);
                if (value != null) {
                    visitor.accept(k, value);
                }
            }
        }
    }

    @Override
    public long partitionSize(int partition) {
        OffHeapPartition p = parts[partition];
        return p == null ? 0 : p.size();
    }

    @Override
    public void forEachInPartition(int partition, BiConsumer<byte[], Object> visitor) {
        OffHeapPartition p = parts[partition];
        if (p == null) {
            return;
        }
        p.forEachEntry(visitor);
    }

    @Override
    public long scanPartition(int partition, long cursor, BiConsumer<byte[], Object> visitor) {
        OffHeapPartition p = parts[partition];
        return p == null ? 0 : p.scanEntries(cursor, visitor);
    }

    @Override
    public boolean sharesValue(byte[] key) {
        OffHeapPartition p = parts[partitionOf(key)];
        return p != null && p.onHeap(key);
    }

    @Override
    public void close() {
        clear();
    }
}
