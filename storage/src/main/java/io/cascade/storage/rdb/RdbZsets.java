package io.cascade.storage.rdb;

import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RZSet;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * RdbValueReader's sorted sets: the skiplist forms (ZSET with text scores, ZSET_2 with binary ones) and the
 * member, score pairs of a listpack or pre-7.0 ziplist, each given the encoding rdbLoadObject gives it.
 * Pure functions over a reader; not thread-safe with it.
 */
final class RdbZsets {
    private RdbZsets() {
    }

    /**
     * A sorted set saved as a skiplist: length, then member and score pairs (any order), the score as 8 IEEE
     * bytes (ZSET_2) or as rdbSaveDoubleValue's text (ZSET). It becomes a listpack after loading when it is
     * within the limits, as rdbLoadObject converts it.
     */
    static RZSet readSkiplist(RdbValueReader r, boolean binary) {
        long n = RdbValueReader.nonEmpty(r.readLen());
        RZSet z = RZSet.createSkiplist();
        for (long i = 0; i < n; i++) {
            byte[] member = r.readString();
            double score = binary ? Double.longBitsToDouble(le64(r)) : readDoubleValue(r);
            if (Double.isNaN(score)) {
                throw new RdbFormatException("Zset with NAN score detected");
            }
            if (!z.addLoaded(member, score)) {
                throw new RdbFormatException("Duplicate zset fields detected");
            }
        }
        z.convertToListpackIfNeeded();
        return z;
    }

    /**
     * A listpack (or pre-7.0 ziplist) of member, score pairs: a listpack set, converted to a skiplist only
     * when longer than zset-max-listpack-entries (Redis does not look at the members' lengths here).
     */
    static RZSet fromPairs(List<byte[]> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new RdbFormatException("Zset listpack integrity check failed.");
        }
        RdbValueReader.nonEmpty(pairs.size());
        RZSet z = new RZSet();
        for (int i = 0; i < pairs.size(); i += 2) {
            double score = parseScore(pairs.get(i + 1));
            if (Double.isNaN(score) || !z.addLoaded(pairs.get(i), score)) {
                throw new RdbFormatException("Zset listpack integrity check failed.");
            }
        }
        if (z.size() > EncodingLimits.zsetMaxListpackEntries) {
            z.convertToSkiplist();
        }
        return z;
    }

    /** rdbLoadDoubleValue: a length byte (253 NaN, 254 +inf, 255 -inf), else that many bytes of "%lg" text. */
    private static double readDoubleValue(RdbValueReader r) {
        int len = r.readByte();
        switch (len) {
            case 255:
                return Double.NEGATIVE_INFINITY;
            case 254:
                return Double.POSITIVE_INFINITY;
            case 253:
                return Double.NaN;
            default:
                return parseScore(r.readRaw(len));
        }
    }

    /**
     * A score written as text (listpack entries, old RDB doubles): the integer of an integer entry, "inf" and
     * "-inf", or a decimal; anything unreadable is corrupt data.
     */
    /** A decimal score's text once its sign is off (compiled once: a load parses one per member). */
    private static final Pattern DECIMAL =
            Pattern.compile("([0-9]+\\.?[0-9]*|\\.[0-9]+)(e[+-]?[0-9]+)?");

    static double parseScore(byte[] text) {
        Long v = Ints.parse(text);
        if (v != null) {
            return v;
        }
        double quick = plainDecimal(text);
        if (!Double.isNaN(quick)) {
            return quick;
        }
        String s = new String(text, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT);
        String u = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
        if (u.equals("inf") || u.equals("infinity")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (u.equals("nan")) {
            return Double.NaN;
        }
        if (!DECIMAL.matcher(u).matches()) {
            throw new RdbFormatException("bad score text");
        }
        return Double.parseDouble(s);
    }

    /** 10^0 .. 10^22: every one exact as a double. */
    private static final double[] POWERS = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POWERS.length; i++) {
            POWERS[i] = p;
            p *= 10;
        }
    }

    /**
     * The common score text, "[+-]digits[.digits]" (what Redis writes for a non-integer score that needs no
     * exponent), read without the regex and the Strings of the general path: a load of small sorted sets
     * reads one per member, and that path was a tenth of a cold load's time. The digits as a long M and
     * p digits after the point give M / 10^p, which, with M below 2^53 and p at most 22, both exact doubles, is
     * the correctly rounded value, the same as Double.parseDouble's (Clinger's fast path). NaN when the text
     * is anything else (the general path decides).
     */
    static double plainDecimal(byte[] t) {
        int i = 0;
        boolean negative = false;
        if (t.length > 0 && (t[0] == '-' || t[0] == '+')) {
            negative = t[0] == '-';
            i = 1;
        }
        long m = 0;
        int digits = 0;
        int afterPoint = -1;
        for (; i < t.length; i++) {
            int c = t[i];
            if (c >= '0' && c <= '9') {
                if (++digits > 15) {
                    return Double.NaN; // M may pass 2^53: the general path
                }
                m = m * 10 + (c - '0');
                if (afterPoint >= 0) {
                    afterPoint++;
                }
            } else if (c == '.' && afterPoint < 0) {
                afterPoint = 0;
            } else {
                return Double.NaN; // an exponent, spaces, inf, nan, garbage
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        double d = afterPoint > 0 ? m / POWERS[afterPoint] : m;
        return negative ? -d : d;
    }

    private static long le64(RdbValueReader r) {
        return r.input().readLE(8, "a binary score");
    }
}
