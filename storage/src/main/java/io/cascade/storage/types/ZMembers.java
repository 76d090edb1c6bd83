package io.cascade.storage.types;

import io.cascade.storage.ScanCursor;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The member-to-node half of a sorted set (Redis's zset dict): a chained power-of-two table whose entries are
 * the skip list's own nodes, so a member costs one object. Grows at load 1 and shrinks below 10% as Redis's
 * dict, and walks with SCAN's reverse-binary cursor for ZSCAN. Command thread only.
 */
final class ZMembers {
    private static final int MIN_BUCKETS = 4;

    private ZNode[] buckets = new ZNode[MIN_BUCKETS];
    private int size;

    /** Dict.hash's mixing, so the low bits that pick a bucket are well spread. */
    static int hash(byte[] member) {
        int h = Arrays.hashCode(member);
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }

    ZNode find(byte[] member, int hash) {
        for (ZNode e = buckets[hash & (buckets.length - 1)]; e != null; e = e.chain) {
            if (e.hash == hash && Arrays.equals(e.member, member)) {
                return e;
            }
        }
        return null;
    }

    /** Adds a node whose member is absent. */
    void add(ZNode n) {
        if (size >= buckets.length) {
            rehash(buckets.length * 2);
        }
        int b = n.hash & (buckets.length - 1);
        n.chain = buckets[b];
        buckets[b] = n;
        size++;
    }

    /** Puts a new node in the place of the old one for the same member (a score update that re-inserted). */
    void replace(ZNode old, ZNode n) {
        if (old == n) {
            return;
        }
        remove(old, false);
        add(n);
    }

    void remove(ZNode n) {
        remove(n, true);
    }

    private void remove(ZNode n, boolean mayShrink) {
        int b = n.hash & (buckets.length - 1);
        ZNode prev = null;
        for (ZNode e = buckets[b]; e != null; prev = e, e = e.chain) {
            if (e == n) {
                if (prev == null) {
                    buckets[b] = e.chain;
                } else {
                    prev.chain = e.chain;
                }
                e.chain = null;
                size--;
                if (mayShrink && buckets.length > MIN_BUCKETS && size * 10L < buckets.length) {
                    rehash(Math.max(MIN_BUCKETS, Integer.highestOneBit(Math.max(1, size - 1)) << 1));
                }
                return;
            }
        }
        throw new IllegalStateException("member not in its table");
    }

    private void rehash(int n) {
        ZNode[] nb = new ZNode[n];
        for (ZNode head : buckets) {
            for (ZNode e = head; e != null; ) {
                ZNode next = e.chain;
                int b = e.hash & (n - 1);
                e.chain = nb[b];
                nb[b] = e;
                e = next;
            }
        }
        buckets = nb;
    }

    /** One dictScan step: the nodes of the cursor's bucket, then the next cursor (0 when done). */
    long scanStep(long cursor, Consumer<ZNode> visitor) {
        for (ZNode e = buckets[(int) (cursor & (buckets.length - 1))]; e != null; e = e.chain) {
            visitor.accept(e);
        }
        return ScanCursor.next(cursor, Integer.numberOfTrailingZeros(buckets.length));
    }
}
