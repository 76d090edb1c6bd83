package io.cascade.storage.types;

import io.cascade.storage.ScanCursor;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The table behind hash fields and set members (Redis's dict): chained buckets in a power-of-two table for
 * lookups and for SCAN's reverse-binary cursor, plus a dense array of the entries for iteration and O(1)
 * uniform random picks (SPOP, SRANDMEMBER, HRANDFIELD). In ordered mode a removal shifts the dense array, so
 * iteration keeps insertion order as a listpack does; otherwise the last entry fills the hole. Command thread.
 */
public final class Dict {
    private static final int MIN_BUCKETS = 4;

    /** One field (value is the hash value, null for set members). */
    public static final class Entry {
        public final byte[] key;
        final int hash;
        byte[] value;
        Entry next;
        int slot;

        Entry(byte[] key, int hash, byte[] value) {
            this.key = key;
            this.hash = hash;
            this.value = value;
        }

        public byte[] value() {
            return value;
        }
    }

    private Entry[] buckets = new Entry[MIN_BUCKETS];
    private Entry[] dense = new Entry[MIN_BUCKETS];
    private int size;
    private boolean ordered;

    public Dict(boolean ordered) {
        this.ordered = ordered;
    }

    public int size() {
        return size;
    }

    /** Leaves insertion-order mode (a listpack hash becoming a hashtable); never goes back. */
    public void unorder() {
        ordered = false;
    }

    /** The murmur3 finalizer over Java's array hash, so that low bits (the bucket index) are well mixed. */
    static int hash(byte[] key) {
        int h = Arrays.hashCode(key);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    public Entry find(byte[] key) {
        int h = hash(key);
        for (Entry e = buckets[h & (buckets.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                return e;
            }
        }
        return null;
    }

    public boolean contains(byte[] key) {
        return find(key) != null;
    }

    public byte[] get(byte[] key) {
        Entry e = find(key);
        return e == null ? null : e.value;
    }

    /** Sets key to value (in place when present, keeping its position); true when the key is new. */
    public boolean put(byte[] key, byte[] value) {
        Entry e = find(key);
        if (e != null) {
            e.value = value;
            return false;
        }
        if (size >= buckets.length) {
            rehash(buckets.length * 2);
        }
        e = new Entry(key, hash(key), value);
        int b = e.hash & (buckets.length - 1);
        e.next = buckets[b];
        buckets[b] = e;
        if (size == dense.length) {
            dense = Arrays.copyOf(dense, dense.length * 2);
        }
        e.slot = size;
        dense[size++] = e;
        return true;
    }

    public boolean remove(byte[] key) {
        int h = hash(key);
        int b = h & (buckets.length - 1);
        Entry prev = null;
        for (Entry e = buckets[b]; e != null; prev = e, e = e.next) {
            if (e.hash == h && Arrays.equals(e.key, key)) {
                if (prev == null) {
                    buckets[b] = e.next;
                } else {
                    prev.next = e.next;
                }
                unlinkDense(e.slot);
                // shrink as Redis does when the table is less than 10% full, so SCAN stays cheap
                if (buckets.length > MIN_BUCKETS && size * 10L < buckets.length) {
                    rehash(Math.max(MIN_BUCKETS, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
                }
                return true;
            }
        }
        return false;
    }

    private void unlinkDense(int slot) {
        size--;
        if (ordered) {
            System.arraycopy(dense, slot + 1, dense, slot, size - slot);
            for (int i = slot; i < size; i++) {
                dense[i].slot = i;
            }
        } else if (slot != size) {
            dense[slot] = dense[size];
            dense[slot].slot = slot;
        }
        dense[size] = null;
        if (dense.length > 16 && size * 4 < dense.length) {
            dense = Arrays.copyOf(dense, dense.length / 2);
        }
    }

    private void rehash(int n) {
        Entry[] nb = new Entry[n];
        for (int i = 0; i < size; i++) {
            Entry e = dense[i];
            int b = e.hash & (n - 1);
            e.next = nb[b];
            nb[b] = e;
        }
        buckets = nb;
    }

    /** The entry at position i of the iteration order (0 <= i < size). */
    public Entry at(int i) {
        return dense[i];
    }

    public Entry random(RandomGenerator random) {
        return size == 0 ? null : dense[random.nextInt(size)];
    }

    public void forEach(BiConsumer<byte[], byte[]> visitor) {
        for (int i = 0; i < size; i++) {
            visitor.accept(dense[i].key, dense[i].value);
        }
    }

    /** Bits of the bucket index, for the scan cursor. */
    private int bits() {
        return Integer.numberOfTrailingZeros(buckets.length);
    }

    /**
     * One step of Redis's dictScan: visits every entry of the bucket the cursor names and returns the next
     * cursor (0 when done). Buckets go in reverse-binary order, so an entry present for the whole scan is
     * visited at least once however the table grows or shrinks in between (it may come twice).
     */
    public long scanStep(long cursor, BiConsumer<byte[], byte[]> visitor) {
        for (Entry e = buckets[(int) (cursor & (buckets.length - 1))]; e != null; e = e.next) {
            visitor.accept(e.key, e.value);
        }
        return ScanCursor.next(cursor, bits());
    }
}
