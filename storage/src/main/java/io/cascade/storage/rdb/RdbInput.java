package io.cascade.storage.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The bytes the RDB readers consume: a byte array (RESTORE payloads) or a buffered InputStream (RDB files, the
 * replication transfer) that tracks the absolute offset and keeps Redis's CRC64 of everything read. The hot
 * path (readByte, small readBytes) is final code on the buffer fields, so only refills are virtual. A claimed
 * length is never allocated before its bytes arrive: a large one grows in bounded chunks, so a truncated file
 * with an absurd length fails at EOF without a large allocation. Errors name the offset. One thread.
 */
public abstract class RdbInput {
    /** The largest Java array Cascade creates for one RDB string. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
    /** What a large string's buffer starts at before its bytes have been seen. */
    private static final int FIRST_CHUNK = 1 << 16;

    byte[] buf;
    int pos;
    int limit;
    /** The absolute offset of buf[0]. */
    long base;
    private long crc;
    /** buf[crcFrom, pos) is read but not yet in crc. */
    private int crcFrom;

    RdbInput(byte[] buf, int pos, int limit, long base) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
        this.base = base;
        this.crcFrom = pos;
    }

    /** A reader of {@code length} bytes of {@code b} from {@code offset}; positions are indexes into {@code b}. */
    public static RdbInput of(byte[] b, int offset, int length) {
        return new ArrayInput(b, offset, offset + length);
    }

    /** A buffered reader of a stream; positions count from where the stream stands now (0). */
    public static RdbInput of(InputStream in) {
        return new StreamInput(in, 1 << 16);
    }

    /** The same with a buffer of {@code bufferSize} bytes (at least 16). */
    public static RdbInput of(InputStream in, int bufferSize) {
        return new StreamInput(in, Math.max(16, bufferSize));
    }

    /** The absolute offset of the next byte. */
    public final long position() {
        return base + pos;
    }

    /** Redis's CRC64 of every byte read so far (from the start of the input). */
    public final long crc() {
        if (pos > crcFrom) {
            crc = Crc64.update(crc, buf, crcFrom, pos - crcFrom);
            crcFrom = pos;
        }
        return crc;
    }

    /**
     * The bytes already taken from the stream but not consumed (an AOF tail after the RDB, the command stream
     * after a replication payload), so a caller can go on from there. Empty for a byte array.
     */
    public byte[] unconsumed() {
        return Arrays.copyOfRange(buf, pos, limit);
    }

    public final int readByte() {
        if (pos < limit) {
            return buf[pos++] & 0xff;
        }
        if (!fill(1)) {
            throw eof(1, "a byte");
        }
        return buf[pos++] & 0xff;
    }

    /** {@code n} (at most 8) bytes as a little-endian number. */
    public final long readLE(int n, String what) {
        if (limit - pos < n && !fill(n)) {
            throw eof(n, what);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (long) (buf[pos + i] & 0xff) << (8 * i);
        }
        pos += n;
        return v;
    }

    /** {@code n} (at most 8) bytes as a big-endian number. */
    public final long readBE(int n, String what) {
        if (limit - pos < n && !fill(n)) {
            throw eof(n, what);
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos + i] & 0xff);
        }
        pos += n;
        return v;
    }

    /**
     * Exactly {@code n} bytes of a string, named "a string of n bytes" in an error: the name is only built then,
     * since a load reads a string for every key, value and element.
     */
    public final byte[] readStringBytes(long n) {
        return readBytes(n, null);
    }

    /** What an error calls the n bytes being read: {@code what}, or when null "a string of n bytes". */
    private static String named(String what, long n) {
        return what != null ? what : "a string of " + n + " bytes";
    }

    /**
     * Exactly {@code n} bytes; {@code what} names them in the EOF message ("a 16-bit integer"), null for "a string
     * of n bytes".
     */
    public final byte[] readBytes(long n, String what) {
        if (n < 0 || n > MAX_ARRAY) {
            throw new RdbFormatException("Bad length " + Long.toUnsignedString(n) + " at offset " + position()
                    + " (reading " + named(what, n) + ")");
        }
        int len = (int) n;
        if (limit - pos >= len) {
            byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len;
            return b;
        }
        if (this instanceof ArrayInput) { // nothing more will come: fail before allocating anything
            int need = len - (limit - pos);
            pos = limit; // consumed up to the end, as a stream would be
            throw eof(need, named(what, n));
        }
        return readLarge(len, named(what, n)); // a string longer than the buffer: the name costs little here
    }

    /** Skips exactly {@code n} bytes (they still count in the CRC). */
    public final void skip(long n, String what) {
        while (n > 0) {
            if (pos == limit && !fill(1)) {
                throw eof(n, what);
            }
            int step = (int) Math.min(n, limit - pos);
            pos += step;
            n -= step;
        }
    }

    /** A string longer than what is buffered: grows with what arrives, never past twice what has arrived. */
    private byte[] readLarge(int len, String what) {
        long start = position();
        byte[] out = new byte[Math.min(len, Math.max(FIRST_CHUNK, limit - pos))];
        int have = 0;
        while (have < len) {
            if (pos == limit && !fill(1)) {
                throw eofAt(start + have, len - have, what);
            }
            if (have == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(len, 2L * out.length));
            }
            int step = Math.min(out.length - have, limit - pos);
            System.arraycopy(buf, pos, out, have, step);
            pos += step;
            have += step;
        }
        return out;
    }

    /**
     * Makes at least {@code n} bytes available from pos (n no larger than the buffer); false at the end of the
     * data. Folds the consumed part into the CRC before moving or dropping it.
     */
    abstract boolean fill(int n);

    final void foldCrc() {
        crc();
    }

    final void rebase(int shift) {
        crcFrom -= shift;
    }

    RdbFormatException eof(long need, String what) {
        return eofAt(position(), need, what);
    }

    static RdbFormatException eofAt(long offset, long need, String what) {
        return new RdbFormatException("Unexpected EOF reading RDB file at offset " + offset + " (reading " + what
                + ", " + need + " more byte" + (need == 1 ? "" : "s") + " needed)");
    }

    /** A byte array: nothing to fill. */
    private static final class ArrayInput extends RdbInput {
        ArrayInput(byte[] b, int from, int to) {
            super(b, from, to, 0);
            if (from < 0 || to > b.length || from > to) {
                throw new IllegalArgumentException("range outside the array");
            }
        }

        @Override
        boolean fill(int n) {
            return false;
        }

        @Override
        public byte[] unconsumed() {
            return new byte[0];
        }
    }

    /**
     * An InputStream behind a buffer that it owns. Reads only when the buffer cannot serve a request, and then
     * takes what the stream has (read may return less than asked), so the reader never waits for bytes past
     * the ones it needs: a socket that has sent just the RDB does not block the end of the load.
     */
    private static final class StreamInput extends RdbInput {
        private final InputStream in;
        private boolean ended;

        StreamInput(InputStream in, int size) {
            super(new byte[size], 0, 0, 0);
            this.in = in;
        }

        @Override
        boolean fill(int n) {
            if (limit - pos >= n) {
                return true;
            }
            foldCrc();
            if (pos > 0) {
                int keep = limit - pos;
                System.arraycopy(buf, pos, buf, 0, keep);
                base += pos;
                rebase(pos);
                limit = keep;
                pos = 0;
            }
            while (limit < n && !ended) {
                int r;
                try {
                    r = in.read(buf, limit, buf.length - limit);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (r < 0) {
                    ended = true;
                } else {
                    limit += r;
                }
            }
            return limit - pos >= n;
        }
    }
}
