package io.cascade.storage.types;

import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID (Redis's streamID): milliseconds and sequence, each an unsigned 64-bit number held in a
 * long. Ordered as Redis orders them (ms, then seq, unsigned), which is also the order of their 16-byte big
 * endian form, the key of the radix trees. Immutable; any thread.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isZero() {
        return ms == 0 && seq == 0;
    }

    /** streamIncrID: the next ID, or null when this is the maximum (Redis wraps to 0-0 and reports an error). */
    public StreamId incr() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        return ms == -1L ? null : new StreamId(ms + 1, 0);
    }

    /** streamDecrID: the previous ID, or null when this is 0-0. */
    public StreamId decr() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        return ms == 0 ? null : new StreamId(ms - 1, -1L);
    }

    /** streamEncodeID: 128 bits big endian. */
    public byte[] encode() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (ms >>> (56 - 8 * i));
            b[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return b;
    }

    /** streamDecodeID of 16 bytes at offset. */
    public static StreamId decode(byte[] b, int offset) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[offset + i] & 0xff);
            seq = (seq << 8) | (b[offset + 8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }

    /** "ms-seq", as replies show an ID. */
    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }
}
