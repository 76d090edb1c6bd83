package io.cascade.storage;

import io.cascade.storage.types.Footprint;
import net.openhft.chronicle.algo.hashing.LongHashFunction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * The keys of one OffHeapPartition longer than OffHeapPartition.MAX_INLINE_KEY, with their values as Java objects
 * and their access fields, on the heap: a Chronicle entry must fit in one segment tier, and these keys may not
 * (a Redis key may be up to 512 MB long). Kept in order of a 31-bit hash of the key (its position), so that SCAN
 * walks them with a cursor that inserts and deletes between calls never shift: the cursor is a position, not an
 * index, and every key present for a whole scan is returned exactly once. Command thread only.
 */
final class LongKeys {
    /** A stored key with its value and access field (AccessClock), which an off-heap entry keeps in its header. */
    static final class Held {
        final byte[] key;
        Object value;
        int lru;
        /** The bytes charged for this key when its value was last written (bytes()). */
        long charged;
        /** A string stored by putBuiltInPlace (ValueStore), until the key is written again. */
        boolean builtInPlace;

        Held(byte[] key, Object value, int lru) {
            this.key = key;
            this.value = value;
            this.lru = lru;
        }
    }

    /**
     * Positions are 31 bits, so that a partition's SCAN cursor can mark this phase with bit 31. xxHash reads 8
     * bytes a step: on a 2 KB key it is several times quicker than Arrays.hashCode's byte-by-byte loop.
     */
    static int position(byte[] key) {
        return (int) (HASH.hashBytes(key) >>> 33);
    }

    private static final LongHashFunction HASH = LongHashFunction.xx_r39();

    /** Position -> the keys there: a Held, or a Held[] for the rare keys sharing a position. */
    private final TreeMap<Integer, Object> byPosition = new TreeMap<>();
    private int size;
    /** What the keys and values held here cost on the heap (Footprint), for used_memory. */
    private long bytes;

    /** A Held, its TreeMap entry and Integer position, besides the key's array and the value. */
    private static final int HELD = 32 + 40 + 16;

    int size() {
        return size;
    }

    long bytes() {
        return bytes;
    }

    private void charge(Held h) {
        long now = HELD + Footprint.array(h.key.length) + Footprint.of(h.value);
        bytes += now - h.charged;
        h.charged = now;
    }

    Held get(byte[] key) {
        Object at = byPosition.get(position(key));
        if (at instanceof Held h) {
            return Arrays.equals(h.key, key) ? h : null;
        }
        if (at != null) {
            for (Held h : (Held[]) at) {
                if (Arrays.equals(h.key, key)) {
                    return h;
                }
            }
        }
        return null;
    }

    /** Inserts or replaces; with keepLru an existing key keeps its access field. Returns true for an insert. */
    boolean put(byte[] key, Object value, int lru, boolean keepLru) {
        Held h = get(key);
        if (h != null) {
            h.value = value;
            if (!keepLru) {
                h.lru = lru;
            }
            h.builtInPlace = false;
            charge(h);
            return false;
        }
        Held added = new Held(key.clone(), value, lru); // the caller's array may be reused
        charge(added);
        int pos = position(key);
        Object at = byPosition.get(pos);
        if (at == null) {
            byPosition.put(pos, added);
        } else {
            Held[] was = at instanceof Held one ? new Held[] {one} : (Held[]) at;
            Held[] now = Arrays.copyOf(was, was.length + 1);
            now[was.length] = added;
            byPosition.put(pos, now);
        }
        size++;
        return true;
    }

    boolean remove(byte[] key) {
        int pos = position(key);
        Object at = byPosition.get(pos);
        if (at instanceof Held h) {
            if (!Arrays.equals(h.key, key)) {
                return false;
            }
            bytes -= h.charged;
            byPosition.remove(pos);
        } else if (at != null) {
            Held[] was = (Held[]) at;
            int i = 0;
            while (i < was.length && !Arrays.equals(was[i].key, key)) {
                i++;
            }
            if (i == was.length) {
                return false;
            }
            bytes -= was[i].charged;
            if (was.length == 2) {
                byPosition.put(pos, was[1 - i]);
            } else {
                Held[] now = new Held[was.length - 1];
                System.arraycopy(was, 0, now, 0, i);
                System.arraycopy(was, i + 1, now, i, now.length - i);
                byPosition.put(pos, now);
            }
        } else {
            return false;
        }
        size--;
        return true;
    }

    /**
     * Adds the keys at positions from `from` on to keys, at least count of them (every key of a position at once);
     * returns the position to continue from, or -1 after the last.
     */
    long scan(int from, long count, List<byte[]> keys) {
        long found = 0;
        for (Map.Entry<Integer, Object> e : byPosition.tailMap(from, true).entrySet()) {
            if (found >= count) {
                return e.getKey();
            }
            if (e.getValue() instanceof Held h) {
                keys.add(h.key);
                found++;
            } else {
                for (Held h : (Held[]) e.getValue()) {
                    keys.add(h.key);
                    found++;
                }
            }
        }
        return -1;
    }

    /** A random key: the first at or after a random position (wrapping around); null when empty. */
    byte[] randomKey(RandomGenerator random) {
        if (size == 0) {
            return null;
        }
        Map.Entry<Integer, Object> e = byPosition.ceilingEntry(random.nextInt(Integer.MAX_VALUE));
        Object at = (e == null ? byPosition.firstEntry() : e).getValue();
        if (at instanceof Held h) {
            return h.key;
        }
        Held[] all = (Held[]) at;
        return all[random.nextInt(all.length)].key;
    }

    /** Every key with its value, collected first (so the visitor may change this table). */
    void forEach(BiConsumer<byte[], Object> visitor) {
        List<Held> all = new ArrayList<>(size);
        for (Object at : byPosition.values()) {
            if (at instanceof Held h) {
                all.add(h);
            } else {
                all.addAll(Arrays.asList((Held[]) at));
            }
        }
        for (Held h : all) {
            visitor.accept(h.key, h.value);
        }
    }

    void keys(List<byte[]> out) {
        forEach((k, v) -> out.add(k));
    }

    void clear() {
        byPosition.clear();
        size = 0;
        bytes = 0;
    }
}
