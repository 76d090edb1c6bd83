package io.cascade.storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The keys of one database that have a time to live, with that time (Redis's db->expires). Lookups by key,
 * and O(1) random sampling for the active expire cycle (an array of entries with swap-remove). Command thread.
 */
final class ExpireIndex {
    private static final class Entry {
        final Key key;
        long when;
        int slot;

        Entry(Key key, long when) {
            this.key = key;
            this.when = when;
        }
    }

    private final Map<Key, Entry> byKey = new HashMap<>();
    private final ArrayList<Entry> slots = new ArrayList<>();

    int size() {
        return slots.size();
    }

    boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Unix time in ms, or -1 when the key has no expire. */
    long get(byte[] key) {
        if (slots.isEmpty()) {
            return -1;
        }
        Entry e = byKey.get(new Key(key));
        return e == null ? -1 : e.when;
    }

    void set(byte[] key, long when) {
        Key k = new Key(key);
        Entry e = byKey.get(k);
        if (e != null) {
            e.when = when;
            return;
        }
        e = new Entry(k, when);
        e.slot = slots.size();
        slots.add(e);
        byKey.put(k, e);
    }

    boolean remove(byte[] key) {
        if (slots.isEmpty()) {
            return false;
        }
        Entry e = byKey.remove(new Key(key));
        if (e == null) {
            return false;
        }
        Entry last = slots.remove(slots.size() - 1);
        if (last != e) {
            last.slot = e.slot;
            slots.set(e.slot, last);
        }
        return true;
    }

    void clear() {
        byKey.clear();
        slots.clear();
    }

    /** A random key with an expire, for the active cycle; null when none. */
    byte[] randomKey(RandomGenerator random) {
        return slots.isEmpty() ? null : slots.get(random.nextInt(slots.size())).key.bytes();
    }
}
