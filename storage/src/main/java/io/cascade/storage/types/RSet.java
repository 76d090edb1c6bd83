package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.function.Consumer;

/**
 * A set value. While every member is a canonical 64-bit integer and there are at most set-max-intset-entries
 * of them it is an intset, kept sorted as Redis keeps it (SMEMBERS answers in that order); otherwise a
 * hashtable (never converted back). Command thread only.
 */
public final class RSet implements RValue {
    /** The intset: sorted, distinct; null once converted to a hashtable. */
    private long[] ints = new long[4];
    private int intCount;
    private LinkedHashSet<Bytes> table;

    @Override
    public RType type() {
        return RType.SET;
    }

    @Override
    public int size() {
        return table != null ? table.size() : intCount;
    }

    @Override
    public String encoding() {
        return table != null ? "hashtable" : "intset";
    }

    public boolean isIntset() {
        return table == null;
    }

    public boolean contains(byte[] member) {
        if (table != null) {
            return table.contains(new Bytes(member));
        }
        Long v = Ints.parse(member);
        return v != null && Arrays.binarySearch(ints, 0, intCount, v) >= 0;
    }

    /** Adds a member; true when it is new. Converts as setTypeAdd does. */
    public boolean add(byte[] member) {
        if (table == null) {
            Long v = Ints.parse(member);
            if (v != null) {
                int at = Arrays.binarySearch(ints, 0, intCount, v);
                if (at >= 0) {
                    return false;
                }
                if (intCount + 1 <= EncodingLimits.setMaxIntsetEntries) {
                    int pos = -at - 1;
                    if (intCount == ints.length) {
                        ints = Arrays.copyOf(ints, ints.length * 2);
                    }
                    System.arraycopy(ints, pos, ints, pos + 1, intCount - pos);
                    ints[pos] = v;
                    intCount++;
                    return true;
                }
            }
            convertToHashtable();
        }
        return table.add(new Bytes(member));
    }

    public boolean remove(byte[] member) {
        if (table != null) {
            return table.remove(new Bytes(member));
        }
        Long v = Ints.parse(member);
        if (v == null) {
            return false;
        }
        int at = Arrays.binarySearch(ints, 0, intCount, v);
        if (at < 0) {
            return false;
        }
        System.arraycopy(ints, at + 1, ints, at, intCount - at - 1);
        intCount--;
        return true;
    }

    /** Switches to the hashtable encoding (RDB load of a hashtable set, or a non-integer member). */
    public void convertToHashtable() {
        if (table != null) {
            return;
        }
        table = new LinkedHashSet<>(Math.max(16, intCount * 2));
        for (int i = 0; i < intCount; i++) {
            table.add(new Bytes(Ints.bytes(ints[i])));
        }
        ints = null;
        intCount = 0;
    }

    /** Members in the set's order: ascending for an intset, insertion order for a hashtable. */
    public void forEach(Consumer<byte[]> visitor) {
        if (table != null) {
            for (Bytes b : table) {
                visitor.accept(b.b);
            }
        } else {
            for (int i = 0; i < intCount; i++) {
                visitor.accept(Ints.bytes(ints[i]));
            }
        }
    }
}
