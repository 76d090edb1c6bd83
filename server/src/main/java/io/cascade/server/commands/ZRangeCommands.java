package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;
import io.cascade.storage.types.ZRange;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * ZRANGE (BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), ZRANGESTORE and the older ZREVRANGE, Z[REV]RANGEBYSCORE and
 * Z[REV]RANGEBYLEX, as t_zset.c's zrangeGenericCommand parses and answers them. Command thread.
 */
final class ZRangeCommands {
    private static final String RANGE = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
            + "number of elements returned.";
    private static final String LIMITED = "O(log(N)+M) with N being the number of elements in the sorted set and M "
            + "the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements "
            + "with LIMIT), you can consider it O(log(N)).";

    private enum Type { AUTO, RANK, SCORE, LEX }

    private ZRangeCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("zrange", -4, "readonly", c -> zrange(c, 1, false, Type.AUTO, 0)).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Return a range of members in a sorted set", "1.2.0", "sorted-set", RANGE,
                        "key:key start:string stop:string [BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer] "
                                + "[WITHSCORES]"));
        t.add(cmd("zrangestore", -5, "write denyoom", c -> zrange(c, 2, true, Type.AUTO, 0))
                .keys(1, 1, 1, "OW update").keys(2, 2, 1, "RO access").acl("sortedset")
                .doc("Store a range of members from sorted set into another key", "6.2.0", "sorted-set",
                        "O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
                                + "elements stored into the destination key.", "dst:key src:key min:string max:string "
                                + "[BYSCORE|BYLEX] [REV] [LIMIT offset:integer count:integer]"));
        t.add(cmd("zrevrange", -4, "readonly", c -> zrange(c, 1, false, Type.RANK, -1)).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Return a range of members in a sorted set, by index, with scores ordered from "
                        + "high to low", "1.2.0", "sorted-set", RANGE, "key:key start:integer stop:integer [WITHSCORES]"));
        t.add(cmd("zrangebyscore", -4, "readonly", c -> zrange(c, 1, false, Type.SCORE, 1)).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Return a range of members in a sorted set, by score", "1.0.5", "sorted-set",
                        LIMITED, "key:key min:double max:double [WITHSCORES] [LIMIT offset:integer count:integer]"));
        t.add(cmd("zrevrangebyscore", -4, "readonly", c -> zrange(c, 1, false, Type.SCORE, -1))
                .keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Return a range of members in a sorted set, by score, with scores ordered from high to low",
                        "2.2.0", "sorted-set", LIMITED,
                        "key:key max:double min:double [WITHSCORES] [LIMIT offset:integer count:integer]"));
        t.add(cmd("zrangebylex", -4, "readonly", c -> zrange(c, 1, false, Type.LEX, 1)).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Return a range of members in a sorted set, by lexicographical range", "2.8.9",
                        "sorted-set", LIMITED, "key:key min:string max:string [LIMIT offset:integer count:integer]"));
        t.add(cmd("zrevrangebylex", -4, "readonly", c -> zrange(c, 1, false, Type.LEX, -1)).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Return a range of members in a sorted set, by lexicographical range, ordered "
                        + "from higher to lower strings.", "2.8.9", "sorted-set", LIMITED,
                        "key:key max:string min:string [LIMIT offset:integer count:integer]"));
    }

    /**
     * zrangeGenericCommand: the key at argv[start], its range at start+1 and start+2, then the options. direction
     * 0 is "REV may be given", 1 forward, -1 reverse; the type AUTO lets BYSCORE or BYLEX pick it.
     */
    static void zrange(CommandContext c, int start, boolean store, Type type, int direction) {
        int minIdx = start + 1;
        int maxIdx = start + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = start + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            String opt = c.argLower(j);
            if (!store && opt.equals("withscores")) {
                withScores = true;
            } else if (opt.equals("limit") && left >= 2) {
                offset = c.longArg(j + 1);
                limit = c.longArg(j + 2);
                j += 2;
            } else if (direction == 0 && opt.equals("rev")) {
                direction = -1;
            } else if (type == Type.AUTO && opt.equals("bylex")) {
                type = Type.LEX;
            } else if (type == Type.AUTO && opt.equals("byscore")) {
                type = Type.SCORE;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        boolean reverse = direction == -1;
        if (type == Type.AUTO) {
            type = Type.RANK;
        }
        if (limit != -1 && type == Type.RANK) {
            throw new CommandException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
                    + "or BYLEX");
        }
        if (withScores && type == Type.LEX) {
            throw new CommandException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        if (reverse && type != Type.RANK) {
            int t = maxIdx;
            maxIdx = minIdx;
            minIdx = t;
        }
        long from = 0, to = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        switch (type) {
            case SCORE -> score = ZScores.scoreRange(c.argv[minIdx], c.argv[maxIdx]);
            case LEX -> lex = ZScores.lexRange(c.argv[minIdx], c.argv[maxIdx]);
            default -> {
                from = c.longArg(minIdx);
                to = c.longArg(maxIdx);
            }
        }
        RZSet z = c.lookup(c.argv[start], RZSet.class);
        List<ZScores.Entry> out = new ArrayList<>();
        long length = -1;
        if (z != null) {
            switch (type) {
                case SCORE -> byScore(z, score, offset, limit, reverse, out);
                case LEX -> byLex(z, lex, offset, limit, reverse, out);
                default -> length = byRank(z, from, to, reverse, out);
            }
        }
        if (store) {
            store(c, c.argv[1], out, length);
        } else {
            ZScores.entries(c.reply, out, withScores);
        }
    }

    /** genericZrangebyrankCommand's selection; returns the range length (Redis sizes the stored set by it). */
    private static long byRank(RZSet z, long start, long end, boolean reverse, List<ZScores.Entry> out) {
        long llen = z.size();
        if (start < 0) {
            start += llen;
        }
        if (end < 0) {
            end += llen;
        }
        start = Math.max(start, 0);
        if (start > end || start >= llen) {
            return 0;
        }
        end = Math.min(end, llen - 1);
        long n = end - start + 1;
        ZNode node = z.byRank(reverse ? llen - 1 - start : start);
        for (long i = 0; i < n; i++) {
            out.add(new ZScores.Entry(node.member(), node.score()));
            node = reverse ? node.prev() : node.next();
        }
        return n;
    }

    private static void byScore(RZSet z, ZRange.Score r, long offset, long limit, boolean reverse,
                                List<ZScores.Entry> out) {
        if (offset > 0 && offset >= z.size()) {
            return;
        }
        ZNode n = reverse ? z.lastInRange(r) : z.firstInRange(r);
        // a negative offset walks off the end, as Redis's "while (ln && offset--)"
        while (n != null && offset-- != 0) {
            n = reverse ? n.prev() : n.next();
        }
        while (n != null && limit-- != 0) {
            if (reverse ? !r.gteMin(n.score()) : !r.lteMax(n.score())) {
                break;
            }
            out.add(new ZScores.Entry(n.member(), n.score()));
            n = reverse ? n.prev() : n.next();
        }
    }

    private static void byLex(RZSet z, ZRange.Lex r, long offset, long limit, boolean reverse,
                              List<ZScores.Entry> out) {
        ZNode n = reverse ? ZLex.last(z, r) : ZLex.first(z, r);
        while (n != null && offset-- != 0) {
            n = reverse ? n.prev() : n.next();
        }
        while (n != null && limit-- != 0) {
            if (reverse ? !r.gteMin(n.member()) : !r.lteMax(n.member())) {
                break;
            }
            out.add(new ZScores.Entry(n.member(), n.score()));
            n = reverse ? n.prev() : n.next();
        }
    }

    /**
     * zrangeResultBeginStore and FinalizeStore: a set sized by the rank range's length (-1 for score and lex
     * ranges: a listpack that grows as members are added), stored over dst; an empty result deletes dst.
     */
    private static void store(CommandContext c, byte[] dst, List<ZScores.Entry> out, long length) {
        if (out.isEmpty()) {
            boolean deleted = c.db().delete(dst);
            c.reply.integer(0);
            if (deleted) {
                c.notify(Notifications.GENERIC, "del", dst);
            }
            return;
        }
        RZSet z = RZSet.createForLength(length);
        for (ZScores.Entry e : out) {
            z.add(e.member(), e.score());
        }
        c.db().set(dst, z);
        c.reply.integer(out.size());
        c.notify(Notifications.ZSET, "zrangestore", dst);
    }
}
