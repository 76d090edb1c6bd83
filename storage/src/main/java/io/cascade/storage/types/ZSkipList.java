package io.cascade.storage.types;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The ordered half of a sorted set: a skip list by (score, member in memcmp order), as Redis's zskiplist, whose
 * forward pointers carry spans so that ranks are found in O(log n) too. Levels are drawn with p = 1/4 up to 32.
 * Ranks here are 1-based as in Redis (0 = not found). Command thread only.
 */
final class ZSkipList {
    static final int MAX_LEVEL = 32;
    private static final SplittableRandom RANDOM = new SplittableRandom();

    final ZNode header = new ZNode(MAX_LEVEL, null, 0, 0);
    ZNode tail;
    int length;
    int level = 1;

    /** -1, 0 or 1 as (score, member) sorts before, with, or after (node's score, node's member). */
    static int compare(double score, byte[] member, ZNode node) {
        if (score != node.score) {
            return score < node.score ? -1 : 1;
        }
        return Arrays.compareUnsigned(member, node.member);
    }

    private static int randomLevel() {
        int l = 1;
        while (l < MAX_LEVEL && (RANDOM.nextInt() & 0xffff) < 0xffff / 4) {
            l++;
        }
        return l;
    }

    /** Inserts a member known to be absent (the member table says so) and returns its node. */
    ZNode insert(double score, byte[] member, int hash) {
        ZNode[] update = new ZNode[MAX_LEVEL];
        int[] rank = new int[MAX_LEVEL];
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            rank[i] = i == level - 1 ? 0 : rank[i + 1];
            while (x.forward[i] != null && compare(score, member, x.forward[i]) > 0) {
                rank[i] += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        int l = randomLevel();
        if (l > level) {
            for (int i = level; i < l; i++) {
                rank[i] = 0;
                update[i] = header;
                update[i].span[i] = length;
            }
            level = l;
        }
        ZNode n = new ZNode(l, member, score, hash);
        for (int i = 0; i < l; i++) {
            n.forward[i] = update[i].forward[i];
            update[i].forward[i] = n;
            n.span[i] = update[i].span[i] - (rank[0] - rank[i]);
            update[i].span[i] = (rank[0] - rank[i]) + 1;
        }
        for (int i = l; i < level; i++) {
            update[i].span[i]++;
        }
        n.backward = update[0] == header ? null : update[0];
        if (n.forward[0] != null) {
            n.forward[0].backward = n;
        } else {
            tail = n;
        }
        length++;
        return n;
    }

    /** The nodes before the given position at every level (the path a search for it takes). */
    private ZNode[] pathTo(double score, byte[] member) {
        ZNode[] update = new ZNode[MAX_LEVEL];
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(score, member, x.forward[i]) > 0) {
                x = x.forward[i];
            }
            update[i] = x;
        }
        return update;
    }

    /** Unlinks the node found by the search; the caller knows it is present. */
    void delete(ZNode node) {
        unlink(node, pathTo(node.score, node.member));
    }

    private void unlink(ZNode x, ZNode[] update) {
        for (int i = 0; i < level; i++) {
            if (update[i].forward[i] == x) {
                update[i].span[i] += x.span[i] - 1;
                update[i].forward[i] = x.forward[i];
            } else {
                update[i].span[i]--;
            }
        }
        if (x.forward[0] != null) {
            x.forward[0].backward = x.backward;
        } else {
            tail = x.backward;
        }
        while (level > 1 && header.forward[level - 1] == null) {
            level--;
        }
        length--;
    }

    /**
     * Moves a node to its place for a new score (Redis's zslUpdateScore): in place when the order does not
     * change, else unlinked and inserted again. Returns the node now holding the member.
     */
    ZNode updateScore(ZNode node, double newScore) {
        ZNode prev = node.backward;
        ZNode next = node.forward[0];
        if ((prev == null || prev.score < newScore || (prev.score == newScore
                && Arrays.compareUnsigned(prev.member, node.member) < 0))
                && (next == null || next.score > newScore || (next.score == newScore
                && Arrays.compareUnsigned(next.member, node.member) > 0))) {
            node.score = newScore;
            return node;
        }
        delete(node);
        return insert(newScore, node.member, node.hash);
    }

    /** The 1-based rank of a present node. */
    int rank(ZNode node) {
        int rank = 0;
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && compare(node.score, node.member, x.forward[i]) >= 0) {
                rank += x.span[i];
                x = x.forward[i];
            }
            if (x == node) {
                return rank;
            }
        }
        return 0;
    }

    /** The node at a 1-based rank, or null when out of range. */
    ZNode byRank(long rank) {
        if (rank < 1 || rank > length) {
            return null;
        }
        long traversed = 0;
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] <= rank) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            if (traversed == rank) {
                return x;
            }
        }
        return null;
    }

    ZNode first() {
        return header.forward[0];
    }

    private boolean inRange(ZRange.Score r) {
        return r.nonEmpty() && tail != null && r.gteMin(tail.score) && r.lteMax(header.forward[0].score);
    }

    /** The first node whose score is inside the range, or null (zslNthInRange with n = 0). */
    ZNode firstInRange(ZRange.Score r) {
        if (!inRange(r)) {
            return null;
        }
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !r.gteMin(x.forward[i].score)) {
                x = x.forward[i];
            }
        }
        x = x.forward[0];
        return x != null && r.lteMax(x.score) ? x : null;
    }

    /** The last node whose score is inside the range, or null. */
    ZNode lastInRange(ZRange.Score r) {
        if (!inRange(r)) {
            return null;
        }
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && r.lteMax(x.forward[i].score)) {
                x = x.forward[i];
            }
        }
        return x != header && r.gteMin(x.score) ? x : null;
    }

    private boolean inLexRange(ZRange.Lex r) {
        return r.nonEmpty() && tail != null && r.gteMin(tail.member) && r.lteMax(header.forward[0].member);
    }

    ZNode firstInLexRange(ZRange.Lex r) {
        if (!inLexRange(r)) {
            return null;
        }
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && !r.gteMin(x.forward[i].member)) {
                x = x.forward[i];
            }
        }
        x = x.forward[0];
        return x != null && r.lteMax(x.member) ? x : null;
    }

    ZNode lastInLexRange(ZRange.Lex r) {
        if (!inLexRange(r)) {
            return null;
        }
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && r.lteMax(x.forward[i].member)) {
                x = x.forward[i];
            }
        }
        return x != header && r.gteMin(x.member) ? x : null;
    }

    /** Deletes the nodes of 1-based ranks start..end (inclusive, within bounds), telling removed about each. */
    long deleteRangeByRank(long start, long end, Consumer<ZNode> removed) {
        ZNode[] update = new ZNode[MAX_LEVEL];
        long traversed = 0;
        ZNode x = header;
        for (int i = level - 1; i >= 0; i--) {
            while (x.forward[i] != null && traversed + x.span[i] < start) {
                traversed += x.span[i];
                x = x.forward[i];
            }
            update[i] = x;
        }
        traversed++;
        x = x.forward[0];
        long n = 0;
        while (x != null && traversed <= end) {
            ZNode next = x.forward[0];
            unlink(x, update);
            removed.accept(x);
            n++;
            traversed++;
            x = next;
        }
        return n;
    }

    /** Deletes the nodes from first on while still inside the range (first from firstIn*Range). */
    long deleteFrom(ZNode first, Predicate<ZNode> inside, Consumer<ZNode> removed) {
        if (first == null) {
            return 0;
        }
        ZNode[] update = pathTo(first.score, first.member);
        long n = 0;
        for (ZNode x = first; x != null && inside.test(x); ) {
            ZNode next = x.forward[0];
            unlink(x, update);
            removed.accept(x);
            n++;
            x = next;
        }
        return n;
    }
}
