package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD (zunionInterDiffGenericCommand): inputs may be sorted
 * sets or plain sets (members scored 1), a missing key is empty; results are built as a skiplist and stored
 * as a listpack when small enough (zsetConvertToListpackIfNeeded). Command thread.
 */
final class ZSetAlgebraCommands {
    private enum Op { UNION, INTER, DIFF }

    private static final int SUM = 0, MIN = 1, MAX = 2;
    private static final String UNION = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, "
            + "and M being the number of elements in the resulting sorted set.";
    private static final String INTER = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
            + "being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
    private static final String DIFF = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all "
            + "the sets, N is the size of the first set, and K is the size of the result set.";
    private static final String OPTS = " [WEIGHTS weight:integer...] [AGGREGATE SUM|MIN|MAX]";

    private ZSetAlgebraCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("zunion", -3, "readonly", c -> run(c, null, 1, Op.UNION, false)).keynum(1, 0, 1, 1, "RO access")
                .acl("sortedset").doc("Add multiple sorted sets", "6.2.0", "sorted-set", UNION,
                        "numkeys:integer key:key..." + OPTS + " [WITHSCORES]"));
        t.add(cmd("zinter", -3, "readonly", c -> run(c, null, 1, Op.INTER, false)).keynum(1, 0, 1, 1, "RO access")
                .acl("sortedset").doc("Intersect multiple sorted sets", "6.2.0", "sorted-set", INTER,
                        "numkeys:integer key:key..." + OPTS + " [WITHSCORES]"));
        t.add(cmd("zdiff", -3, "readonly", c -> run(c, null, 1, Op.DIFF, false)).keynum(1, 0, 1, 1, "RO access")
                .acl("sortedset").doc("Subtract multiple sorted sets", "6.2.0", "sorted-set", DIFF,
                        "numkeys:integer key:key... [WITHSCORES]"));
        t.add(cmd("zintercard", -3, "readonly", c -> run(c, null, 1, Op.INTER, true)).keynum(1, 0, 1, 1, "RO access")
                .acl("sortedset").doc("Intersect multiple sorted sets and return the cardinality of the result",
                        "7.0.0", "sorted-set", "O(N*K) worst case with N being the smallest input sorted set, K "
                                + "being the number of input sorted sets.",
                        "numkeys:integer key:key... [LIMIT limit:integer]"));
        t.add(cmd("zunionstore", -4, "write denyoom", c -> run(c, c.argv[1], 2, Op.UNION, false))
                .keys(1, 1, 1, "OW update").keynum(2, 0, 1, 1, "RO access").acl("sortedset")
                .doc("Add multiple sorted sets and store the resulting sorted set in a new key", "2.0.0", "sorted-set",
                        UNION, "destination:key numkeys:integer key:key..." + OPTS));
        t.add(cmd("zinterstore", -4, "write denyoom", c -> run(c, c.argv[1], 2, Op.INTER, false))
                .keys(1, 1, 1, "OW update").keynum(2, 0, 1, 1, "RO access").acl("sortedset")
                .doc("Intersect multiple sorted sets and store the resulting sorted set in a new key", "2.0.0",
                        "sorted-set", INTER, "destination:key numkeys:integer key:key..." + OPTS));
        t.add(cmd("zdiffstore", -4, "write denyoom", c -> run(c, c.argv[1], 2, Op.DIFF, false))
                .keys(1, 1, 1, "OW update").keynum(2, 0, 1, 1, "RO access").acl("sortedset")
                .doc("Subtract multiple sorted sets and store the resulting sorted set in a new key", "6.2.0",
                        "sorted-set", DIFF, "destination:key numkeys:integer key:key..."));
    }

    /** One input: a sorted set, a set (every score 1), or nothing; its key tells a repeated input apart. */
    private static final class Src {
        final byte[] key;
        final RZSet zset;
        final RSet set;
        double weight = 1;

        Src(byte[] key, Object value) {
            this.key = key;
            this.zset = value instanceof RZSet z ? z : null;
            this.set = value instanceof RSet s ? s : null;
        }

        int size() {
            return zset != null ? zset.size() : set != null ? set.size() : 0;
        }

        Double score(byte[] member) {
            if (zset != null) {
                return zset.score(member);
            }
            return set != null && set.contains(member) ? 1.0 : null;
        }

        void forEach(RZSet.EntryVisitor v) {
            if (zset != null) {
                zset.forEach(v);
            } else if (set != null) {
                set.forEach(m -> v.accept(m, 1.0));
            }
        }
    }

    private static double aggregate(double target, double value, int how) {
        if (how == SUM) {
            double s = target + value;
            return Double.isNaN(s) ? 0.0 : s; // inf + -inf is 0 by Redis's convention
        }
        return how == MIN ? (value < target ? value : target) : (value > target ? value : target);
    }

    private static double weighted(double score, double weight) {
        double s = score * weight;
        return Double.isNaN(s) ? 0 : s;
    }

    static void run(CommandContext c, byte[] dst, int numkeysIdx, Op op, boolean cardinalityOnly) {
        long setnum = c.longArg(numkeysIdx);
        if (setnum < 1) {
            throw new CommandException("ERR at least 1 input key is needed for '" + c.spec.fullName + "' command");
        }
        if (setnum > c.argc() - (numkeysIdx + 1)) {
            throw new CommandException(Errors.SYNTAX);
        }
        Src[] src = new Src[(int) setnum];
        int j = numkeysIdx + 1;
        for (int i = 0; i < setnum; i++, j++) {
            Object v = c.db().get(c.argv[j]);
            if (v == null) {
                if (dst == null) {
                    c.keyMiss(c.argv[j]); // the STORE forms read their sources as writes: no event
                } else {
                    c.server.stats.keyspaceMisses++;
                }
            } else {
                c.server.stats.keyspaceHits++;
                if (!(v instanceof RZSet) && !(v instanceof RSet)) {
                    throw new CommandException(Errors.WRONGTYPE);
                }
            }
            src[i] = new Src(c.argv[j], v);
        }
        int how = SUM;
        boolean withScores = false;
        long limit = 0;
        while (j < c.argc()) {
            int remaining = c.argc() - j;
            String opt = c.argLower(j);
            if (op != Op.DIFF && !cardinalityOnly && remaining >= setnum + 1 && opt.equals("weights")) {
                j++;
                for (int i = 0; i < setnum; i++, j++) {
                    src[i].weight = ZScores.doubleArg(c.argv[j], "ERR weight value is not a float");
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && opt.equals("aggregate")) {
                String a = c.argLower(j + 1);
                how = a.equals("sum") ? SUM : a.equals("min") ? MIN : a.equals("max") ? MAX : -1;
                if (how < 0) {
                    throw new CommandException(Errors.SYNTAX);
                }
                j += 2;
            } else if (dst == null && !cardinalityOnly && opt.equals("withscores")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && opt.equals("limit")) {
                limit = ListPopCommands.atLeast(c, j + 1, 0, "ERR LIMIT can't be negative");
                j += 2;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        List<Src> inputs = new ArrayList<>(Arrays.asList(src));
        if (op != Op.DIFF) {
            inputs.sort(Comparator.comparingInt(Src::size)); // stable, as glibc's merge-sorting qsort
        }
        RZSet result = RZSet.createSkiplist();
        long cardinality = 0;
        if (op == Op.INTER) {
            cardinality = inter(inputs, how, cardinalityOnly, limit, result);
        } else if (op == Op.UNION) {
            union(inputs, how, result);
        } else {
            diff(inputs, result);
        }
        if (dst != null) {
            if (result.size() > 0) {
                result.convertToListpackIfNeeded();
                c.db().set(dst, result);
                c.reply.integer(result.size());
                c.notify(Notifications.ZSET, op == Op.UNION ? "zunionstore" : op == Op.INTER ? "zinterstore"
                        : "zdiffstore", dst);
            } else {
                boolean deleted = c.db().delete(dst);
                c.reply.integer(0);
                if (deleted) {
                    c.notify(Notifications.GENERIC, "del", dst);
                }
            }
        } else if (cardinalityOnly) {
            c.reply.integer(cardinality);
        } else {
            boolean scores = withScores;
            ZScores.header(c.reply, result.size(), scores);
            result.forEach((m, s) -> ZScores.entry(c.reply, m, s, scores));
        }
    }

    private static long inter(List<Src> in, int how, boolean cardinalityOnly, long limit, RZSet result) {
        Src first = in.get(0);
        if (first.size() == 0) {
            return 0;
        }
        long[] cardinality = {0};
        List<ZScores.Entry> found = new ArrayList<>();
        boolean[] done = {false};
        first.forEach((m, s0) -> {
            if (done[0]) {
                return;
            }
            double score = weighted(s0, first.weight);
            for (int j = 1; j < in.size(); j++) {
                Src o = in.get(j);
                Double v = Arrays.equals(o.key, first.key) ? Double.valueOf(s0) : o.score(m);
                if (v == null) {
                    return;
                }
                score = aggregate(score, v * o.weight, how);
            }
            if (cardinalityOnly) {
                cardinality[0]++;
                done[0] = limit > 0 && cardinality[0] >= limit;
            } else {
                found.add(new ZScores.Entry(m, score));
            }
        });
        for (ZScores.Entry e : found) {
            result.addLoaded(e.member(), e.score());
        }
        return cardinality[0];
    }

    private static void union(List<Src> in, int how, RZSet result) {
        Map<Bytes, double[]> acc = new LinkedHashMap<>();
        for (Src s : in) {
            s.forEach((m, score) -> {
                double w = weighted(score, s.weight);
                double[] cur = acc.get(new Bytes(m));
                if (cur == null) {
                    acc.put(new Bytes(m), new double[] {w});
                } else {
                    cur[0] = aggregate(cur[0], w, how);
                }
            });
        }
        acc.forEach((m, score) -> result.addLoaded(m.b, score[0]));
    }

    /** zdiff: empty when the first input is empty or given again; else its members that no other input has. */
    private static void diff(List<Src> in, RZSet result) {
        Src first = in.get(0);
        if (first.size() == 0) {
            return;
        }
        for (int j = 1; j < in.size(); j++) {
            if (in.get(j).size() > 0 && Arrays.equals(in.get(j).key, first.key)) {
                return;
            }
        }
        first.forEach((m, s) -> {
            for (int j = 1; j < in.size(); j++) {
                if (in.get(j).score(m) != null) {
                    return;
                }
            }
            result.addLoaded(m, s);
        });
    }
}
