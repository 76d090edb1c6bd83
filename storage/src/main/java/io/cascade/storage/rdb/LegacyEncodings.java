package io.cascade.storage.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decoders for the encodings older Redis versions wrote and 7.0 still loads: the ziplist (lists, hashes and
 * sorted sets before 7.0, quicklist v1 nodes) and the zipmap (hashes before 2.6). Read only: Redis 7.0 never
 * writes them. Pure functions.
 */
public final class LegacyEncodings {
    private LegacyEncodings() {
    }

    /** The entries of a ziplist, integers as decimal text; checks its header, bounds and terminator. */
    public static List<byte[]> ziplist(byte[] zl) {
        if (zl.length < 11) {
            throw new RdbFormatException("ziplist too short");
        }
        long total = u32(zl, 0);
        if (total != zl.length || (zl[zl.length - 1] & 0xff) != 0xff) {
            throw new RdbFormatException("ziplist header or terminator wrong");
        }
        int declared = (zl[8] & 0xff) | (zl[9] & 0xff) << 8;
        int end = zl.length - 1;
        int p = 10;
        List<byte[]> out = new ArrayList<>();
        while (p < end) {
            // previous entry length: 1 byte, or 0xfe and 4 bytes
            p += (zl[p] & 0xff) == 0xfe ? 5 : 1;
            need(p, 1, end);
            int b = zl[p] & 0xff;
            switch (b >>> 6) {
                case 0 -> {
                    int len = b & 0x3f;
                    out.add(slice(zl, p + 1, len, end));
                    p += 1 + len;
                }
                case 1 -> {
                    need(p, 2, end);
                    int len = ((b & 0x3f) << 8) | (zl[p + 1] & 0xff);
                    out.add(slice(zl, p + 2, len, end));
                    p += 2 + len;
                }
                case 2 -> {
                    need(p, 5, end);
                    long len = (zl[p + 1] & 0xffL) << 24 | (zl[p + 2] & 0xffL) << 16 | (zl[p + 3] & 0xffL) << 8
                            | (zl[p + 4] & 0xffL);
                    if (len > end) {
                        throw new RdbFormatException("ziplist string too long");
                    }
                    out.add(slice(zl, p + 5, (int) len, end));
                    p += 5 + (int) len;
                }
                default -> {
                    int n;
                    if (b == 0xc0) {
                        n = 2;
                    } else if (b == 0xd0) {
                        n = 4;
                    } else if (b == 0xe0) {
                        n = 8;
                    } else if (b == 0xf0) {
                        n = 3;
                    } else if (b == 0xfe) {
                        n = 1;
                    } else if (b >= 0xf1 && b <= 0xfd) {
                        n = 0;
                    } else {
                        throw new RdbFormatException("ziplist bad encoding byte");
                    }
                    need(p + 1, n, end);
                    long v = n == 0 ? (b & 0x0f) - 1 : le(zl, p + 1, n);
                    out.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                    p += 1 + n;
                }
            }
        }
        if (p != end || (declared != 0xffff && declared != out.size())) {
            throw new RdbFormatException("ziplist entries do not match its header");
        }
        return out;
    }

    /** The fields and values of a zipmap, alternating. */
    public static List<byte[]> zipmap(byte[] zm) {
        List<byte[]> out = new ArrayList<>();
        int end = zm.length;
        int p = 1; // the first byte is the (saturating) element count
        while (true) {
            need(p, 1, end);
            int b = zm[p] & 0xff;
            if (b == 0xff) {
                break;
            }
            int[] lenAt = zipmapLen(zm, p, end);
            byte[] field = slice(zm, lenAt[1], lenAt[0], end);
            p = lenAt[1] + lenAt[0];
            need(p, 1, end);
            lenAt = zipmapLen(zm, p, end);
            need(lenAt[1], 1, end);
            int free = zm[lenAt[1]] & 0xff;
            byte[] value = slice(zm, lenAt[1] + 1, lenAt[0], end);
            p = lenAt[1] + 1 + lenAt[0] + free;
            out.add(field);
            out.add(value);
        }
        if (p != end - 1) {
            throw new RdbFormatException("zipmap has trailing bytes");
        }
        return out;
    }

    /** {length, position of the data}: one byte below 254, else 254 and a 32-bit little-endian length. */
    private static int[] zipmapLen(byte[] zm, int p, int end) {
        int b = zm[p] & 0xff;
        if (b < 254) {
            return new int[] {b, p + 1};
        }
        if (b == 254) {
            need(p, 5, end);
            long len = u32(zm, p + 1);
            if (len > end) {
                throw new RdbFormatException("zipmap length too large");
            }
            return new int[] {(int) len, p + 5};
        }
        throw new RdbFormatException("zipmap bad length byte");
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static long le(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xff);
        }
        int shift = 64 - 8 * bytes;
        return (v << shift) >> shift;
    }

    private static void need(int p, int n, int end) {
        if (p < 0 || p + n > end) {
            throw new RdbFormatException("entry past the end");
        }
    }

    private static byte[] slice(byte[] b, int from, int len, int end) {
        need(from, len, end);
        return Arrays.copyOfRange(b, from, from + len);
    }
}
