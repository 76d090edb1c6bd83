package io.cascade.server.commands;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandException;
import io.cascade.storage.types.G17;
import io.cascade.storage.types.ZRange;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The sorted-set family's number and range parsing (C's strtod as getDoubleFromObject and zslParseRange read
 * it, zslParseLexRange) and its member/score replies. Pure functions; command thread for the replies.
 */
final class ZScores {
    static final String NOT_FLOAT = "ERR value is not a valid float";
    static final String RANGE_NOT_FLOAT = "ERR min or max is not a float";
    static final String LEX_NOT_VALID = "ERR min or max not valid string range item";
    static final String NAN = "ERR resulting score is not a number (NaN)";

    private ZScores() {
    }

    /** One member and its score, kept apart from the set (a reply written after the set changed). */
    record Entry(byte[] member, double score) {
    }

    /** What strtod read: the value, the index after the number (the start when none), and errno == ERANGE. */
    record Strtod(double value, int end, boolean erange) {
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static int hexDigit(byte b) {
        return Character.digit(b & 0xff, 16);
    }

    private static boolean wordAt(byte[] s, int p, String w) {
        if (p + w.length() > s.length) {
            return false;
        }
        for (int i = 0; i < w.length(); i++) {
            if ((s[p + i] | 0x20) != w.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** glibc strtod in the C locale on s from offset: leading white space, sign, decimal, hex, inf, nan. */
    static Strtod strtod(byte[] s, int from) {
        int p = from;
        while (p < s.length && isSpace(s[p])) {
            p++;
        }
        boolean negative = false;
        if (p < s.length && (s[p] == '+' || s[p] == '-')) {
            negative = s[p] == '-';
            p++;
        }
        double sign = negative ? -1 : 1;
        if (wordAt(s, p, "inf")) {
            int end = wordAt(s, p, "infinity") ? p + 8 : p + 3;
            return new Strtod(sign * Double.POSITIVE_INFINITY, end, false);
        }
        if (wordAt(s, p, "nan")) {
            int end = p + 3;
            if (end < s.length && s[end] == '(') {
                int q = end + 1;
                while (q < s.length && (Character.isLetterOrDigit(s[q] & 0xff) && s[q] > 0 || s[q] == '_')) {
                    q++;
                }
                if (q < s.length && s[q] == ')') {
                    end = q + 1;
                }
            }
            return new Strtod(Double.NaN, end, false);
        }
        boolean hex = p + 1 < s.length && s[p] == '0' && (s[p + 1] | 0x20) == 'x'
                && (p + 2 < s.length && hexDigit(s[p + 2]) >= 0
                || p + 3 < s.length && s[p + 2] == '.' && hexDigit(s[p + 3]) >= 0);
        int start = hex ? p + 2 : p;
        int q = start;
        StringBuilder mantissa = new StringBuilder();
        boolean nonZero = false;
        int digits = 0;
        boolean point = false;
        while (q < s.length) {
            int d = hex ? hexDigit(s[q]) : (s[q] >= '0' && s[q] <= '9' ? s[q] - '0' : -1);
            if (d >= 0) {
                digits++;
                nonZero |= d != 0;
                mantissa.append((char) s[q]);
            } else if (s[q] == '.' && !point) {
                point = true;
                mantissa.append('.');
            } else {
                break;
            }
            q++;
        }
        if (digits == 0) {
            return new Strtod(0, from, false);
        }
        long exponent = 0;
        int e = q;
        if (e < s.length && (s[e] | 0x20) == (hex ? 'p' : 'e')) {
            int r = e + 1;
            boolean expNegative = false;
            if (r < s.length && (s[r] == '+' || s[r] == '-')) {
                expNegative = s[r] == '-';
                r++;
            }
            if (r < s.length && s[r] >= '0' && s[r] <= '9') {
                while (r < s.length && s[r] >= '0' && s[r] <= '9') {
                    exponent = Math.min(exponent * 10 + (s[r] - '0'), 1_000_000);
                    r++;
                }
                exponent = expNegative ? -exponent : exponent;
                q = r;
            }
        }
        String text = (negative ? "-" : "") + (hex ? "0x" : "") + mantissa + (hex ? "p" : "e") + exponent;
        double v = Double.parseDouble(text);
        boolean erange = Double.isInfinite(v) || (nonZero && Math.abs(v) < Double.MIN_NORMAL);
        return new Strtod(v, q, erange);
    }

    /** getDoubleFromObject: the whole argument is a number, no leading space, no overflow, not NaN. */
    static Double parseDouble(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) {
            return null;
        }
        Strtod r = strtod(s, 0);
        if (r.end() != s.length || Double.isNaN(r.value())
                || r.erange() && (Double.isInfinite(r.value()) || r.value() == 0)) {
            return null;
        }
        return r.value();
    }

    /** As parseDouble, or a CommandException with the given error. */
    static double doubleArg(byte[] s, String error) {
        Double d = parseDouble(s);
        if (d == null) {
            throw new CommandException(error);
        }
        return d;
    }

    /** One end of zslParseRange: "(" makes it exclusive; strtod must stop at the end or at a NUL byte. */
    private static double rangeEnd(byte[] s, int from) {
        Strtod r = strtod(s, from);
        if ((r.end() < s.length && s[r.end()] != 0) || Double.isNaN(r.value())) {
            throw new CommandException(RANGE_NOT_FLOAT);
        }
        return r.value();
    }

    /** zslParseRange, or "min or max is not a float". */
    static ZRange.Score scoreRange(byte[] min, byte[] max) {
        boolean minex = min.length > 0 && min[0] == '(';
        boolean maxex = max.length > 0 && max[0] == '(';
        double lo = rangeEnd(min, minex ? 1 : 0);
        double hi = rangeEnd(max, maxex ? 1 : 0);
        return new ZRange.Score(lo, minex, hi, maxex);
    }

    /** zslParseLexRange, or "min or max not valid string range item". */
    static ZRange.Lex lexRange(byte[] min, byte[] max) {
        ZRange.Lex r = ZRange.Lex.parse(min, max);
        if (r == null) {
            throw new CommandException(LEX_NOT_VALID);
        }
        return r;
    }

    /**
     * A score as a listpack holds it and ZSCAN of a listpack shows it: zzlInsertAt's integer when double2ll
     * takes the value (integral within +-2^62), else d2string ("%.17g", inf, -inf).
     */
    static byte[] listpackText(double d) {
        if (d >= -(double) (Long.MAX_VALUE / 2) && d <= (double) (Long.MAX_VALUE / 2) && (long) d == d) {
            return Long.toString((long) d).getBytes(StandardCharsets.US_ASCII);
        }
        return G17.format(d).getBytes(StandardCharsets.US_ASCII);
    }

    /** The array header of n entries: pairs flattened in RESP2 when withScores, [member, score] arrays in RESP3. */
    static void header(RespWriter r, long n, boolean withScores) {
        r.array((int) (withScores && !r.resp3() ? n * 2 : n));
    }

    /** One entry of such an array. */
    static void entry(RespWriter r, byte[] member, double score, boolean withScores) {
        if (withScores && r.resp3()) {
            r.array(2);
        }
        r.bulk(member);
        if (withScores) {
            r.doubleReply(score);
        }
    }

    /** A whole array of entries, as ZRANGE and ZUNION reply them. */
    static void entries(RespWriter r, List<Entry> list, boolean withScores) {
        header(r, list.size(), withScores);
        for (Entry e : list) {
            entry(r, e.member(), e.score(), withScores);
        }
    }
}
