package io.cascade.server.scripting;

import io.cascade.conf.CStrings;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The C number conversions the Lua libraries of Redis rely on, as glibc on x86-64 does them: printf's "%.Ng",
 * strtod (decimal, hexadecimal, inf, nan), and the double-to-integer casts (cvttsd2si gives INT64_MIN for
 * NaN and out-of-range values, where Java's casts saturate). Pure functions, any thread.
 */
final class CNumbers {
    private CNumbers() {
    }

    static final double TWO63 = 9223372036854775808.0;

    /** (int64_t) d as x86-64 computes it. */
    static long toInt64(double d) {
        if (Double.isNaN(d) || d >= TWO63 || d < -TWO63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    /** (int32_t) d as x86-64 computes it. */
    static int toInt32(double d) {
        if (Double.isNaN(d) || d >= 2147483648.0 || d <= -2147483649.0) {
            return Integer.MIN_VALUE;
        }
        return (int) d;
    }

    /** (uint64_t) d as gcc compiles it on x86-64: below 2^63 a signed conversion, else one of d - 2^63. */
    static long toUint64(double d) {
        if (!(d >= TWO63)) {
            return toInt64(d);
        }
        return toInt64(d - TWO63) ^ Long.MIN_VALUE;
    }

    /** (double) of an unsigned 64-bit value, rounded to nearest. */
    static double fromUint64(long v) {
        if (v >= 0) {
            return v;
        }
        return ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** printf("%.{precision}g", d) as glibc prints it. */
    static String formatG(double d, int precision) {
        boolean negative = Double.doubleToRawLongBits(d) < 0;
        String sign = negative ? "-" : "";
        if (Double.isNaN(d)) {
            return sign + "nan";
        }
        if (Double.isInfinite(d)) {
            return sign + "inf";
        }
        if (d == 0) {
            return sign + "0";
        }
        // glibc rounds the exact binary value, to nearest even
        BigDecimal v = new BigDecimal(Math.abs(d)).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = v.precision() - v.scale() - 1;
        String out;
        if (exponent >= -4 && exponent < precision) {
            out = CStrings.trimDouble(v.setScale(precision - 1 - exponent, RoundingMode.UNNECESSARY).toPlainString());
        } else {
            StringBuilder m = new StringBuilder(v.unscaledValue().toString());
            while (m.length() < precision) {
                m.append('0');
            }
            String mantissa = CStrings.trimDouble(m.length() > 1 ? m.charAt(0) + "." + m.substring(1, precision)
                    : m.toString());
            int e = Math.abs(exponent);
            out = mantissa + "e" + (exponent < 0 ? '-' : '+') + (e < 10 ? "0" : "") + e;
        }
        return sign + out;
    }

    /** What strtod read: the value and the index after the last character it used (start when none). */
    record Parsed(double value, int end) {
    }

    private static int at(byte[] b, int i) {
        return i < b.length ? b[i] & 0xff : 0;
    }

    private static boolean digit(int c) {
        return c >= '0' && c <= '9';
    }

    private static int hex(int c) {
        if (digit(c)) {
            return c - '0';
        }
        int l = c | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static boolean word(byte[] b, int i, String w) {
        for (int k = 0; k < w.length(); k++) {
            if ((at(b, i + k) | 0x20) != w.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** glibc's strtod on the bytes from start (the C string ends at the first NUL or the end of b). */
    static Parsed strtod(byte[] b, int start) {
        int i = start;
        while (at(b, i) == ' ' || (at(b, i) >= '\t' && at(b, i) <= '\r')) {
            i++;
        }
        boolean negative = false;
        if (at(b, i) == '+' || at(b, i) == '-') {
            negative = at(b, i) == '-';
            i++;
        }
        if (word(b, i, "inf")) {
            int end = word(b, i, "infinity") ? i + 8 : i + 3;
            return new Parsed(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, end);
        }
        if (word(b, i, "nan")) {
            int end = i + 3;
            if (at(b, end) == '(') {
                int k = end + 1;
                while (digit(at(b, k)) || ((at(b, k) | 0x20) >= 'a' && (at(b, k) | 0x20) <= 'z') || at(b, k) == '_') {
                    k++;
                }
                if (at(b, k) == ')') {
                    end = k + 1;
                }
            }
            // glibc keeps the sign of "-nan"
            return new Parsed(negative ? Double.longBitsToDouble(0xfff8000000000000L) : Double.NaN, end);
        }
        if (at(b, i) == '0' && (at(b, i + 1) | 0x20) == 'x') {
            Parsed h = hexFloat(b, i + 2, negative);
            if (h != null) {
                return h;
            }
            // "0x" without hex digits: only the 0 is a number
            return new Parsed(negative ? -0.0 : 0.0, i + 1);
        }
        StringBuilder t = new StringBuilder(negative ? "-" : "");
        int digits = 0;
        while (digit(at(b, i))) {
            t.append((char) at(b, i++));
            digits++;
        }
        if (at(b, i) == '.') {
            int k = i + 1;
            StringBuilder frac = new StringBuilder();
            while (digit(at(b, k))) {
                frac.append((char) at(b, k++));
            }
            if (digits > 0 || frac.length() > 0) {
                t.append('.').append(frac);
                digits += frac.length();
                i = k;
            }
        }
        if (digits == 0) {
            return new Parsed(0, start);
        }
        if ((at(b, i) | 0x20) == 'e') {
            int k = i + 1;
            StringBuilder e = new StringBuilder("e");
            if (at(b, k) == '+' || at(b, k) == '-') {
                e.append((char) at(b, k++));
            }
            if (digit(at(b, k))) {
                while (digit(at(b, k))) {
                    e.append((char) at(b, k++));
                }
                t.append(e);
                i = k;
            }
        }
        return new Parsed(Double.parseDouble(t.toString()), i);
    }

    /** The hexadecimal form after "0x": digits, an optional point and fraction, an optional p exponent. */
    private static Parsed hexFloat(byte[] b, int i, boolean negative) {
        StringBuilder mant = new StringBuilder();
        int digits = 0;
        while (hex(at(b, i)) >= 0) {
            mant.append((char) at(b, i++));
            digits++;
        }
        StringBuilder frac = new StringBuilder();
        if (at(b, i) == '.') {
            int k = i + 1;
            while (hex(at(b, k)) >= 0) {
                frac.append((char) at(b, k++));
            }
            if (digits > 0 || frac.length() > 0) {
                digits += frac.length();
                i = k;
            }
        }
        if (digits == 0) {
            return null;
        }
        String exp = "0";
        if ((at(b, i) | 0x20) == 'p') {
            int k = i + 1;
            StringBuilder e = new StringBuilder();
            if (at(b, k) == '+' || at(b, k) == '-') {
                e.append((char) at(b, k++));
            }
            if (digit(at(b, k))) {
                while (digit(at(b, k))) {
                    e.append((char) at(b, k++));
                }
                exp = e.toString();
                i = k;
            }
        }
        String text = (negative ? "-" : "") + "0x" + (mant.length() == 0 ? "0" : mant) + "." + frac + "p"
                + clampExponent(exp);
        return new Parsed(Double.parseDouble(text), i);
    }

    /** Java's parser takes the exponent as an int: beyond any double's range a bounded one reads the same. */
    private static String clampExponent(String exp) {
        String digits = exp.startsWith("+") || exp.startsWith("-") ? exp.substring(1) : exp;
        digits = digits.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 6) {
            return (exp.startsWith("-") ? "-" : "") + "999999";
        }
        return exp;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
