package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.Keyspace;

import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence by Redis's
 * dynamic-programming table, walked back from the end so that the string, the ranges and their order are
 * Redis's own. Command thread.
 */
final class LcsCommand {
    private LcsCommand() {
    }

    static void lcs(CommandContext c) {
        byte[] a = stringOrEmpty(c, c.argv[1]);
        byte[] b = stringOrEmpty(c, c.argv[2]);
        if (a == null || b == null) {
            throw new CommandException("ERR The specified keys must contain string values");
        }
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc(); j++) {
            String opt = StringOptions.cString(c.argv[j]);
            boolean moreArgs = j < c.argc() - 1;
            if (opt.equals("idx")) {
                getIdx = true;
            } else if (opt.equals("len")) {
                getLen = true;
            } else if (opt.equals("withmatchlen")) {
                withMatchLen = true;
            } else if (opt.equals("minmatchlen") && moreArgs) {
                minMatchLen = Math.max(0, c.longArg(++j));
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (getLen && getIdx) {
            throw new CommandException("ERR If you want both the length and indexes, please just use IDX.");
        }
        int[] table = table(c, a, b);
        int blen1 = b.length + 1;
        int total = table[a.length * blen1 + b.length];
        if (getLen) {
            c.reply.integer(total);
            return;
        }
        byte[] result = new byte[total];
        List<long[]> matches = walk(a, b, table, result, minMatchLen);
        if (!getIdx) {
            c.reply.bulk(result);
            return;
        }
        c.reply.map(2);
        c.reply.bulk("matches");
        c.reply.array(matches.size());
        for (long[] m : matches) {
            c.reply.array(withMatchLen ? 3 : 2);
            c.reply.array(2);
            c.reply.integer(m[0]);
            c.reply.integer(m[1]);
            c.reply.array(2);
            c.reply.integer(m[2]);
            c.reply.integer(m[3]);
            if (withMatchLen) {
                c.reply.integer(m[4]);
            }
        }
        c.reply.bulk("len");
        c.reply.integer(total);
    }

    /** The string at key, empty when missing, null when of another type (LCS has its own error for that). */
    private static byte[] stringOrEmpty(CommandContext c, byte[] key) {
        Keyspace db = c.db();
        Object v = db.get(key);
        if (v == null) {
            c.keyMiss(key);
            return new byte[0];
        }
        c.server.stats.keyspaceHits++;
        return v instanceof byte[] s ? s : null;
    }

    /** LCS(i,j) for all prefixes, row-major with rows of b.length+1; its size is bounded by proto-max-bulk-len. */
    private static int[] table(CommandContext c, byte[] a, byte[] b) {
        long cells = (long) (a.length + 1) * (b.length + 1);
        if (cells * 4 > c.server.config.getLong("proto-max-bulk-len")) {
            throw new CommandException(
                    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        int[] t;
        try {
            t = cells > Integer.MAX_VALUE - 8 ? null : new int[(int) cells];
        } catch (OutOfMemoryError e) {
            t = null;
        }
        if (t == null) {
            throw new CommandException("ERR Insufficient memory, failed allocating transient memory for LCS");
        }
        int w = b.length + 1;
        for (int i = 1; i <= a.length; i++) {
            for (int j = 1; j <= b.length; j++) {
                if (a[i - 1] == b[j - 1]) {
                    t[i * w + j] = t[(i - 1) * w + j - 1] + 1;
                } else {
                    t[i * w + j] = Math.max(t[(i - 1) * w + j], t[i * w + j - 1]);
                }
            }
        }
        return t;
    }

    /**
     * Walks back from (alen, blen), filling result from its end and collecting the matching ranges as
     * {aStart, aEnd, bStart, bEnd, length}. A range ends at a mismatch step, at a non-contiguous match, or when
     * it reaches the start of either string; ranges shorter than minMatchLen are left out.
     */
    private static List<long[]> walk(byte[] a, byte[] b, int[] t, byte[] result, long minMatchLen) {
        List<long[]> out = new ArrayList<>();
        int w = b.length + 1;
        int alen = a.length;
        int idx = result.length;
        int aStart = alen; // alen: no range open
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = b.length;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[idx - 1] = a[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            if (emit) {
                long matchLen = aEnd - aStart + 1;
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    out.add(new long[] {aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }
        return out;
    }
}
