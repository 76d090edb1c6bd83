package io.cascade.storage.types;

import java.util.Iterator;
import java.util.function.IntToLongFunction;

/**
 * What a value kept on the Java heap costs there, in bytes: object headers, references and arrays as a 64-bit
 * JVM with compressed references lays them out (12-byte headers, 4-byte references, 16-byte array headers, 8-byte
 * alignment). A collection's elements are not all visited: their average size is taken from up to SAMPLES
 * elements at evenly spaced positions (Redis's MEMORY USAGE samples too), so the figure costs O(1) and is the same
 * for the same contents, which lets a store charge it on every write and take back exactly what it charged.
 * Used for used_memory and maxmemory. Command thread.
 */
public final class Footprint {
    /** Elements whose sizes are averaged. */
    static final int SAMPLES = 8;
    static final int REF = 4;
    private static final int OBJECT = 12;
    /** Dict.Entry (header, key, hash, value, next, slot) plus its bucket and dense-array slots. */
    private static final int DICT_ENTRY = 32 + 2 * REF;
    /** ZNode with its forward and span arrays of 1.33 levels on average, and its member-table slot. */
    private static final int ZNODE = 40 + 24 + 24 + REF;
    /** A TreeMap entry (key, value, left, right, parent, color). */
    private static final int TREE_ENTRY = 40;
    /** StreamId (two longs) and StreamNode (master, buffer, allocated). */
    private static final int STREAM_NODE = 32 + 32;
    /** A pending entry: its object, its StreamId and the entries of the group's PEL and the consumer's. */
    private static final int NACK = 32 + 32 + 2 * TREE_ENTRY;

    private Footprint() {
    }

    /** A byte[] of this length. */
    public static long array(long length) {
        return align(16 + length);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** A value as a store keeps it on the heap: a string's array or a collection. */
    public static long of(Object value) {
        if (value instanceof byte[] s) {
            return array(s.length);
        }
        if (value instanceof RList l) {
            return 32 + array((long) l.capacity() * REF) + sampled(l.size(), i -> array(l.get(i).length));
        }
        if (value instanceof RHash h) {
            return 32 + dict(h.size()) + sampled(h.size(), i -> {
                Dict.Entry e = h.at(i);
                return array(e.key.length) + array(e.value.length);
            });
        }
        if (value instanceof RSet s) {
            if (s.isIntset()) {
                return 32 + array(8L * s.capacity());
            }
            return 32 + dict(s.size()) + sampled(s.size(), i -> array(s.at(i).length));
        }
        if (value instanceof RZSet z) {
            return 64 + (long) z.size() * ZNODE + sampled(z.size(), i -> array(z.byRank(i).member.length));
        }
        if (value instanceof RStream st) {
            return stream(st);
        }
        // a value type without a model of its own: at least its object
        return OBJECT + REF;
    }

    /** A Dict of n entries without its keys' and values' arrays. */
    private static long dict(int n) {
        return 48 + (long) n * DICT_ENTRY;
    }

    /** n elements whose sizes average those of up to SAMPLES at evenly spaced positions. */
    private static long sampled(int n, IntToLongFunction size) {
        if (n == 0) {
            return 0;
        }
        int k = Math.min(n, SAMPLES);
        long sum = 0;
        for (int j = 0; j < k; j++) {
            sum += size.applyAsLong((int) ((long) j * n / k));
        }
        return n == k ? sum : sum * n / k;
    }

    private static long stream(RStream st) {
        int nodes = st.rax.size();
        long bytes = 96 + (long) nodes * (TREE_ENTRY + STREAM_NODE);
        if (nodes > 0) {
            // the nodes in ID order: the first SAMPLES, since a tree has no positions to jump to
            Iterator<StreamNode> it = st.rax.values().iterator();
            int k = Math.min(nodes, SAMPLES);
            long sum = 0;
            for (int j = 0; j < k; j++) {
                sum += array(it.next().lp().length);
            }
            bytes += sum * nodes / k;
        }
        for (StreamGroup g : st.groups().values()) {
            bytes += TREE_ENTRY + 64 + array(g.name().length) + (long) g.pel().size() * NACK;
            for (StreamConsumer c : g.consumers().values()) {
                bytes += TREE_ENTRY + 64 + array(c.name().length);
            }
        }
        return bytes;
    }
}
