package io.cascade.storage.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Redis 7.0's listpack (listpack.c): the compact encoding of small hashes, list nodes and sorted sets. Strings
 * that are canonical 64-bit integers are stored as integers, as lpAppend does, so an encoded listpack is byte
 * for byte the one Redis builds by appending the same elements. Pure functions and a builder; any thread.
 */
public final class Listpack {
    static final int HEADER_SIZE = 6;
    static final int EOF = 0xff;
    private static final int NUMELE_UNKNOWN = 0xffff;

    private Listpack() {
    }

    /** Appends elements one at a time and knows the size the listpack has so far (quicklist node filling). */
    public static final class Builder {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int count;

        public void append(byte[] element) {
            writeEntry(body, element);
            count++;
        }

        public int count() {
            return count;
        }

        /** lpBytes: header, entries and terminator. */
        public int bytes() {
            return HEADER_SIZE + body.size() + 1;
        }

        public byte[] build() {
            byte[] out = new byte[bytes()];
            writeHeader(out, out.length, count);
            byte[] b = body.toByteArray();
            System.arraycopy(b, 0, out, HEADER_SIZE, b.length);
            out[out.length - 1] = (byte) EOF;
            return out;
        }
    }

    public static byte[] encode(List<byte[]> elements) {
        Builder b = new Builder();
        for (byte[] e : elements) {
            b.append(e);
        }
        return b.build();
    }

    private static void writeHeader(byte[] out, int total, int count) {
        out[0] = (byte) total;
        out[1] = (byte) (total >>> 8);
        out[2] = (byte) (total >>> 16);
        out[3] = (byte) (total >>> 24);
        int n = Math.min(count, NUMELE_UNKNOWN);
        out[4] = (byte) n;
        out[5] = (byte) (n >>> 8);
    }

    /** lpStringToInt64: a canonical decimal integer (no sign but '-', no leading zero), or null. */
    static Long parseInt(byte[] s) {
        int n = s.length;
        if (n == 0 || n >= 21) {
            return null;
        }
        if (n == 1 && s[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = s[0] == '-';
        if (negative && ++i == n) {
            return null;
        }
        if (s[i] < '1' || s[i] > '9') {
            return null;
        }
        long v = 0; // accumulated as unsigned 64-bit
        for (; i < n; i++) {
            int d = s[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            v *= 10;
            if (Long.compareUnsigned(v, -1L - d) > 0) {
                return null;
            }
            v += d;
        }
        if (negative) {
            if (Long.compareUnsigned(v, 1L << 63) > 0) {
                return null;
            }
            return -v;
        }
        return v < 0 ? null : v;
    }

    /** The bytes one element takes in a listpack: encoding, data and back-length. */
    public static int entrySize(byte[] element) {
        int enc = encodedSize(element);
        return enc + backlenSize(enc);
    }

    private static int encodedSize(byte[] e) {
        Long v = parseInt(e);
        if (v != null) {
            long x = v;
            if (x >= 0 && x <= 127) {
                return 1;
            } else if (x >= -4096 && x <= 4095) {
                return 2;
            } else if (x >= -32768 && x <= 32767) {
                return 3;
            } else if (x >= -8388608 && x <= 8388607) {
                return 4;
            } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
                return 5;
            }
            return 9;
        }
        int size = e.length;
        return size < 64 ? 1 + size : size < 4096 ? 2 + size : 5 + size;
    }

    static int backlenSize(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** One element as lpAppend encodes it (encoding, data, back-length), integers in integer form. */
    public static byte[] encodeEntry(byte[] element) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(element.length + 6);
        writeEntry(out, element);
        return out.toByteArray();
    }

    /** One integer element as lpAppendInteger encodes it. */
    public static byte[] encodeInteger(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(10);
        writeInteger(out, v);
        writeBacklen(out, out.size());
        return out.toByteArray();
    }

    private static void writeEntry(ByteArrayOutputStream out, byte[] e) {
        int start = out.size();
        Long v = parseInt(e);
        if (v != null) {
            writeInteger(out, v);
        } else {
            int size = e.length;
            if (size < 64) {
                out.write(0x80 | size);
            } else if (size < 4096) {
                out.write(0xe0 | (size >>> 8));
                out.write(size & 0xff);
            } else {
                out.write(0xf0);
                writeLe(out, size, 4);
            }
            out.write(e, 0, size);
        }
        writeBacklen(out, out.size() - start);
    }

    private static void writeInteger(ByteArrayOutputStream out, long x) {
        if (x >= 0 && x <= 127) {
            out.write((int) x);
        } else if (x >= -4096 && x <= 4095) {
            long u = x < 0 ? (1L << 13) + x : x;
            out.write((int) ((u >>> 8) | 0xc0));
            out.write((int) (u & 0xff));
        } else if (x >= -32768 && x <= 32767) {
            out.write(0xf1);
            writeLe(out, x, 2);
        } else if (x >= -8388608 && x <= 8388607) {
            out.write(0xf2);
            writeLe(out, x, 3);
        } else if (x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE) {
            out.write(0xf3);
            writeLe(out, x, 4);
        } else {
            out.write(0xf4);
            writeLe(out, x, 8);
        }
    }

    /** The back-length bytes of an element whose encoding and data take l bytes. */
    static byte[] backlen(long l) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5);
        writeBacklen(out, l);
        return out.toByteArray();
    }

    private static void writeBacklen(ByteArrayOutputStream out, long l) {
        // the back-length is written most significant group first, each group's high bit set but the first's
        if (l <= 127) {
            out.write((int) l);
        } else if (l < 16383) {
            out.write((int) (l >>> 7));
            out.write((int) ((l & 127) | 128));
        } else if (l < 2097151) {
            out.write((int) (l >>> 14));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        } else if (l < 268435455) {
            out.write((int) (l >>> 21));
            out.write((int) (((l >>> 14) & 127) | 128));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        } else {
            out.write((int) (l >>> 28));
            out.write((int) (((l >>> 21) & 127) | 128));
            out.write((int) (((l >>> 14) & 127) | 128));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        }
    }

    private static void writeLe(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /**
     * The elements of a listpack, integers as their decimal text. Checks the header's total length, the
     * terminator, each entry's bounds and back-length, and the element count when the header knows it.
     */
    public static List<byte[]> decode(byte[] lp) {
        if (lp.length < HEADER_SIZE + 1) {
            throw new RdbFormatException("listpack too short");
        }
        long total = (lp[0] & 0xffL) | (lp[1] & 0xffL) << 8 | (lp[2] & 0xffL) << 16 | (lp[3] & 0xffL) << 24;
        if (total != lp.length || (lp[lp.length - 1] & 0xff) != EOF) {
            throw new RdbFormatException("listpack header or terminator wrong");
        }
        int declared = (lp[4] & 0xff) | (lp[5] & 0xff) << 8;
        List<byte[]> out = new ArrayList<>();
        int p = HEADER_SIZE;
        int end = lp.length - 1;
        while (p < end) {
            int start = p;
            int b = lp[p] & 0xff;
            byte[] element;
            if ((b & 0x80) == 0) {
                element = num(b);
                p += 1;
            } else if ((b & 0xc0) == 0x80) {
                int len = b & 0x3f;
                element = slice(lp, p + 1, len, end);
                p += 1 + len;
            } else if ((b & 0xe0) == 0xc0) {
                need(lp, p, 2, end);
                int u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                element = num(u >= 1 << 12 ? u - (1 << 13) : u);
                p += 2;
            } else if ((b & 0xf0) == 0xe0) {
                need(lp, p, 2, end);
                int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                element = slice(lp, p + 2, len, end);
                p += 2 + len;
            } else if (b == 0xf1) {
                element = num(signed(lp, p + 1, 2, end));
                p += 3;
            } else if (b == 0xf2) {
                element = num(signed(lp, p + 1, 3, end));
                p += 4;
            } else if (b == 0xf3) {
                element = num(signed(lp, p + 1, 4, end));
                p += 5;
            } else if (b == 0xf4) {
                element = num(signed(lp, p + 1, 8, end));
                p += 9;
            } else if (b == 0xf0) {
                long len = signed(lp, p + 1, 4, end) & 0xffffffffL;
                if (len > end) {
                    throw new RdbFormatException("listpack string too long");
                }
                element = slice(lp, p + 5, (int) len, end);
                p += 5 + (int) len;
            } else {
                throw new RdbFormatException("listpack bad encoding byte");
            }
            int encLen = p - start;
            int bl = backlenSize(encLen);
            if (p + bl > end) {
                throw new RdbFormatException("listpack entry past the end");
            }
            p += bl;
            out.add(element);
        }
        if (declared != NUMELE_UNKNOWN && declared != out.size()) {
            throw new RdbFormatException("listpack element count wrong");
        }
        return out;
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static void need(byte[] b, int p, int n, int end) {
        if (p + n > end) {
            throw new RdbFormatException("listpack entry past the end");
        }
    }

    private static byte[] slice(byte[] b, int from, int len, int end) {
        need(b, from, len, end);
        return Arrays.copyOfRange(b, from, from + len);
    }

    /** A little-endian two's-complement integer of {@code bytes} bytes. */
    private static long signed(byte[] b, int from, int bytes, int end) {
        need(b, from, bytes, end);
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[from + i] & 0xff);
        }
        int shift = 64 - 8 * bytes;
        return (v << shift) >> shift;
    }
}
