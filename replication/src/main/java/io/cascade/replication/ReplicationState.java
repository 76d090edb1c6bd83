package io.cascade.replication;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This node's replication history, in Redis's names (spec section 1): replid, replid2, second_replid_offset,
 * master_repl_offset. Command thread only.
 */
public final class ReplicationState {
    public static final String NO_REPLID = "0000000000000000000000000000000000000000";
    private static final SecureRandom RANDOM = new SecureRandom();

    public String replid = randomReplid();
    public String replid2 = NO_REPLID;
    public long secondReplidOffset = -1;
    /** Offset of the last byte generated (master) or applied (replica) in this history. */
    public long masterReplOffset;

    public static String randomReplid() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A full sync's end: the master's history becomes ours (replid2 cleared). */
    public void adopt(String masterReplid, long offset) {
        replid = masterReplid;
        masterReplOffset = offset;
        clearReplid2();
    }

    /** +CONTINUE with a new replid, or a promotion: the old history stays valid up to this offset. */
    public void shift(String newReplid) {
        replid2 = replid;
        secondReplidOffset = masterReplOffset + 1;
        replid = newReplid;
    }

    public void clearReplid2() {
        replid2 = NO_REPLID;
        secondReplidOffset = -1;
    }
}
