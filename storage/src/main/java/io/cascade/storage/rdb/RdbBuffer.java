package io.cascade.storage.rdb;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A ByteArrayOutputStream without the lock on every byte: the RDB writers emit values a byte at a time, and
 * the inherited synchronized writes cost more than the encoding. One thread at a time.
 */
public final class RdbBuffer extends ByteArrayOutputStream {
    public RdbBuffer(int size) {
        super(size);
    }

    @Override
    public void write(int b) {
        if (count == buf.length) {
            grow(1);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (len > buf.length - count) {
            grow(len);
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    private void grow(int more) {
        long want = Math.max((long) buf.length * 2, (long) count + more);
        if (want > Integer.MAX_VALUE - 8) {
            want = (long) count + more;
            if (want > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("RDB chunk over 2 GB");
            }
        }
        buf = Arrays.copyOf(buf, (int) want);
    }

    /** Bytes written since the last reset. */
    @Override
    public int size() {
        return count;
    }
}
