package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZRange;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The sorted-set family (t_zset.c): its single-key commands (ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE,
 * ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*), registering the rest from ZRangeCommands,
 * ZSetAlgebraCommands, ZPopCommands and ZRandMemberCommand. Command thread.
 */
public final class ZSetCommands {
    private static final String LOG_N = "O(log(N)) with N being the number of elements in the sorted set.";
    private static final String REM_RANGE = "O(log(N)+M) with N being the number of elements in the sorted set and "
            + "M the number of elements removed by the operation.";

    private ZSetCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("zadd", -4, "write denyoom fast", c -> zadd(c, false)).keys(1, 1, 1, "RW update").acl("sortedset")
                .doc("Add one or more members to a sorted set, or update its score if it already exists", "1.2.0",
                        "sorted-set", "O(log(N)) for each item added, where N is the number of elements in the sorted "
                                + "set.", "key:key [NX|XX] [GT|LT] [CH] [INCR] (score:double member:string)..."));
        t.add(cmd("zincrby", 4, "write denyoom fast", c -> zadd(c, true)).keys(1, 1, 1, "RW access update")
                .acl("sortedset").doc("Increment the score of a member in a sorted set", "1.2.0", "sorted-set",
                        "O(log(N)) where N is the number of elements in the sorted set.",
                        "key:key increment:integer member:string"));
        t.add(cmd("zrem", -3, "write fast", ZSetCommands::zrem).keys(1, 1, 1, "RW delete").acl("sortedset")
                .doc("Remove one or more members from a sorted set", "1.2.0", "sorted-set", "O(M*log(N)) with N being "
                        + "the number of elements in the sorted set and M the number of elements to be removed.",
                        "key:key member:string..."));
        t.add(cmd("zcard", 2, "readonly fast", ZSetCommands::zcard).keys(1, 1, 1, "RO").acl("sortedset")
                .doc("Get the number of members in a sorted set", "1.2.0", "sorted-set", "O(1)", "key:key"));
        t.add(cmd("zscore", 3, "readonly fast", ZSetCommands::zscore).keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Get the score associated with the given member in a sorted set", "1.2.0", "sorted-set", "O(1)",
                        "key:key member:string"));
        t.add(cmd("zmscore", -3, "readonly fast", ZSetCommands::zmscore).keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Get the score associated with the given members in a sorted set", "6.2.0", "sorted-set",
                        "O(N) where N is the number of members being requested.", "key:key member:string..."));
        t.add(cmd("zrank", 3, "readonly fast", c -> zrank(c, false)).keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Determine the index of a member in a sorted set", "2.0.0", "sorted-set", "O(log(N))",
                        "key:key member:string"));
        t.add(cmd("zrevrank", 3, "readonly fast", c -> zrank(c, true)).keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Determine the index of a member in a sorted set, with scores ordered from high to low", "2.0.0",
                        "sorted-set", "O(log(N))", "key:key member:string"));
        t.add(cmd("zcount", 4, "readonly fast", ZSetCommands::zcount).keys(1, 1, 1, "RO access").acl("sortedset")
                .doc("Count the members in a sorted set with scores within the given values", "2.0.0", "sorted-set",
                        LOG_N, "key:key min:double max:double"));
        t.add(cmd("zlexcount", 4, "readonly fast", ZSetCommands::zlexcount).keys(1, 1, 1, "RO access")
                .acl("sortedset").doc("Count the number of members in a sorted set between a given lexicographical "
                        + "range", "2.8.9", "sorted-set", LOG_N, "key:key min:string max:string"));
        t.add(cmd("zremrangebyrank", 4, "write", c -> zremrange(c, 'r')).keys(1, 1, 1, "RW delete").acl("sortedset")
                .doc("Remove all members in a sorted set within the given indexes", "2.0.0", "sorted-set", REM_RANGE,
                        "key:key start:integer stop:integer"));
        t.add(cmd("zremrangebyscore", 4, "write", c -> zremrange(c, 's')).keys(1, 1, 1, "RW delete").acl("sortedset")
                .doc("Remove all members in a sorted set within the given scores", "1.2.0", "sorted-set", REM_RANGE,
                        "key:key min:double max:double"));
        t.add(cmd("zremrangebylex", 4, "write", c -> zremrange(c, 'l')).keys(1, 1, 1, "RW delete").acl("sortedset")
                .doc("Remove all members in a sorted set between the given lexicographical range", "2.8.9",
                        "sorted-set", REM_RANGE, "key:key min:string max:string"));
        t.add(cmd("zscan", -3, "readonly", CollectionScan::zscan).keys(1, 1, 1, "RO access").acl("sortedset")
                .tips("nondeterministic_output").doc("Incrementally iterate sorted sets elements and associated "
                        + "scores", "2.8.0", "sorted-set", CollectionScan.COMPLEXITY,
                        "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"));
        ZRangeCommands.register(t);
        ZSetAlgebraCommands.register(t);
        ZPopCommands.register(t);
        ZRandMemberCommand.register(t);
    }

    /** zaddGenericCommand: ZADD with its options, and ZINCRBY (ZADD key INCR increment member). */
    static void zadd(CommandContext c, boolean zincrby) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = zincrby;
        int idx = 2;
        for (; idx < c.argc(); idx++) {
            String opt = c.argLower(idx);
            if (opt.equals("nx")) {
                nx = true;
            } else if (opt.equals("xx")) {
                xx = true;
            } else if (opt.equals("ch")) {
                ch = true;
            } else if (opt.equals("incr")) {
                incr = true;
            } else if (opt.equals("gt")) {
                gt = true;
            } else if (opt.equals("lt")) {
                lt = true;
            } else {
                break;
            }
        }
        int elements = c.argc() - idx;
        if (elements % 2 != 0 || elements == 0) {
            throw new CommandException(Errors.SYNTAX);
        }
        elements /= 2;
        if (nx && xx) {
            throw new CommandException("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandException("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) {
            throw new CommandException("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = ZScores.doubleArg(c.argv[idx + j * 2], ZScores.NOT_FLOAT);
        }
        byte[] key = c.argv[1];
        RZSet z = c.lookupWrite(key, RZSet.class);
        long added = 0, updated = 0, processed = 0;
        double score = 0;
        if (z == null && !xx) {
            z = RZSet.createFor(c.argv[idx + 1]);
        }
        String error = null;
        for (int j = 0; z != null && j < elements; j++) {
            byte[] member = c.argv[idx + 1 + j * 2];
            double s = scores[j];
            Double cur = z.score(member);
            if (cur != null) {
                if (nx) {
                    continue;
                }
                if (incr) {
                    s += cur;
                    if (Double.isNaN(s)) {
                        error = ZScores.NAN;
                        break;
                    }
                }
                if ((lt && s >= cur) || (gt && s <= cur)) {
                    continue;
                }
                if (s != cur) {
                    z.add(member, s);
                    updated++;
                }
            } else if (!xx) {
                z.add(member, s);
                added++;
            } else {
                continue;
            }
            processed++;
            score = s;
        }
        if (added + updated > 0) {
            changed(c, key, z, added + updated);
        }
        if (error != null) {
            c.reply.error(error);
        } else if (incr) {
            if (processed > 0) {
                c.reply.doubleReply(score);
            } else {
                c.reply.nullBulk();
            }
        } else {
            c.reply.integer(ch ? added + updated : added);
        }
        if (added + updated > 0) {
            c.notify(Notifications.ZSET, incr ? "zincr" : "zadd", key);
        }
    }

    static void zrem(CommandContext c) {
        byte[] key = c.argv[1];
        RZSet z = c.lookupWrite(key, RZSet.class);
        long deleted = 0;
        if (z != null) {
            for (int j = 2; j < c.argc() && z.size() > 0; j++) {
                if (z.remove(c.argv[j])) {
                    deleted++;
                }
            }
            if (deleted > 0) {
                changed(c, key, z, deleted);
                c.notify(Notifications.ZSET, "zrem", key);
                emptied(c, key, z);
            }
        }
        c.reply.integer(deleted);
    }

    static void zcard(CommandContext c) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.integer(z == null ? 0 : z.size());
    }

    static void zscore(CommandContext c) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        Double s = z == null ? null : z.score(c.argv[2]);
        if (s == null) {
            c.reply.nullBulk();
        } else {
            c.reply.doubleReply(s);
        }
    }

    static void zmscore(CommandContext c) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            Double s = z == null ? null : z.score(c.argv[j]);
            if (s == null) {
                c.reply.nullBulk();
            } else {
                c.reply.doubleReply(s);
            }
        }
    }

    static void zrank(CommandContext c, boolean reverse) {
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        long rank = z == null ? -1 : z.rank(c.argv[2], reverse);
        if (rank < 0) {
            c.reply.nullBulk();
        } else {
            c.reply.integer(rank);
        }
    }

    static void zcount(CommandContext c) {
        ZRange.Score r = ZScores.scoreRange(c.argv[2], c.argv[3]);
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.integer(z == null ? 0 : z.count(r));
    }

    static void zlexcount(CommandContext c) {
        ZRange.Lex r = ZScores.lexRange(c.argv[2], c.argv[3]);
        RZSet z = c.lookup(c.argv[1], RZSet.class);
        c.reply.integer(z == null ? 0 : ZLex.count(z, r));
    }

    /** zremrangeGenericCommand: 'r' by rank, 's' by score, 'l' by lex; the range is parsed before the lookup. */
    static void zremrange(CommandContext c, char type) {
        long start = 0, end = 0;
        ZRange.Score score = null;
        ZRange.Lex lex = null;
        if (type == 'r') {
            start = c.longArg(2);
            end = c.longArg(3);
        } else if (type == 's') {
            score = ZScores.scoreRange(c.argv[2], c.argv[3]);
        } else {
            lex = ZScores.lexRange(c.argv[2], c.argv[3]);
        }
        byte[] key = c.argv[1];
        RZSet z = c.lookupWrite(key, RZSet.class);
        if (z == null) {
            c.reply.integer(0);
            return;
        }
        long deleted;
        if (type == 'r') {
            long llen = z.size();
            if (start < 0) {
                start += llen;
            }
            if (end < 0) {
                end += llen;
            }
            start = Math.max(start, 0);
            deleted = start > end || start >= llen ? 0 : z.removeRangeByRank(start, Math.min(end, llen - 1));
        } else if (type == 's') {
            deleted = z.removeRangeByScore(score);
        } else {
            deleted = ZLex.remove(z, lex);
        }
        if (deleted > 0) {
            changed(c, key, z, deleted);
            c.notify(Notifications.ZSET, type == 'r' ? "zremrangebyrank" : type == 's' ? "zremrangebyscore"
                    : "zremrangebylex", key);
            emptied(c, key, z);
        }
        c.reply.integer(deleted);
    }

    /** The del event of a sorted set that lost its last member (Keyspace.update deleted it). */
    static void emptied(CommandContext c, byte[] key, RZSet z) {
        if (z.size() == 0) {
            c.notify(Notifications.GENERIC, "del", key);
        }
    }

    /**
     * Writes back a set that changed (deleting it when emptied) and counts the changes as Redis's server.dirty
     * does, one per member added, updated or removed; the write itself counts one.
     */
    static void changed(CommandContext c, byte[] key, RZSet z, long changes) {
        c.db().update(key, z);
        c.server.dirty += changes - 1;
    }
}
