package io.cascade.storage.rdb;

import java.util.Arrays;

/**
 * LZF as Redis ships it (lzf_c.c / lzf_d.c with HLOG 16, VERY_FAST, a fresh hash table per call): compress gives
 * byte for byte the output of Redis's lzf_compress for the same input and output room, so that DUMP payloads and
 * RDB files match redis-server's. Pure functions; any thread.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    /**
     * The hash table of one thread, kept between calls: zeroing 256 KiB per compressed string made saving
     * slower than everything else. Entries are stored as base + position; those of earlier calls are below this
     * call's base and so read as C's NULL, which gives the same output as a table zeroed for every call.
     */
    private static final class Table {
        final int[] htab = new int[HSIZE];
        int base = 1;
    }

    private static final ThreadLocal<Table> TABLE = ThreadLocal.withInitial(Table::new);

    private Lzf() {
    }

    private static int idx(int h) {
        // VERY_FAST's hash: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), on unsigned 32-bit arithmetic
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in} into at most {@code outLen} bytes; returns null when it does not fit (lzf_compress
     * returning 0). Redis asks for len - 4 bytes for strings and len bytes for quicklist nodes.
     */
    public static byte[] compress(byte[] in, int outLen) {
        int inLen = in.length;
        if (inLen == 0 || outLen <= 0) {
            return null;
        }
        byte[] out = new byte[outLen];
        Table t = TABLE.get();
        if (t.base > Integer.MAX_VALUE - inLen - 1) {
            Arrays.fill(t.htab, 0);
            t.base = 1;
        }
        int[] htab = t.htab;
        int base = t.base;
        t.base += inLen + 1; // whatever the outcome: this call's entries must read as stale in the next one
        int ip = 0;
        int op = 0;
        int lit = 0;
        op++; // start run
        int hval = (u(in, 0) << 8) | u(in, 1);
        while (ip < inLen - 2) {
            hval = (hval << 8) | u(in, ip + 2);
            int slot = idx(hval);
            // positions relative to base; anything older reads as negative, C's NULL (rejected like position 0)
            int ref = htab[slot] - base;
            htab[slot] = base + ip;
            int off = ip - ref - 1;
            if (ref > 0 && off >= 0 && off < MAX_OFF && in[ref + 2] == in[ip + 2] && in[ref] == in[ip]
                    && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxlen = inLen - ip - len;
                maxlen = Math.min(maxlen, MAX_REF);
                if (op + 3 + 1 >= outLen && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLen) {
                    return null;
                }
                out[op - lit - 1] = (byte) (lit - 1); // stop run
                op -= lit == 0 ? 1 : 0;               // undo run if length is zero
                len = matchLength(in, ref, ip, maxlen);
                len -= 2; // len is now #octets - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start run
                ip += len + 1;
                if (ip >= inLen - 2) {
                    break;
                }
                ip -= 2;
                hval = (u(in, ip) << 8) | u(in, ip + 1);
                hval = (hval << 8) | u(in, ip + 2);
                htab[idx(hval)] = base + ip;
                ip++;
                hval = (hval << 8) | u(in, ip + 2);
                htab[idx(hval)] = base + ip;
                ip++;
            } else {
                if (op >= outLen) {
                    return null;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLen) {
            return null;
        }
        while (ip < inLen) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1); // end run
        op -= lit == 0 ? 1 : 0;
        return Arrays.copyOf(out, op);
    }

    /**
     * The match length as lzf_c.c computes it: when more than 16 bytes may match it first compares 16 bytes
     * without looking at maxlen, so near the end of the input a match can run up to 2 bytes past maxlen.
     */
    private static int matchLength(byte[] in, int ref, int ip, int maxlen) {
        int len = 2;
        if (maxlen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[ref + len] != in[ip + len]) {
                    return len;
                }
            }
        }
        do {
            len++;
        } while (len < maxlen && in[ref + len] == in[ip + len]);
        return len;
    }

    private static int u(byte[] b, int i) {
        return i < b.length ? b[i] & 0xff : 0;
    }

    /** Decompresses into exactly {@code outLen} bytes; throws IllegalArgumentException on corrupt input. */
    public static byte[] decompress(byte[] in, int inOff, int inLen, int outLen) {
        byte[] out = new byte[outLen];
        int ip = inOff;
        int inEnd = inOff + inLen;
        int op = 0;
        while (ip < inEnd) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > inEnd) {
                    throw new IllegalArgumentException("lzf: literal run past the end");
                }
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else {
                int len = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (ip >= inEnd) {
                    throw new IllegalArgumentException("lzf: truncated back reference");
                }
                if (len == 7) {
                    len += in[ip++] & 0xff;
                    if (ip >= inEnd) {
                        throw new IllegalArgumentException("lzf: truncated back reference");
                    }
                }
                ref -= in[ip++] & 0xff;
                len += 2;
                if (op + len > outLen || ref < 0) {
                    throw new IllegalArgumentException("lzf: back reference out of range");
                }
                for (int i = 0; i < len; i++) {
                    out[op++] = out[ref++]; // byte by byte: the copy may overlap itself
                }
            }
        }
        if (op != outLen) {
            throw new IllegalArgumentException("lzf: decompressed length differs");
        }
        return out;
    }
}
