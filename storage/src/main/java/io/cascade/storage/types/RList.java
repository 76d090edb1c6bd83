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

    /** Inserts before position index (index == size appends). */
    public void insert(int index, byte[] v) {
        if (index == 0) {
            addFirst(v);
            return;
        }
        addLast(v);
        for (int i = size - 1; i > index; i--) {
            set(i, get(i - 1));
        }
        set(index, v);
    }

    /** Removes the element at index and returns it. */
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

    /** Keeps only the elements from start to end inclusive (0 <= start, end < size), as LTRIM. */
    public void trim(int start, int end) {
        if (start > end) {
            Arrays.fill(items, null);
            head = 0;
            size = 0;
            return;
        }
        int drop = size - 1 - end;
        for (int i = 0; i < drop; i++) {
            removeLast();
        }
        for (int i = 0; i < start; i++) {
            removeFirst();
        }
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
