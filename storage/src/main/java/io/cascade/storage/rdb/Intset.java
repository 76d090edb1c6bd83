package io.cascade.storage.rdb;

/**
 * Redis's intset blob (intset.c): a 32-bit encoding (2, 4 or 8 bytes per integer), a 32-bit length, then the
 * sorted integers, all little endian. Redis never narrows an intset's encoding when members are removed;
 * Cascade keeps no history, so encode picks the narrowest encoding that fits the current members. Pure functions.
 */
public final class Intset {
    private Intset() {
    }

    /** The blob of ascending, distinct integers. */
    public static byte[] encode(long[] sorted, int count) {
        int width = 2;
        for (int i = 0; i < count; i++) {
            long v = sorted[i];
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width = 8;
                break;
            }
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = 4;
            }
        }
        byte[] out = new byte[8 + count * width];
        le(out, 0, width, 4);
        le(out, 4, count, 4);
        for (int i = 0; i < count; i++) {
            le(out, 8 + i * width, sorted[i], width);
        }
        return out;
    }

    private static void le(byte[] out, int at, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out[at + i] = (byte) (v >>> (8 * i));
        }
    }

    /** The integers of a blob; checks the encoding, the length and (as Redis's deep check) the ascending order. */
    public static long[] decode(byte[] blob) {
        if (blob.length < 8) {
            throw new RdbFormatException("intset too short");
        }
        int width = (int) read(blob, 0, 4);
        long count = read(blob, 4, 4) & 0xffffffffL;
        if ((width != 2 && width != 4 && width != 8) || 8 + count * width != blob.length) {
            throw new RdbFormatException("intset header wrong");
        }
        long[] out = new long[(int) count];
        for (int i = 0; i < count; i++) {
            out[i] = read(blob, 8 + i * width, width);
            if (i > 0 && out[i] <= out[i - 1]) {
                throw new RdbFormatException("intset not sorted");
            }
        }
        return out;
    }

    /** A little-endian signed integer. */
    private static long read(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        int shift = 64 - 8 * bytes;
        return (v << shift) >> shift;
    }
}
