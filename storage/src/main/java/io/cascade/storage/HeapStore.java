package io.cascade.storage;

import io.cascade.storage.types.Footprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A ValueStore on the Java heap: a HashMap of keys to values. The reference implementation the off-heap store
 * is tested against, and the store for unit tests. SCAN walks 1024 virtual buckets chosen by key hash, in
 * Redis's reverse-binary order, so its guarantees hold while keys come and go. Each entry is a Slot holding
 * the value and its access field, the way Redis's robj holds lru. Command thread only.
 */
public final class HeapStore implements ValueStore {
    private static final int BUCKET_BITS = 10;
    private final Map<Key, Slot> map = new HashMap<>();
    /** The slots' charges summed (usedMemory). */
    private long used;
    /** A HashMap node, Key and Slot besides the key's array and the value. */
    private static final int ENTRY = 32 + 16 + 24;

    /** A value with its 24-bit access field (AccessClock). */
    private static final class Slot {
        Object value;
        int lru;
        /** What this entry was charged when last written. */
        long charged;
        /** A string stored by putBuiltInPlace. */
        boolean builtInPlace;

        Slot(Object value, int lru) {
            this.value = value;
            this.lru = lru;
        }
    }

    @Override
    public Object get(byte[] key) {
        Slot s = map.get(new Key(key));
        return s == null ? null : s.value;
    }

    @Override
    public Object getAndTouch(byte[] key) {
        Slot s = map.get(new Key(key));
        if (s == null) {
            return null;
        }
        s.lru = AccessClock.touched(s.lru);
        return s.value;
    }

    @Override
    public int lru(byte[] key) {
        Slot s = map.get(new Key(key));
        return s == null ? -1 : s.lru;
    }

    @Override
    public void setLru(byte[] key, int lru) {
        Slot s = map.get(new Key(key));
        if (s != null) {
            s.lru = lru;
        }
    }

    @Override
    public boolean contains(byte[] key) {
        return map.containsKey(new Key(key));
    }

    /** Strings as long as those OffHeapStore keeps on the heap, so that unit tests take the same paths. */
    @Override
    public byte[] liveString(byte[] key) {
        return get(key) instanceof byte[] s && s.length > OffHeapStore.MAX_INLINE_STRING ? s : null;
    }

    @Override
    public void put(byte[] key, Object value, int lru, boolean keepLru) {
        Key k = new Key(key);
        Slot s = keepLru ? map.get(k) : null;
        if (s != null) {
            s.value = value;
        } else {
            s = new Slot(value, lru);
            Slot was = map.put(k, s);
            if (was != null) {
                used -= was.charged;
            }
        }
        long now = ENTRY + Footprint.array(key.length) + Footprint.of(value);
        used += now - s.charged;
        s.charged = now;
        s.builtInPlace = false;
    }

    @Override
    public void putBuiltInPlace(byte[] key, byte[] value, int lru, boolean keepLru) {
        put(key, value, lru, keepLru);
        map.get(new Key(key)).builtInPlace = true;
    }

    @Override
    public boolean builtInPlace(byte[] key) {
        Slot s = map.get(new Key(key));
        return s != null && s.builtInPlace;
    }

    @Override
    public boolean remove(byte[] key) {
        Slot s = map.remove(new Key(key));
        if (s == null) {
            return false;
        }
        used -= s.charged;
        return true;
    }

    @Override
    public long size() {
        return map.size();
    }

    @Override
    public void clear() {
        map.clear();
        used = 0;
    }

    @Override
    public long usedMemory() {
        return used;
    }

    @Override
    public long scan(long cursor, long count, Consumer<byte[]> visitor) {
        int mask = (1 << BUCKET_BITS) - 1;
        long visited = 0;
        long c = cursor & mask;
        do {
            int bucket = (int) c;
            List<byte[]> found = new ArrayList<>();
            for (Key k : map.keySet()) {
                if ((mix(k.hashCode()) & mask) == bucket) {
                    found.add(k.bytes());
                }
            }
            found.forEach(visitor);
            visited += found.size();
            c = ScanCursor.next(c, BUCKET_BITS);
        } while (c != 0 && visited < count);
        return c;
    }

    private static int mix(int h) {
        return (h ^ (h >>> 16)) * 0x45d9f3b;
    }

    @Override
    public byte[] randomKey(RandomGenerator random) {
        if (map.isEmpty()) {
            return null;
        }
        int skip = random.nextInt(map.size());
        for (Key k : map.keySet()) {
            if (skip-- == 0) {
                return k.bytes();
            }
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<byte[], Object> visitor) {
        for (Map.Entry<Key, Slot> e : new ArrayList<>(map.entrySet())) {
            visitor.accept(e.getKey().bytes(), e.getValue().value);
        }
    }

    @Override
    public void close() {
        map.clear();
    }
}
