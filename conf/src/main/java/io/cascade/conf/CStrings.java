package io.cascade.conf;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * The C library number and string conventions Redis's config code leans on (strtoll, string2ll, strtod,
 * sdscatrepr, strerror, printf %f), reproduced so error cases and output match byte for byte. Pure, any thread.
 */
public final class CStrings {
    private CStrings() {
    }

    /** isspace() in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /** Result of strtoll: the value (clamped on overflow), where parsing stopped, and whether it overflowed. */
    record Strtoll(long value, int end, boolean overflow) {
        /** True when the whole string was consumed, i.e. C's {@code *endptr == '\0'}. */
        boolean complete(String s) {
            return end == s.length();
        }
    }

    /**
     * strtoll(s, &end, base) for base 8 or 10: leading blanks and a sign are allowed; with no digits at all the
     * end is 0 (C leaves endptr at the start), so an empty string "parses" as 0 with nothing left over.
     */
    static Strtoll strtoll(String s, int base) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int digitsStart = i;
        long limit = neg ? Long.MIN_VALUE : -Long.MAX_VALUE; // accumulate negatively to reach MIN_VALUE
        long acc = 0;
        boolean overflow = false;
        while (i < n) {
            int d = s.charAt(i) > 127 ? -1 : Character.digit(s.charAt(i), base);
            if (d < 0) {
                break;
            }
            if (!overflow) {
                try {
                    long next = Math.subtractExact(Math.multiplyExact(acc, base), d);
                    overflow = next < limit;
                    acc = overflow ? acc : next;
                } catch (ArithmeticException e) {
                    overflow = true;
                }
            }
            i++;
        }
        if (i == digitsStart) {
            return new Strtoll(0, 0, false);
        }
        long value = overflow ? (neg ? Long.MIN_VALUE : Long.MAX_VALUE) : (neg ? acc : -acc);
        return new Strtoll(value, i, overflow);
    }

    /** Redis's strict string2ll: optional '-', no leading zeros or blanks, no '+', at most 20 characters. */
    static Long string2ll(String s) {
        int n = s.length();
        if (n == 0 || n >= 21) {
            return null;
        }
        if (n == 1 && s.charAt(0) == '0') {
            return 0L;
        }
        int i = 0;
        boolean neg = false;
        if (s.charAt(0) == '-') {
            neg = true;
            i++;
            if (i == n) {
                return null;
            }
        }
        if (s.charAt(i) < '1' || s.charAt(i) > '9') {
            return null;
        }
        long v = 0; // unsigned accumulation, as in C
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                return null;
            }
            v *= 10;
            if (Long.compareUnsigned(v, -1L - (c - '0')) > 0) {
                return null;
            }
            v += c - '0';
        }
        if (neg) {
            return Long.compareUnsigned(v, Long.MIN_VALUE) > 0 ? null : -v;
        }
        return v < 0 ? null : v;
    }

    /**
     * Redis's string2d (strtod with no leading blank, whole string used, no NaN, no overflow). Accepts what
     * glibc's strtod accepts that matters here: decimal with exponent, "inf"/"infinity", hexadecimal floats.
     */
    static Double string2d(String s) {
        if (s.isEmpty() || isSpace(s.charAt(0))) {
            return null;
        }
        String body = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        double sign = s.startsWith("-") ? -1 : 1;
        String lower = body.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("infinity")) {
            return null; // strtod gives HUGE_VAL; Redis refuses it
        }
        double d;
        try {
            if (lower.matches("0x([0-9a-f]+\\.?[0-9a-f]*|\\.[0-9a-f]+)(p[+-]?[0-9]+)?")) {
                d = Double.parseDouble(lower.contains("p") ? "0x" + lower.substring(2) : lower + "p0");
            } else if (body.matches("([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
                d = Double.parseDouble(body);
            } else {
                return null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (Double.isInfinite(d)) {
            return null; // ERANGE with HUGE_VAL
        }
        return sign * d;
    }

    /** printf("%.Nf") with C's rounding of the exact binary value (Java's Formatter rounds differently). */
    static String formatFixed(double d, int decimals) {
        return new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Redis's trimDoubleString: drop trailing zeros after a '.', and the '.' itself if nothing is left. */
    public static String trimDouble(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /** sdscatrepr of the string's UTF-8 bytes. */
    static String repr(String value) {
        return SdsRepr.append(new StringBuilder(), value.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** strerror() text for the usual file errors, from Java's exception types and messages. */
    public static String strerror(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        String msg = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (msg == null) {
            return "Input/output error";
        }
        // java.io reports "path (reason)"; the reason is the C library's strerror text.
        int open = msg.lastIndexOf(" (");
        if (open >= 0 && msg.endsWith(")")) {
            return msg.substring(open + 2, msg.length() - 1);
        }
        return msg;
    }

    /** Latin-1 view of UTF-8 bytes: one char per byte, the form the line splitter works on. */
    static String toByteString(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Back from the one-char-per-byte form to a normal (UTF-8 decoded) string. */
    static String fromByteString(String bytes) {
        return new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
