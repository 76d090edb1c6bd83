package io.cascade.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.List;

/**
 * The replication backlog and the replicas' output in one: the stream bytes as a queue of fixed-size blocks
 * with their offsets (spec 4.3), shared by every downstream replica the way Redis 7.0 shares its replication
 * buffer. A replica only keeps the offset of the next byte it is owed, and what it is sent are read-only views
 * of the blocks (no copy per replica). The oldest block is dropped once the rest still holds repl-backlog-size
 * bytes and no replica still needs it, so the backlog may hold a little more than its size, as in Redis.
 * Command thread only; the views handed to Netty are of bytes that are never written again.
 */
public final class Backlog {
    /** Block size: Redis's PROTO_REPLY_CHUNK_BYTES, at most size/16 (here: at least 1 KB). */
    static final int MAX_BLOCK = 16 * 1024;

    /** The blocks from index head on are live; every one is full but the last (so an offset finds its block). */
    private final ArrayList<byte[]> blocks = new ArrayList<>();
    private int head;
    private final int blockSize;
    private long size;
    /** Offset of the first byte of the oldest block. */
    private long firstByteOffset;
    /** Bytes held in all blocks; the newest block is filled up to tailFill. */
    private long histlen;
    private int tailFill;

    /** A backlog whose first byte will have offset masterReplOffset + 1 (nothing held yet). */
    public Backlog(long size, long masterReplOffset) {
        this.size = size;
        this.blockSize = (int) Math.max(1024, Math.min(MAX_BLOCK, size / 16));
        this.firstByteOffset = masterReplOffset + 1;
    }

    public long size() {
        return size;
    }

    /** repl-backlog-size changed at runtime: the newest bytes are kept, the rest trimmed as replicas allow. */
    public void resize(long newSize, long oldestNeeded) {
        size = newSize;
        trim(oldestNeeded);
    }

    public long firstByteOffset() {
        return firstByteOffset;
    }

    public long histlen() {
        return histlen;
    }

    /** Memory of the live blocks, the backlog's and the lagging replicas' alike (Redis's repl_buffer_mem). */
    public long memory() {
        return (long) (blocks.size() - head) * blockSize;
    }

    /** Offset of the last byte held (the master_repl_offset the backlog has reached). */
    public long endOffset() {
        return firstByteOffset + histlen - 1;
    }

    /** Spec 4.2's backlog check: bytes from offset on are all here (offset == end + 1: nothing missing). */
    public boolean covers(long offset) {
        return offset >= firstByteOffset && offset <= firstByteOffset + histlen;
    }

    /**
     * Appends stream bytes; then trims old blocks no replica needs (oldestNeeded: the smallest offset a
     * replica is still owed, Long.MAX_VALUE with none).
     */
    public void append(byte[] src, int off, int len, long oldestNeeded) {
        while (len > 0) {
            if (blocks.size() == head || tailFill == blockSize) {
                blocks.add(new byte[blockSize]);
                tailFill = 0;
            }
            int n = Math.min(len, blockSize - tailFill);
            System.arraycopy(src, off, blocks.get(blocks.size() - 1), tailFill, n);
            tailFill += n;
            histlen += n;
            off += n;
            len -= n;
        }
        trim(oldestNeeded);
    }

    public void append(byte[] src, long oldestNeeded) {
        append(src, 0, src.length, oldestNeeded);
    }

    private void trim(long oldestNeeded) {
        while (blocks.size() - head > 1 && histlen - blockSize >= size
                && oldestNeeded >= firstByteOffset + blockSize) {
            blocks.set(head++, null);
            firstByteOffset += blockSize;
            histlen -= blockSize;
        }
        if (head > 64 && head > blocks.size() / 2) {
            blocks.subList(0, head).clear(); // drop the dead prefix now and then, not at every trim
            head = 0;
        }
    }

    /**
     * Views of the bytes from offset to the end, at most maxBytes of them, for a replica's socket. The views
     * share the blocks; the caller writes them out (Netty releases them).
     */
    public List<ByteBuf> from(long offset, long maxBytes) {
        List<ByteBuf> out = new ArrayList<>();
        if (!covers(offset)) {
            throw new IllegalArgumentException("offset " + offset + " is not in the backlog [" + firstByteOffset
                    + ", " + (endOffset() + 1) + "]");
        }
        long skip = offset - firstByteOffset;
        long left = Math.min(maxBytes, histlen - skip);
        int index = head + (int) (skip / blockSize);
        int at = (int) (skip % blockSize);
        int last = blocks.size() - 1;
        while (index <= last && left > 0) {
            int filled = index == last ? tailFill : blockSize;
            int n = (int) Math.min(left, filled - at);
            if (n > 0) {
                out.add(Unpooled.wrappedBuffer(blocks.get(index), at, n));
                left -= n;
            }
            at = 0;
            index++;
        }
        return out;
    }

    /** Copies the bytes from offset to the end (tests, and a replica's INFO-sized peeks). */
    public byte[] copyFrom(long offset) {
        List<ByteBuf> views = from(offset, Long.MAX_VALUE);
        int total = 0;
        for (ByteBuf b : views) {
            total += b.readableBytes();
        }
        byte[] out = new byte[total];
        int at = 0;
        for (ByteBuf b : views) {
            int n = b.readableBytes();
            b.readBytes(out, at, n);
            at += n;
            b.release();
        }
        return out;
    }
}
