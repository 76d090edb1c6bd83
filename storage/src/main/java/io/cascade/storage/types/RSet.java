package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A set value. While every member is a canonical 64-bit integer and there are at most set-max-intset-entries
 * of them it is an intset, kept sorted as Redis keeps it (SMEMBERS answers in that order); otherwise a
 * hashtable (never converted back), which SSCAN walks with a cursor. Command thread only.
 */
public final class RSet implements RValue {
    /** The intset: sorted, distinct; null once converted to a hashtable. */
    private long[] ints = new long[4];
    private int intCount;
    private Dict table;

    /** Redis's setTypeCreate: an intset when the first member to be added is an integer, else a hashtable. */
    public static RSet createFor(byte[] firstMember) {
        RSet s = new RSet();
        if (Ints.parse(firstMember) == null) {
            s.convertToHashtable();
        }
        return s;
    }

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

    public boolean isHashtable() {
        return table != null;
    }

    public boolean contains(byte[] member) {
        if (table != null) {
            return table.contains(member);
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
                // Redis caps the intset at 2^30 entries whatever the setting says
                if (intCount + 1 <= Math.min(EncodingLimits.setMaxIntsetEntries, 1 << 30)) {
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
        return table.put(member, null);
    }

    public boolean remove(byte[] member) {
        if (table != null) {
            return table.remove(member);
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
        table = new Dict(false);
        for (int i = 0; i < intCount; i++) {
            table.put(Ints.bytes(ints[i]), null);
        }
        ints = null;
        intCount = 0;
    }

    /** Slots of the intset's array (Footprint); 0 once a hashtable. */
    int capacity() {
        return ints == null ? 0 : ints.length;
    }

    /** The member at position i (0 <= i < size) of the iteration order. */
    public byte[] at(int i) {
        return table != null ? table.at(i).key : Ints.bytes(ints[i]);
    }

    /** A uniformly chosen member, or null when empty. */
    public byte[] random(RandomGenerator random) {
        int n = size();
        return n == 0 ? null : at(random.nextInt(n));
    }

    /** One SSCAN step over a hashtable-encoded set (see Dict.scanStep). */
    public long scanStep(long cursor, Consumer<byte[]> visitor) {
        return table.scanStep(cursor, (k, v) -> visitor.accept(k));
    }

    /** Members in the set's order: ascending for an intset, table order for a hashtable. */
    public void forEach(Consumer<byte[]> visitor) {
        if (table != null) {
            table.forEach((k, v) -> visitor.accept(k));
        } else {
            for (int i = 0; i < intCount; i++) {
                visitor.accept(Ints.bytes(ints[i]));
            }
        }
    }
}
