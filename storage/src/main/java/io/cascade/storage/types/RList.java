package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.Arrays;

/**
 * A list value: a ring buffer of elements with O(1) access at both ends and by index. Redis 7.0 always
 * encodes lists as a quicklist. Command thread only.
 */
public final class RList implements RValue {
    private byte[][] items;
    private int head;
    private int size;

    public RList() {
        this(8);
    }

    public RList(int capacity) {
        items = new byte[Math.max(4, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1)][];
    }

    @Override
    public RType type() {
        return RType.LIST;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    /** Slots of the ring buffer (Footprint). */
    int capacity() {
        return items.length;
    }

    /** Element at index 0..size-1 (the caller maps negative Redis indexes). */
    public byte[] get(int index) {
        return items[(head + index) & (items.length - 1)];
    }

    public void set(int index, byte[] value) {
        items[(head + index) & (items.length - 1)] = value;
    }

    public void addFirst(byte[] v) {
        grow();
        head = (head - 1) & (items.length - 1);
        items[head] = v;
        size++;
    }

    public void addLast(byte[] v) {
        grow();
        items[(head + size) & (items.length - 1)] = v;
        size++;
    }

    public byte[] removeFirst() {
        byte[] v = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        return v;
    }

    public byte[] removeLast() {
        int i = (head + size - 1) & (items.length - 1);
        byte[] v = items[i];
        items[i] = null;
        size--;
        return v;
    }

    /** Inserts before position index (index == size appends), moving the shorter side of the list. */
    public void insert(int index, byte[] v) {
        if (index == 0) {
            addFirst(v);
            return;
        }
        if (index == size) {
            addLast(v);
            return;
        }
        if (index < size / 2) {
            addFirst(get(0));
            for (int i = 1; i < index; i++) {
                set(i, get(i + 1));
            }
        } else {
            addLast(v);
            for (int i = size - 1; i > index; i--) {
                set(i, get(i - 1));
            }
        }
        set(index, v);
    }

    /** Removes the element at index and returns it, moving the shorter side of the list. */
    public byte[] remove(int index) {
        byte[] v = get(index);
        if (index < size / 2) {
            for (int i = index; i > 0; i--) {
                set(i, get(i - 1));
            }
            removeFirst();
        } else {
            for (int i = index; i < size - 1; i++) {
                set(i, get(i + 1));
            }
            removeLast();
        }
        return v;
    }

    /** Index of the first element equal to value at or after from, or -1 (LINSERT's pivot, LPOS). */
    public int indexOf(byte[] value, int from) {
        for (int i = from; i < size; i++) {
            if (Arrays.equals(get(i), value)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * LREM: removes elements equal to value, at most |count| of them (all when count is 0), scanning from
     * the head when count >= 0 and from the tail when negative. One compacting pass. Returns how many went.
     */
    public long removeEqual(byte[] value, long count) {
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            int w = 0;
            for (int r = 0; r < size; r++) {
                byte[] e = get(r);
                if (removed < limit && Arrays.equals(e, value)) {
                    removed++;
                } else {
                    set(w++, e);
                }
            }
            dropLast((int) removed);
        } else {
            int w = size - 1;
            for (int r = size - 1; r >= 0; r--) {
                byte[] e = get(r);
                if (removed < limit && Arrays.equals(e, value)) {
                    removed++;
                } else {
                    set(w--, e);
                }
            }
            dropFirst((int) removed);
        }
        return removed;
    }

    /** Removes n elements from the head (n <= size). */
    public void dropFirst(int n) {
        for (int i = 0; i < n; i++) {
            removeFirst();
        }
    }

    /** Removes n elements from the tail (n <= size). */
    public void dropLast(int n) {
        for (int i = 0; i < n; i++) {
            removeLast();
        }
    }

    /** Keeps only the elements from start to end inclusive (0 <= start, end < size), as LTRIM. */
    public void trim(int start, int end) {
        if (start > end) {
            Arrays.fill(items, null);
            head = 0;
            size = 0;
            return;
        }
        dropLast(size - 1 - end);
        dropFirst(start);
    }

    private void grow() {
        if (size < items.length) {
            return;
        }
        byte[][] n = new byte[items.length * 2][];
        for (int i = 0; i < size; i++) {
            n[i] = get(i);
        }
        items = n;
        head = 0;
    }
}
