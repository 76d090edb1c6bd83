package io.cascade.storage.types;

import java.util.Arrays;

/**
 * The two kinds of sorted-set ranges (Redis's zrangespec and zlexrangespec), with Redis's inclusion tests.
 * Immutable; any thread.
 */
public final class ZRange {
    private ZRange() {
    }

    /** A score interval; minex/maxex make an end exclusive, as "(1.5" does. */
    public record Score(double min, boolean minex, double max, boolean maxex) {
        public boolean gteMin(double v) {
            return minex ? v > min : v >= min;
        }

        public boolean lteMax(double v) {
            return maxex ? v < max : v <= max;
        }

        /** False when no score can be inside (min > max, or equal ends with one exclusive): zslIsInRange's first test. */
        public boolean nonEmpty() {
            return !(min > max || (min == max && (minex || maxex)));
        }
    }

    /**
     * A member interval in memcmp order. The ends are the bytes after '[' or '(', or MIN / MAX for "-" and "+"
     * (compared by identity, as Redis's shared.minstring and shared.maxstring).
     */
    public record Lex(byte[] min, boolean minex, byte[] max, boolean maxex) {
        public static final byte[] MIN = new byte[0];
        public static final byte[] MAX = new byte[0];

        /**
         * zslParseLexRange: each end is "-", "+", or '(' / '[' followed by the bytes; null when either is not
         * (Redis's "ERR min or max not valid string range item").
         */
        public static Lex parse(byte[] min, byte[] max) {
            byte[][] ends = new byte[2][];
            boolean[] ex = new boolean[2];
            byte[][] in = {min, max};
            for (int i = 0; i < 2; i++) {
                byte[] s = in[i];
                if (s.length == 0) {
                    return null;
                }
                switch (s[0]) {
                    case '+', '-' -> {
                        // Redis reads the C string: "+" followed by a NUL byte counts as "+"
                        if (s.length != 1 && s[1] != 0) {
                            return null;
                        }
                        ex[i] = true; // as Redis sets it; it matters only for "+" to "+" (empty)
                        ends[i] = s[0] == '+' ? MAX : MIN;
                    }
                    case '(', '[' -> {
                        ex[i] = s[0] == '(';
                        ends[i] = Arrays.copyOfRange(s, 1, s.length);
                    }
                    default -> {
                        return null;
                    }
                }
            }
            return new Lex(ends[0], ex[0], ends[1], ex[1]);
        }

        /** sdscmplex: MIN is below everything, MAX above everything, else memcmp. */
        static int compare(byte[] a, byte[] b) {
            if (a == b) {
                return 0;
            }
            if (a == MIN || b == MAX) {
                return -1;
            }
            if (a == MAX || b == MIN) {
                return 1;
            }
            return Arrays.compareUnsigned(a, b);
        }

        public boolean gteMin(byte[] v) {
            int c = compare(v, min);
            return minex ? c > 0 : c >= 0;
        }

        public boolean lteMax(byte[] v) {
            int c = compare(v, max);
            return maxex ? c < 0 : c <= 0;
        }

        /** zslIsInLexRange's first test: false when the interval is empty whatever the members. */
        public boolean nonEmpty() {
            int c = compare(min, max);
            return !(c > 0 || (c == 0 && (minex || maxex)));
        }
    }
}
