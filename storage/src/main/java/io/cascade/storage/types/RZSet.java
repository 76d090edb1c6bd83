package io.cascade.storage.types;

import io.cascade.storage.RType;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A sorted-set value: members with double scores in (score, member memcmp) order, held in a skip list with
 * spans (ranks and ranges in O(log n)) plus a member table (score lookup in O(1)), whatever the encoding. The
 * encoding is the one Redis would report: listpack while small (zset-max-listpack-entries/value, checked when
 * a member is added), skiplist after, and never back except by convertToListpackIfNeeded as Redis's
 * zsetConvertToListpackIfNeeded. Redis writes an integral score as an integer into a listpack, so a -0 that
 * enters a listpack-encoded set becomes 0, and that is normalized here (only a listpack loaded as it is from
 * an RDB, as addLoaded takes it, can still hold the text "-0").
 * Scores are never NaN. Ranks in this API are 0-based. Command thread only.
 */
public final class RZSet implements RValue {
    /** Redis's LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past 1 GB. */
    private static final long LISTPACK_MAX_SAFETY_SIZE = 1L << 30;

    /** Receives one member and its score. */
    @FunctionalInterface
    public interface EntryVisitor {
        void accept(byte[] member, double score);
    }

    private final ZSkipList list = new ZSkipList();
    private final ZMembers members = new ZMembers();
    private boolean skiplist;

    /** An empty listpack-encoded set (createZsetListpackObject). */
    public RZSet() {
    }

    /** An empty skiplist-encoded set (createZsetObject). */
    public static RZSet createSkiplist() {
        RZSet z = new RZSet();
        z.skiplist = true;
        return z;
    }

    /**
     * The set ZADD creates for a missing key: a skiplist when listpacks are disabled (entries 0) or when the
     * first member given is longer than zset-max-listpack-value, else a listpack.
     */
    public static RZSet createFor(byte[] firstMember) {
        return EncodingLimits.zsetMaxListpackEntries == 0 || firstMember.length > EncodingLimits.zsetMaxListpackValue
                ? createSkiplist() : new RZSet();
    }

    /** The destination set of ZRANGESTORE and the like, for an expected length (zrangeResultBeginStore). */
    public static RZSet createForLength(long length) {
        return length > EncodingLimits.zsetMaxListpackEntries ? createSkiplist() : new RZSet();
    }

    @Override
    public RType type() {
        return RType.ZSET;
    }

    @Override
    public int size() {
        return list.length;
    }

    @Override
    public String encoding() {
        return skiplist ? "skiplist" : "listpack";
    }

    public boolean isListpack() {
        return !skiplist;
    }

    public boolean isSkiplist() {
        return skiplist;
    }

    /** zsetConvert to skiplist (also what SORT does to the set it sorts). */
    public void convertToSkiplist() {
        skiplist = true;
    }

    /**
     * zsetConvertToListpackIfNeeded: back to a listpack when the set is within both limits (and the listpack
     * would stay under 1 GB). Returns whether the set is a listpack now.
     */
    public boolean convertToListpackIfNeeded() {
        if (!skiplist) {
            return true;
        }
        long max = 0;
        long total = 0;
        for (ZNode n = list.first(); n != null; n = n.next()) {
            max = Math.max(max, n.member.length);
            total += n.member.length;
        }
        if (list.length <= EncodingLimits.zsetMaxListpackEntries && max <= EncodingLimits.zsetMaxListpackValue
                && total <= LISTPACK_MAX_SAFETY_SIZE) {
            skiplist = false;
            for (ZNode n = list.first(); n != null; n = n.next()) {
                n.score = listpackScore(n.score); // -0 == 0: the order does not change
            }
        }
        return !skiplist;
    }

    /** What a score becomes once stored in a listpack: the same double, except that -0 reads back as 0. */
    private static double listpackScore(double score) {
        return score == 0 ? 0.0 : score;
    }

    private ZNode node(byte[] member) {
        return members.find(member, ZMembers.hash(member));
    }

    public boolean contains(byte[] member) {
        return node(member) != null;
    }

    /** The member's score, or null when it is not in the set. */
    public Double score(byte[] member) {
        ZNode n = node(member);
        return n == null ? null : n.score;
    }

    /** The member's node (score, and a place to walk from), or null. */
    public ZNode find(byte[] member) {
        return node(member);
    }

    /**
     * Adds a member or changes its score (zsetAdd without flags; the ZADD options are the caller's). A new
     * member converts a listpack to a skiplist first when the set would pass zset-max-listpack-entries or the
     * member is longer than zset-max-listpack-value. A score equal to the current one (0 and -0 included)
     * changes nothing. Returns true when the member is new.
     */
    public boolean add(byte[] member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted set score cannot be NaN");
        }
        int hash = ZMembers.hash(member);
        ZNode n = members.find(member, hash);
        if (n != null) {
            if (n.score != score) {
                ZNode moved = list.updateScore(n, skiplist ? score : listpackScore(score));
                members.replace(n, moved);
            }
            return false;
        }
        if (!skiplist && ((long) list.length + 1 > EncodingLimits.zsetMaxListpackEntries
                || member.length > EncodingLimits.zsetMaxListpackValue)) {
            skiplist = true;
        }
        members.add(list.insert(skiplist ? score : listpackScore(score), member, hash));
        return true;
    }

    /**
     * Adds a member without any encoding decision or score normalization (RDB load and the compact decoder,
     * which decide the encoding themselves; a listpack loaded from an RDB may hold the string "-0", which reads
     * back as -0). Returns false, changing nothing, when the member is already there.
     */
    public boolean addLoaded(byte[] member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("a sorted set score cannot be NaN");
        }
        int hash = ZMembers.hash(member);
        if (members.find(member, hash) != null) {
            return false;
        }
        members.add(list.insert(score, member, hash));
        return true;
    }

    /** Removes a member; true when it was there. The encoding stays (Redis never converts back on ZREM). */
    public boolean remove(byte[] member) {
        ZNode n = node(member);
        if (n == null) {
            return false;
        }
        list.delete(n);
        members.remove(n);
        return true;
    }

    /** The member's 0-based rank, from the highest score when reverse; -1 when it is not in the set. */
    public long rank(byte[] member, boolean reverse) {
        ZNode n = node(member);
        if (n == null) {
            return -1;
        }
        long r = list.rank(n) - 1;
        return reverse ? list.length - 1 - r : r;
    }

    /** The member at a 0-based rank from the lowest score, or null when out of range. */
    public ZNode byRank(long rank) {
        return list.byRank(rank + 1);
    }

    /** The lowest member, or null when empty. */
    public ZNode first() {
        return list.first();
    }

    /** The highest member, or null when empty. */
    public ZNode last() {
        return list.tail;
    }

    public ZNode firstInRange(ZRange.Score r) {
        return list.firstInRange(r);
    }

    public ZNode lastInRange(ZRange.Score r) {
        return list.lastInRange(r);
    }

    public ZNode firstInLexRange(ZRange.Lex r) {
        return list.firstInLexRange(r);
    }

    public ZNode lastInLexRange(ZRange.Lex r) {
        return list.lastInLexRange(r);
    }

    /** Members with a score in the range (ZCOUNT), from the ranks of both ends. */
    public long count(ZRange.Score r) {
        ZNode a = list.firstInRange(r);
        return a == null ? 0 : list.rank(list.lastInRange(r)) - list.rank(a) + 1;
    }

    /** Members inside the lex range (ZLEXCOUNT). */
    public long lexCount(ZRange.Lex r) {
        ZNode a = list.firstInLexRange(r);
        return a == null ? 0 : list.rank(list.lastInLexRange(r)) - list.rank(a) + 1;
    }

    /** Removes the members of 0-based ranks start..end (clamped to the set); returns how many went. */
    public long removeRangeByRank(long start, long end) {
        start = Math.max(0, start);
        end = Math.min(end, list.length - 1L);
        if (start > end) {
            return 0;
        }
        return list.deleteRangeByRank(start + 1, end + 1, members::remove);
    }

    public long removeRangeByScore(ZRange.Score r) {
        return list.deleteFrom(list.firstInRange(r), n -> r.lteMax(n.score), members::remove);
    }

    public long removeRangeByLex(ZRange.Lex r) {
        return list.deleteFrom(list.firstInLexRange(r), n -> r.lteMax(n.member), members::remove);
    }

    /** A uniformly chosen member, or null when empty. */
    public ZNode random(RandomGenerator random) {
        return list.length == 0 ? null : list.byRank(1 + random.nextInt(list.length));
    }

    /** Every member in ascending (score, member) order. */
    public void forEach(EntryVisitor visitor) {
        for (ZNode n = list.first(); n != null; n = n.next()) {
            visitor.accept(n.member, n.score);
        }
    }

    /** Every member from the highest to the lowest. */
    public void forEachReverse(EntryVisitor visitor) {
        for (ZNode n = list.tail; n != null; n = n.prev()) {
            visitor.accept(n.member, n.score);
        }
    }

    /** One ZSCAN step over a skiplist-encoded set's member table (a listpack is answered whole, in order). */
    public long scanStep(long cursor, Consumer<ZNode> visitor) {
        return members.scanStep(cursor, visitor);
    }

    /** A deep copy with the same encoding (zsetDup). */
    public RZSet copy() {
        RZSet z = new RZSet();
        z.skiplist = skiplist;
        for (ZNode n = list.tail; n != null; n = n.prev()) {
            z.members.add(z.list.insert(n.score, n.member, n.hash));
        }
        return z;
    }
}
