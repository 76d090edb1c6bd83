package io.cascade.storage.rdb;

import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RZSet;

import java.util.List;
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
        String s = new String(text, java.nio.charset.StandardCharsets.US_ASCII).trim().toLowerCase(java.util.Locale.ROOT);
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

    private static long le64(RdbValueReader r) {
        return r.input().readLE(8, "a binary score");
    }
}
