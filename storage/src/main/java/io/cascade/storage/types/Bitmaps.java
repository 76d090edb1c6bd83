package io.cascade.storage.types;

/**
 * Bit-level helpers of Redis's bitops.c over string values: bit 0 is the most significant bit of the first
 * byte, as SETBIT, BITPOS and BITFIELD all number them. Includes BITFIELD's integer get/set at any bit offset
 * and its overflow rules (WRAP, SAT, FAIL) with Redis's 64-bit wrap-around arithmetic. Pure functions.
 */
public final class Bitmaps {
    public static final int WRAP = 0;
    public static final int SAT = 1;
    public static final int FAIL = 2;

    private Bitmaps() {
    }

    /** Set bits in b[from, from+count). */
    public static long popcount(byte[] b, int from, int count) {
        long bits = 0;
        int i = from;
        int end = from + count;
        for (; i + 8 <= end; i += 8) {
            long w = 0;
            for (int j = 0; j < 8; j++) {
                w = (w << 8) | (b[i + j] & 0xff);
            }
            bits += Long.bitCount(w);
        }
        for (; i < end; i++) {
            bits += Integer.bitCount(b[i] & 0xff);
        }
        return bits;
    }

    /**
     * Redis's redisBitpos over b[from, from+count): the position (from the start of the range) of the first bit
     * equal to bit. Looking for 1 and finding none gives -1; looking for 0 and finding none gives count*8, as if
     * the string went on with zero bytes.
     */
    public static long bitpos(byte[] b, int from, int count, int bit) {
        int skip = bit == 1 ? 0 : 0xff;
        for (int i = 0; i < count; i++) {
            int v = b[from + i] & 0xff;
            if (v != skip) {
                for (int k = 7; k >= 0; k--) {
                    if (((v >>> k) & 1) == bit) {
                        return (long) i * 8 + (7 - k);
                    }
                }
            }
        }
        return bit == 1 ? -1 : (long) count * 8;
    }

    public static long getUnsigned(byte[] p, long offset, int bits) {
        long value = 0;
        for (int j = 0; j < bits; j++) {
            int byteval = p[(int) (offset >>> 3)] & 0xff;
            int bitval = (byteval >>> (7 - (int) (offset & 7))) & 1;
            value = (value << 1) | bitval;
            offset++;
        }
        return value;
    }

    public static long getSigned(byte[] p, long offset, int bits) {
        long value = getUnsigned(p, offset, bits);
        if (bits < 64 && (value & (1L << (bits - 1))) != 0) {
            value |= -1L << bits; // sign-extend
        }
        return value;
    }

    /** Writes the low bits of value (two's complement for signed values) at offset. */
    public static void set(byte[] p, long offset, int bits, long value) {
        for (int j = 0; j < bits; j++) {
            int bitval = (value & (1L << (bits - 1 - j))) != 0 ? 1 : 0;
            int at = (int) (offset >>> 3);
            int bit = 7 - (int) (offset & 7);
            p[at] = (byte) ((p[at] & ~(1 << bit)) | (bitval << bit));
            offset++;
        }
    }

    /**
     * Redis's checkUnsignedBitfieldOverflow (value is unsigned 64-bit): 0 when value+incr fits in bits, 1 on
     * overflow, -1 on underflow; limit[0] receives the wrapped or saturated result for WRAP and SAT.
     */
    public static int checkUnsignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? -1L : (1L << bits) - 1;
        long maxincr = max - value;
        long minincr = -value;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapUnsigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = max;
            }
            return 1;
        } else if (incr < 0 && incr < minincr) {
            if (owtype == WRAP) {
                limit[0] = wrapUnsigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = 0;
            }
            return -1;
        }
        return 0;
    }

    private static long wrapUnsigned(long value, long incr, int bits) {
        long mask = -1L << bits; // bits < 64 here (u63 at most); Java shifts mod 64 like x86
        return (value + incr) & ~mask;
    }

    /** Redis's checkSignedBitfieldOverflow, including its wrapping intermediate arithmetic. */
    public static int checkSignedOverflow(long value, long incr, int bits, int owtype, long[] limit) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long maxincr = max - value;
        long minincr = min - value;
        if (value > max || (bits != 64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapSigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = max;
            }
            return 1;
        } else if (value < min || (bits != 64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr)) {
            if (owtype == WRAP) {
                limit[0] = wrapSigned(value, incr, bits);
            } else if (owtype == SAT) {
                limit[0] = min;
            }
            return -1;
        }
        return 0;
    }

    private static long wrapSigned(long value, long incr, int bits) {
        long c = value + incr;
        if (bits < 64) {
            long mask = -1L << bits;
            if ((c & (1L << (bits - 1))) != 0) {
                c |= mask;
            } else {
                c &= ~mask;
            }
        }
        return c;
    }
}
