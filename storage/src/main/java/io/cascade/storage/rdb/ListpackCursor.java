package io.cascade.storage.rdb;

import io.cascade.storage.types.Ints;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a listpack's elements in place, as listpack.c's lpFirst / lpNext / lpPrev / lpLast / lpGet do: a
 * position is the offset of an element's first byte, -1 past either end. The walking functions trust the bytes
 * (callers check untrusted ones with validNext first, as Redis validates a payload before using it). The array
 * may be longer than the listpack: the header's total length says where it ends. Pure functions; any thread.
 */
public final class ListpackCursor {
    private ListpackCursor() {
    }

    /** The header's total length (lpBytes). */
    public static int totalBytes(byte[] lp) {
        return (lp[0] & 0xff) | (lp[1] & 0xff) << 8 | (lp[2] & 0xff) << 16 | (lp[3] & 0xff) << 24;
    }

    /** The header's element count; 65535 means "unknown, count them". */
    public static int numElements(byte[] lp) {
        return (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
    }

    public static int first(byte[] lp) {
        return (lp[Listpack.HEADER_SIZE] & 0xff) == Listpack.EOF ? -1 : Listpack.HEADER_SIZE;
    }

    public static int next(byte[] lp, int p) {
        int q = p + entryLength(lp, p);
        return (lp[q] & 0xff) == Listpack.EOF ? -1 : q;
    }

    public static int last(byte[] lp) {
        return prev(lp, totalBytes(lp) - 1);
    }

    /** The element before position p (p may be the terminator's position), or -1 when p is the first. */
    public static int prev(byte[] lp, int p) {
        if (p <= Listpack.HEADER_SIZE) {
            return -1;
        }
        // the back-length is read from its last byte backwards, 7 bits a byte, until a byte without the high bit
        int q = p - 1;
        long len = 0;
        int shift = 0;
        while (true) {
            int b = lp[q] & 0xff;
            len |= (long) (b & 127) << shift;
            shift += 7;
            if ((b & 128) == 0) {
                break;
            }
            q--;
        }
        return (int) (p - len - Listpack.backlenSize(len));
    }

    /** Encoding plus data plus back-length of the element at p. */
    public static int entryLength(byte[] lp, int p) {
        int enc = encodedLength(lp, p);
        return enc + Listpack.backlenSize(enc);
    }

    /** Encoding plus data of the element at p (lpCurrentEncodedSizeUnsafe). */
    static int encodedLength(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0x80) == 0) {
            return 1;
        } else if ((b & 0xc0) == 0x80) {
            return 1 + (b & 0x3f);
        } else if ((b & 0xe0) == 0xc0) {
            return 2;
        } else if ((b & 0xf0) == 0xe0) {
            return 2 + (((b & 0x0f) << 8) | (lp[p + 1] & 0xff));
        }
        switch (b) {
            case 0xf1:
                return 3;
            case 0xf2:
                return 4;
            case 0xf3:
                return 5;
            case 0xf4:
                return 9;
            case 0xf0:
                return 5 + (int) le(lp, p + 1, 4);
            default:
                throw new RdbFormatException("listpack bad encoding byte");
        }
    }

    /** True when the element at p is integer-encoded. */
    public static boolean isInteger(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        return (b & 0x80) == 0 || (b & 0xe0) == 0xc0 || (b >= 0xf1 && b <= 0xf4);
    }

    /**
     * The element at p as a number (Redis's lpGetIntegerIfValid): an integer element, or a string one that
     * parses as a canonical 64-bit integer; otherwise RdbFormatException.
     */
    public static long getInteger(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if ((b & 0x80) == 0) {
            return b;
        } else if ((b & 0xe0) == 0xc0) {
            int u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
            return u >= 1 << 12 ? u - (1 << 13) : u;
        } else if (b >= 0xf1 && b <= 0xf4) {
            int bytes = b == 0xf1 ? 2 : b == 0xf2 ? 3 : b == 0xf3 ? 4 : 8;
            long v = le(lp, p + 1, bytes);
            int shift = 64 - 8 * bytes;
            return (v << shift) >> shift;
        }
        Long v = Ints.parse(get(lp, p));
        if (v == null) {
            throw new RdbFormatException("listpack element is not an integer");
        }
        return v;
    }

    /** The element at p as bytes; integers as their decimal text (lpGet with a buffer). */
    public static byte[] get(byte[] lp, int p) {
        int b = lp[p] & 0xff;
        if (isInteger(lp, p)) {
            return Long.toString(getInteger(lp, p)).getBytes(StandardCharsets.US_ASCII);
        }
        if ((b & 0xc0) == 0x80) {
            return Arrays.copyOfRange(lp, p + 1, p + 1 + (b & 0x3f));
        } else if ((b & 0xf0) == 0xe0) {
            int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
            return Arrays.copyOfRange(lp, p + 2, p + 2 + len);
        }
        int len = (int) le(lp, p + 1, 4);
        return Arrays.copyOfRange(lp, p + 5, p + 5 + len);
    }

    /** True when the element at p equals s, as lpGet then memcmp would find. */
    public static boolean equalsElement(byte[] lp, int p, byte[] s) {
        return Arrays.equals(get(lp, p), s);
    }

    /**
     * lpValidateIntegrity's header check: at least a header and a terminator, the header's total length equal
     * to the size, and the last byte the terminator.
     */
    public static boolean validHeader(byte[] lp) {
        return lp.length >= Listpack.HEADER_SIZE + 1 && totalBytes(lp) == lp.length
                && (lp[lp.length - 1] & 0xff) == Listpack.EOF;
    }

    /**
     * lpValidateNext on a listpack whose header is valid: when p is the terminator, -1; otherwise checks that
     * the element at p lies inside the listpack and that its back-length matches its size, and returns the
     * position right after it (the next element's, or the terminator's). Throws RdbFormatException when that
     * does not hold, or when p is -1 (a walk already past the end).
     */
    public static int validNext(byte[] lp, int p) {
        int end = lp.length - 1; // the terminator's position
        if (p < Listpack.HEADER_SIZE || p > end) {
            throw new RdbFormatException("listpack element out of range");
        }
        int b = lp[p] & 0xff;
        if (b == Listpack.EOF) {
            return -1;
        }
        int lenBytes = (b & 0xf0) == 0xe0 ? 2 : b == 0xf0 ? 5 : 1;
        if (p + lenBytes > end) {
            throw new RdbFormatException("listpack element out of range");
        }
        long enc = b == 0xf0 ? 5 + le(lp, p + 1, 4) : encodedLength(lp, p);
        long entry = enc + Listpack.backlenSize(enc);
        if (p + entry > end) {
            throw new RdbFormatException("listpack element out of range");
        }
        int q = (int) (p + entry);
        byte[] backlen = Listpack.backlen(enc);
        if (!Arrays.equals(lp, (int) (p + enc), q, backlen, 0, backlen.length)) {
            throw new RdbFormatException("listpack back-length mismatch");
        }
        return q;
    }

    /** True when p is the terminator's position. */
    public static boolean isEnd(byte[] lp, int p) {
        return (lp[p] & 0xff) == Listpack.EOF;
    }

    private static long le(byte[] b, int from, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        return v;
    }
}
