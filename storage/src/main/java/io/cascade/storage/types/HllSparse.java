package io.cascade.storage.types;

import java.util.Arrays;

/**
 * The sparse HyperLogLog opcodes, edited exactly as Redis 7.0's hllSparseSet does (same splits, same merge of
 * adjacent VALs, same promotion points), so the resulting bytes are Redis's. Opcodes: ZERO 00xxxxxx (1..64
 * zero registers), XZERO 01xxxxxx yyyyyyyy (1..16384 zero registers), VAL 1vvvvvxx (1..4 registers of value
 * 1..32). Pure functions over a value's bytes, plus set() on a working HyperLogLog. Any single thread.
 */
final class HllSparse {
    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;

    private HllSparse() {
    }

    static boolean isZero(byte op) {
        return (op & 0xc0) == 0;
    }

    static boolean isXzero(byte op) {
        return (op & 0xc0) == 0x40;
    }

    static boolean isVal(byte op) {
        return (op & 0x80) != 0;
    }

    static int zeroLen(byte op) {
        return (op & 0x3f) + 1;
    }

    static int xzeroLen(byte[] b, int p) {
        return (((b[p] & 0x3f) << 8) | (b[p + 1] & 0xff)) + 1;
    }

    static int valValue(byte op) {
        return ((op >> 2) & 0x1f) + 1;
    }

    static int valLen(byte op) {
        return (op & 0x3) + 1;
    }

    static byte val(int value, int len) {
        return (byte) (((value - 1) << 2 | (len - 1)) | 0x80);
    }

    static void xzero(byte[] b, int p, int len) {
        int l = len - 1;
        b[p] = (byte) ((l >> 8) | 0x40);
        b[p + 1] = (byte) l;
    }

    /** The dense form of a sparse value (header copied, encoding set to dense), or null when corrupt. */
    static byte[] toDense(byte[] b, int len) {
        byte[] dense = new byte[HyperLogLog.DENSE_SIZE];
        System.arraycopy(b, 0, dense, 0, HyperLogLog.HDR_SIZE);
        dense[4] = HyperLogLog.DENSE;
        int idx = 0;
        int p = HyperLogLog.HDR_SIZE;
        while (p < len) {
            byte op = b[p];
            if (isZero(op)) {
                idx += zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                idx += xzeroLen(b, p);
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + idx > HyperLogLog.REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    HyperLogLog.denseSet(dense, HyperLogLog.HDR_SIZE, dense.length, idx, regval);
                    idx++;
                }
                p++;
            }
        }
        return idx == HyperLogLog.REGISTERS ? dense : null;
    }

    /** Redis's hllSparseRegHisto; false when the opcodes do not cover exactly 16384 registers. */
    static boolean histogram(byte[] b, int len, int[] histo) {
        int idx = 0;
        int p = HyperLogLog.HDR_SIZE;
        while (p < len) {
            byte op = b[p];
            if (isZero(op)) {
                int runlen = zeroLen(op);
                idx += runlen;
                histo[0] += runlen;
                p++;
            } else if (isXzero(op)) {
                int runlen = xzeroLen(b, p);
                idx += runlen;
                histo[0] += runlen;
                p += 2;
            } else {
                int runlen = valLen(op);
                idx += runlen;
                histo[valValue(op)] += runlen;
                p++;
            }
        }
        return idx == HyperLogLog.REGISTERS;
    }

    static boolean mergeInto(byte[] b, int len, byte[] max) {
        int i = 0;
        int p = HyperLogLog.HDR_SIZE;
        while (p < len) {
            byte op = b[p];
            if (isZero(op)) {
                i += zeroLen(op);
                p++;
            } else if (isXzero(op)) {
                i += xzeroLen(b, p);
                p += 2;
            } else {
                int runlen = valLen(op);
                int regval = valValue(op);
                if (runlen + i > HyperLogLog.REGISTERS) {
                    break;
                }
                while (runlen-- > 0) {
                    if (regval > max[i]) {
                        max[i] = (byte) regval;
                    }
                    i++;
                }
                p++;
            }
        }
        return i == HyperLogLog.REGISTERS;
    }

    /**
     * Redis's hllSparseSet: raises register index to count, splitting the opcode that covers it; promotes to
     * dense when count exceeds 32 or the value would grow past sparseMaxBytes. 1 changed, 0 not, -1 corrupt.
     */
    static int set(HyperLogLog h, int index, int count, long sparseMaxBytes) {
        if (count > VAL_MAX_VALUE) {
            return promote(h, index, count);
        }
        if (h.buf.length < h.len + 4) {
            h.buf = Arrays.copyOf(h.buf, h.len + 64); // room for the worst split (XZERO -> XZERO VAL XZERO)
        }
        byte[] b = h.buf;
        final int sparse = HyperLogLog.HDR_SIZE;
        int end = h.len;
        int p = sparse;
        int first = 0;
        int prev = -1;
        int span = 0;
        while (p < end) {
            int oplen = 1;
            byte op = b[p];
            if (isZero(op)) {
                span = zeroLen(op);
            } else if (isVal(op)) {
                span = valLen(op);
            } else {
                span = xzeroLen(b, p);
                oplen = 2;
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= end) {
            return -1;
        }
        int next = isXzero(b[p]) ? p + 2 : p + 1;
        if (next >= end) {
            next = -1;
        }
        byte op = b[p];
        boolean isZero = false;
        boolean isXzero = false;
        boolean isVal = false;
        int runlen;
        if (isZero(op)) {
            isZero = true;
            runlen = zeroLen(op);
        } else if (isXzero(op)) {
            isXzero = true;
            runlen = xzeroLen(b, p);
        } else {
            isVal = true;
            runlen = valLen(op);
        }

        boolean done = false;
        if (isVal) {
            if (valValue(op) >= count) {
                return 0; // the register already holds as much
            }
            if (runlen == 1) {
                b[p] = val(count, 1);
                done = true;
            }
        }
        if (!done && isZero && runlen == 1) {
            b[p] = val(count, 1);
            done = true;
        }
        if (!done) {
            // general case: split the opcode into up to three (left part, our VAL, right part)
            byte[] seq = new byte[5];
            int n = 0;
            int last = first + span - 1;
            if (isZero || isXzero) {
                if (index != first) {
                    n = zeros(seq, n, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    n = zeros(seq, n, last - index);
                }
            } else {
                int curval = valValue(op);
                if (index != first) {
                    seq[n++] = val(curval, index - first);
                }
                seq[n++] = val(count, 1);
                if (index != last) {
                    seq[n++] = val(curval, last - index);
                }
            }
            int oldlen = isXzero ? 2 : 1;
            int deltalen = n - oldlen;
            if (deltalen > 0 && h.len + deltalen > sparseMaxBytes) {
                return promote(h, index, count);
            }
            if (deltalen != 0 && next >= 0) {
                System.arraycopy(b, next, b, next + deltalen, end - next);
            }
            h.len += deltalen;
            System.arraycopy(seq, 0, b, p, n);
            end += deltalen;
            b[end] = 0; // as sds, a zero byte after the end (a truncated XZERO at the tail reads it)
        }

        // merge adjacent VALs of equal value, scanning up to 5 opcodes from the one before the change
        p = prev >= 0 ? prev : sparse;
        int scanlen = 5;
        while (p < end && scanlen-- != 0) {
            if (isXzero(b[p])) {
                p += 2;
                continue;
            } else if (isZero(b[p])) {
                p++;
                continue;
            }
            if (p + 1 < end && isVal(b[p + 1])) {
                int v1 = valValue(b[p]);
                int v2 = valValue(b[p + 1]);
                if (v1 == v2) {
                    int len = valLen(b[p]) + valLen(b[p + 1]);
                    if (len <= VAL_MAX_LEN) {
                        b[p + 1] = val(v1, len);
                        System.arraycopy(b, p + 1, b, p, end - p - 1);
                        h.len--;
                        end--;
                        b[end] = 0;
                        continue; // the merged VAL may merge again with the one on its right
                    }
                }
            }
            p++;
        }
        h.invalidateCache();
        return 1;
    }

    /** A ZERO or, past 64 registers, an XZERO opcode for len zero registers. */
    private static int zeros(byte[] seq, int n, int len) {
        if (len > ZERO_MAX_LEN) {
            xzero(seq, n, len);
            return n + 2;
        }
        seq[n] = (byte) (len - 1);
        return n + 1;
    }

    private static int promote(HyperLogLog h, int index, int count) {
        if (!h.toDense()) {
            return -1;
        }
        return h.denseRaise(index, count);
    }

    static String decode(byte[] b, int len) {
        StringBuilder out = new StringBuilder();
        int p = HyperLogLog.HDR_SIZE;
        while (p < len) {
            byte op = b[p];
            if (isZero(op)) {
                out.append("z:").append(zeroLen(op)).append(' ');
                p++;
            } else if (isXzero(op)) {
                out.append("Z:").append(xzeroLen(b, p)).append(' ');
                p += 2;
            } else {
                out.append("v:").append(valValue(op)).append(',').append(valLen(op)).append(' ');
                p++;
            }
        }
        int n = out.length();
        while (n > 0 && out.charAt(n - 1) == ' ') {
            n--;
        }
        return out.substring(0, n);
    }
}
