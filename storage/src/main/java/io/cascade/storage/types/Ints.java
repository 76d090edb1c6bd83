package io.cascade.storage.types;

import java.nio.charset.StandardCharsets;

/** Integer/bytes conversions with Redis's strictness (string2ll: canonical form only). Pure functions. */
public final class Ints {
    private Ints() {
    }

    /** The value of a canonical decimal 64-bit integer, or null (no spaces, '+', leading zeros, "-0"). */
    public static Long parse(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && b[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = b[0] == '-';
        if (negative && ++i == n) {
            return null;
        }
        if (b[i] < '1' || b[i] > '9') {
            return null;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d; // accumulate negatively so Long.MIN_VALUE parses
        }
        if (!negative) {
            return v == Long.MIN_VALUE ? null : -v;
        }
        return v;
    }

    public static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
