package io.cascade.server.commands;

import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;
import io.cascade.storage.types.ZRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Lex ranges as Redis finds them in each encoding. A lex range is meant for members that share one score; when
 * scores differ the answer depends on how the ends are searched: a listpack is walked member by member
 * (zzlFirstInLexRange, zzlLexCount), a skiplist is searched through its levels and counted by rank. Command
 * thread.
 */
final class ZLex {
    private ZLex() {
    }

    /** zzlIsInLexRange / zslIsInLexRange: the range is not empty, the last member >= min, the first <= max. */
    private static boolean mayIntersect(RZSet z, ZRange.Lex r) {
        return r.nonEmpty() && z.size() > 0 && r.gteMin(z.last().member()) && r.lteMax(z.first().member());
    }

    /** The first member in the range (Redis's first match for the encoding), or null. */
    static ZNode first(RZSet z, ZRange.Lex r) {
        if (!z.isListpack()) {
            return z.firstInLexRange(r);
        }
        if (!mayIntersect(z, r)) {
            return null;
        }
        for (ZNode n = z.first(); n != null; n = n.next()) {
            if (r.gteMin(n.member())) {
                return r.lteMax(n.member()) ? n : null;
            }
        }
        return null;
    }

    /** The last member in the range, or null. */
    static ZNode last(RZSet z, ZRange.Lex r) {
        if (!z.isListpack()) {
            return z.lastInLexRange(r);
        }
        if (!mayIntersect(z, r)) {
            return null;
        }
        for (ZNode n = z.last(); n != null; n = n.prev()) {
            if (r.lteMax(n.member())) {
                return r.gteMin(n.member()) ? n : null;
            }
        }
        return null;
    }

    /** ZLEXCOUNT: a listpack counts from the first match while members are <= max; a skiplist by ranks. */
    static long count(RZSet z, ZRange.Lex r) {
        if (!z.isListpack()) {
            return z.lexCount(r);
        }
        long n = 0;
        for (ZNode x = first(z, r); x != null && r.lteMax(x.member()); x = x.next()) {
            n++;
        }
        return n;
    }

    /** ZREMRANGEBYLEX: from the first match, while members are <= max. */
    static long remove(RZSet z, ZRange.Lex r) {
        if (!z.isListpack()) {
            return z.removeRangeByLex(r);
        }
        List<byte[]> gone = new ArrayList<>();
        for (ZNode x = first(z, r); x != null && r.lteMax(x.member()); x = x.next()) {
            gone.add(x.member());
        }
        for (byte[] m : gone) {
            z.remove(m);
        }
        return gone.size();
    }
}
