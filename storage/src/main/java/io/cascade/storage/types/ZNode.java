package io.cascade.storage.types;

/**
 * One member of a sorted set: its bytes, its score, and its links in the skip list (forward pointers with
 * spans, for ranks) and in the member table (hash chain). Callers walk a range with next()/prev() and must not
 * change the set while doing so. Command thread only.
 */
public final class ZNode {
    final byte[] member;
    double score;
    ZNode backward;
    final ZNode[] forward;
    /** span[i]: how many nodes forward[i] skips over (1 for the next node), Redis's level[i].span. */
    final int[] span;
    /** The member table's chain and the member's hash. */
    ZNode chain;
    final int hash;

    ZNode(int levels, byte[] member, double score, int hash) {
        this.member = member;
        this.score = score;
        this.forward = new ZNode[levels];
        this.span = new int[levels];
        this.hash = hash;
    }

    public byte[] member() {
        return member;
    }

    public double score() {
        return score;
    }

    /** The next member in (score, member) order, or null after the last. */
    public ZNode next() {
        return forward[0];
    }

    /** The previous member, or null before the first. */
    public ZNode prev() {
        return backward;
    }
}
