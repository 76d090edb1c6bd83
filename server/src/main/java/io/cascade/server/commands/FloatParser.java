package io.cascade.server.commands;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * glibc strtold's grammar in the C locale, required to cover the whole input as Redis's string2ld demands:
 * [+-] then decimal digits with an optional '.' and e-exponent, or "0x" hex digits with an optional '.' and
 * p-exponent, or inf/infinity, or nan (always refused by Redis). Leading spaces are refused (string2ld checks
 * isspace on the first byte). One instance per parse, any thread.
 */
final class FloatParser {
    /** Beyond these decimal magnitudes (10^top) the value surely overflows, or surely rounds to zero. */
    private static final long DECIMAL_TOP_MAX = 4945;
    private static final long DECIMAL_TOP_MIN = -4960;
    private static final long BINARY_TOP_MAX = 16400;
    private static final long BINARY_TOP_MIN = -16500;

    private final byte[] s;
    private int p;

    FloatParser(byte[] s) {
        this.s = s;
    }

    /** The value; null when the text is not entirely a number or a finite literal overflows or underflows. */
    LongDouble parse() {
        boolean negative = false;
        if (p < s.length && (s[p] == '+' || s[p] == '-')) {
            negative = s[p] == '-';
            p++;
        }
        if (p == s.length) {
            return null;
        }
        int c = s[p] | 0x20;
        if (c == 'i') {
            String rest = new String(s, p, s.length - p, StandardCharsets.ISO_8859_1);
            return rest.equalsIgnoreCase("inf") || rest.equalsIgnoreCase("infinity")
                    ? LongDouble.infinity(negative) : null;
        }
        if (c == 'n') {
            return null; // "nan" and "nan(...)" parse, but Redis refuses NaN
        }
        LongDouble v;
        if (s[p] == '0' && p + 1 < s.length && (s[p + 1] | 0x20) == 'x') {
            p += 2;
            v = hex(negative);
        } else {
            v = decimal(negative);
        }
        // a finite literal that overflows (HUGE_VAL) or rounds to zero sets ERANGE: string2ld refuses both
        return v == null || !v.isFinite() ? null : v;
    }

    private LongDouble decimal(boolean negative) {
        StringBuilder digits = new StringBuilder();
        int fraction = 0;
        boolean any = false;
        while (p < s.length && isDigit(s[p])) {
            digits.append((char) s[p++]);
            any = true;
        }
        if (p < s.length && s[p] == '.') {
            p++;
            while (p < s.length && isDigit(s[p])) {
                digits.append((char) s[p++]);
                fraction++;
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        long exponent = exponent('e') - fraction;
        if (p != s.length) {
            return null;
        }
        int first = 0;
        while (first < digits.length() && digits.charAt(first) == '0') {
            first++;
        }
        if (first == digits.length()) {
            return LongDouble.ZERO;
        }
        int last = digits.length();
        while (digits.charAt(last - 1) == '0') {
            last--;
            exponent++;
        }
        long top = exponent + (last - first);
        if (top > DECIMAL_TOP_MAX) {
            return LongDouble.infinity(negative);
        }
        if (top < DECIMAL_TOP_MIN) {
            return null;
        }
        BigInteger num = new BigInteger(digits.substring(first, last));
        BigInteger den = BigInteger.ONE;
        if (exponent >= 0) {
            num = num.multiply(BigInteger.TEN.pow((int) exponent));
        } else {
            den = BigInteger.TEN.pow((int) -exponent);
        }
        return LongDouble.round(negative ? -1 : 1, num, den, 0, true);
    }

    private LongDouble hex(boolean negative) {
        StringBuilder digits = new StringBuilder();
        int fraction = 0;
        boolean any = false;
        while (p < s.length && Character.digit(s[p], 16) >= 0) {
            digits.append((char) s[p++]);
            any = true;
        }
        if (p < s.length && s[p] == '.') {
            p++;
            while (p < s.length && Character.digit(s[p], 16) >= 0) {
                digits.append((char) s[p++]);
                fraction++;
                any = true;
            }
        }
        if (!any) {
            return null; // strtold took only the "0" and stopped at the 'x'
        }
        long exponent = exponent('p') - 4L * fraction;
        if (p != s.length) {
            return null;
        }
        BigInteger num = new BigInteger(digits.toString(), 16);
        if (num.signum() == 0) {
            return LongDouble.ZERO;
        }
        long top = exponent + num.bitLength();
        if (top > BINARY_TOP_MAX) {
            return LongDouble.infinity(negative);
        }
        if (top < BINARY_TOP_MIN) {
            return null;
        }
        return LongDouble.round(negative ? -1 : 1, num, BigInteger.ONE, (int) exponent, true);
    }

    /**
     * An optional exponent introduced by {@code marker} (e or p), saturated far beyond any finite range. A
     * marker without digits is not part of the number (strtold stops before it), which leaves p there.
     */
    private long exponent(char marker) {
        if (p >= s.length || (s[p] | 0x20) != marker) {
            return 0;
        }
        int save = p;
        p++;
        boolean negative = false;
        if (p < s.length && (s[p] == '+' || s[p] == '-')) {
            negative = s[p] == '-';
            p++;
        }
        if (p >= s.length || !isDigit(s[p])) {
            p = save;
            return 0;
        }
        long v = 0;
        while (p < s.length && isDigit(s[p])) {
            v = Math.min(v * 10 + (s[p++] - '0'), 1_000_000_000L);
        }
        return negative ? -v : v;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
