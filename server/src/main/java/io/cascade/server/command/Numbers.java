package io.cascade.server.command;

/** Strict number parsing as Redis's string2ll (no spaces, no '+', no leading zeros). Pure functions. */
public final class Numbers {
    private Numbers() {
    }

    /** Returns null when the bytes are not a canonical 64-bit integer. */
    public static Long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && b[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean negative = b[0] == '-';
        if (negative) {
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return null;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate negatively so Long.MIN_VALUE parses
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!negative) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            return -v;
        }
        return v;
    }
}
