package io.cascade.storage.types;

import io.cascade.storage.rdb.Listpack;
import io.cascade.storage.rdb.ListpackCursor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One node of a stream's radix tree: the master ID (the tree key) and the node's listpack, laid out byte for
 * byte as t_stream.c lays it out (a master entry "count, deleted, num-fields, fields..., 0", then the entries
 * "flags, ms-delta, seq-delta, [num-fields, fields...,] values..., lp-count"), so that DUMP and RDB can write it
 * as it is. The listpack sits at the start of a buffer that grows by doubling, so that appending an entry
 * (lpAppend) does not copy the node every time. Apart from that buffer, the node keeps the size Redis's allocator
 * would have given the listpack (lpNew's pre-allocation, lpInsert's reallocs, lpShrinkToFit), which MEMORY USAGE
 * reports as zmalloc_size does. Command thread, through RStream.
 */
final class StreamNode {
    final StreamId master;
    /** The listpack is buf[0 .. totalBytes(buf)); what follows is spare room. */
    private byte[] buf;
    /** lp_malloc_size: the usable size of Redis's allocation for this listpack. */
    private long allocated;

    private StreamNode(StreamId master, byte[] buf, long allocated) {
        this.master = master;
        this.buf = buf;
        this.allocated = allocated;
    }

    /** A node whose listpack is exactly these bytes (RDB load, COPY: allocated at their size). */
    static StreamNode of(StreamId master, byte[] listpack) {
        return new StreamNode(master, listpack, Jemalloc.usable(listpack.length));
    }

    /**
     * A new node for an entry with these fields: the master entry counts it already (count 1, deleted 0), as
     * streamAppendItem writes it before appending the entry itself.
     */
    static StreamNode create(StreamId master, byte[][] argv, int numFields) {
        Listpack.Builder b = new Listpack.Builder();
        b.append(Ints.bytes(1));
        b.append(Ints.bytes(0));
        b.append(Ints.bytes(numFields));
        for (int i = 0; i < numFields; i++) {
            b.append(argv[2 * i]);
        }
        b.append(Ints.bytes(0)); // the master entry's terminator, read as lp-count 0 when walking backwards
        byte[] lp = b.build();
        // lpNew(prealloc), then each element appended grows the allocation only past its usable size
        long prealloc = 4096; // STREAM_LISTPACK_MAX_PRE_ALLOCATE
        if (EncodingLimits.streamNodeMaxBytes > 0 && EncodingLimits.streamNodeMaxBytes < prealloc) {
            prealloc = EncodingLimits.streamNodeMaxBytes;
        }
        long allocated = Jemalloc.usable(Math.max(prealloc, 7));
        long bytes = 7; // header and terminator
        List<byte[]> elements = new ArrayList<>();
        elements.add(Ints.bytes(1));
        elements.add(Ints.bytes(0));
        elements.add(Ints.bytes(numFields));
        for (int i = 0; i < numFields; i++) {
            elements.add(argv[2 * i]);
        }
        elements.add(Ints.bytes(0));
        for (byte[] e : elements) {
            bytes += Listpack.encodeEntry(e).length;
            allocated = grown(allocated, bytes);
        }
        return new StreamNode(master, Arrays.copyOf(lp, Math.max(64, lp.length * 2)), allocated);
    }

    /** lpInsert's "realloc before": only past the usable size. */
    private static long grown(long allocated, long bytes) {
        return bytes > allocated ? Jemalloc.usable(bytes) : allocated;
    }

    /** The usable size of Redis's allocation for this listpack (zmalloc_size). */
    long allocated() {
        return allocated;
    }

    /** The listpack buffer; only its first bytes() bytes are the listpack. Read-only for callers. */
    byte[] lp() {
        return buf;
    }

    /** lpBytes. */
    int bytes() {
        return ListpackCursor.totalBytes(buf);
    }

    /** A copy of exactly the listpack's bytes. */
    byte[] listpack() {
        return Arrays.copyOf(buf, bytes());
    }

    /** The live entries (the master entry's count field). */
    long count() {
        return ListpackCursor.getInteger(buf, ListpackCursor.first(buf));
    }

    /** Entries flagged deleted but still in the listpack. */
    long deleted() {
        return ListpackCursor.getInteger(buf, ListpackCursor.next(buf, ListpackCursor.first(buf)));
    }

    void setCount(long v) {
        replaceInteger(ListpackCursor.first(buf), v);
    }

    void setDeleted(long v) {
        replaceInteger(ListpackCursor.next(buf, ListpackCursor.first(buf)), v);
    }

    /** lpAppend / lpAppendInteger of one encoded element before the terminator. */
    void append(byte[] entry) {
        int total = bytes();
        int newTotal = total + entry.length;
        if (newTotal > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(newTotal, buf.length * 2));
        }
        System.arraycopy(entry, 0, buf, total - 1, entry.length);
        buf[newTotal - 1] = (byte) 0xff;
        setTotal(newTotal);
        allocated = grown(allocated, newTotal);
        int n = ListpackCursor.numElements(buf);
        if (n != 0xffff) { // once the count no longer fits the header, it stays "unknown", as lpInsert leaves it
            buf[4] = (byte) (n + 1);
            buf[5] = (byte) ((n + 1) >>> 8);
        }
    }

    /** lpReplaceInteger: the element at p becomes v; what follows moves when the encoding's size changes. */
    void replaceInteger(int p, long v) {
        byte[] entry = Listpack.encodeInteger(v);
        int old = ListpackCursor.entryLength(buf, p);
        int total = bytes();
        int newTotal = total - old + entry.length;
        if (newTotal > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(newTotal, buf.length * 2));
        }
        System.arraycopy(buf, p + old, buf, p + entry.length, total - p - old);
        System.arraycopy(entry, 0, buf, p, entry.length);
        setTotal(newTotal);
        // grows past the usable size, or "realloc after" to the smaller size
        allocated = newTotal < total ? Jemalloc.usable(newTotal) : grown(allocated, newTotal);
    }

    /** Gives back the spare room (lpShrinkToFit when a node is closed). */
    void shrink() {
        if (buf.length != bytes()) {
            buf = listpack();
        }
        if (bytes() < allocated) {
            allocated = Jemalloc.usable(bytes());
        }
    }

    private void setTotal(int total) {
        buf[0] = (byte) total;
        buf[1] = (byte) (total >>> 8);
        buf[2] = (byte) (total >>> 16);
        buf[3] = (byte) (total >>> 24);
    }
}
