package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SMEMBERS, SINTER, SINTERCARD, SINTERSTORE, SUNION(STORE), SDIFF(STORE) as t_set.c computes them. Results are
 * built in a new set that starts as an intset, as Redis builds them, so a stored result of integers is an intset
 * and a replied one comes in ascending order; a missing key is an empty set. Command thread.
 */
final class SetAlgebraCommands {
    static final String INTER_COMPLEXITY =
            "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
    static final String UNION_COMPLEXITY = "O(N) where N is the total number of elements in all given sets.";

    private SetAlgebraCommands() {
    }

    /** SINTER key [key ...], and SMEMBERS key (an intersection of one set). */
    static void sinter(CommandContext c) {
        inter(c, 1, c.argc(), null, false, 0);
    }

    static void sinterstore(CommandContext c) {
        inter(c, 2, c.argc(), c.argv[1], false, 0);
    }

    /** SINTERCARD numkeys key [key ...] [LIMIT limit]. */
    static void sintercard(CommandContext c) {
        Long numkeys = Ints.parse(c.argv[1]);
        if (numkeys == null || numkeys < 1) {
            throw new CommandException("ERR numkeys should be greater than 0");
        }
        if (numkeys > c.argc() - 2) {
            throw new CommandException("ERR Number of keys can't be greater than number of args");
        }
        long limit = 0;
        for (int j = 2 + numkeys.intValue(); j < c.argc(); j++) {
            if (c.argIs(j, "limit") && j + 1 < c.argc()) {
                Long l = Ints.parse(c.argv[++j]);
                if (l == null || l < 0) {
                    throw new CommandException("ERR LIMIT can't be negative");
                }
                limit = l;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        inter(c, 2, 2 + numkeys.intValue(), null, true, limit);
    }

    /** The sets of argv[from..to), null for missing keys; WRONGTYPE if any key holds something else. */
    private static RSet[] lookupSets(CommandContext c, int from, int to) {
        RSet[] sets = new RSet[to - from];
        for (int i = from; i < to; i++) {
            sets[i - from] = c.lookup(c.argv[i], RSet.class);
        }
        return sets;
    }

    /** sinterGenericCommand: walks the smallest set and keeps what every other set has. */
    private static void inter(CommandContext c, int from, int to, byte[] dstKey, boolean cardinalityOnly,
                              long limit) {
        RSet[] sets = lookupSets(c, from, to);
        if (Arrays.asList(sets).contains(null)) {
            if (dstKey != null) {
                if (c.db().delete(dstKey)) {
                    c.notify(Notifications.GENERIC, "del", dstKey);
                }
                c.reply.integer(0);
            } else if (cardinalityOnly) {
                c.reply.integer(0);
            } else {
                c.reply.set(0);
            }
            return;
        }
        // smallest first; a stable sort keeps the argument order among equal sizes, as glibc's qsort does
        List<RSet> sorted = new ArrayList<>(Arrays.asList(sets));
        sorted.sort(Comparator.comparingInt(RSet::size));
        RSet first = sorted.get(0);
        RSet result = new RSet();
        List<byte[]> found = new ArrayList<>();
        long cardinality = 0;
        for (int i = 0, n = first.size(); i < n; i++) {
            byte[] m = first.at(i);
            boolean everywhere = true;
            for (int j = 1; j < sorted.size() && everywhere; j++) {
                everywhere = sorted.get(j) == first || sorted.get(j).contains(m);
            }
            if (!everywhere) {
                continue;
            }
            cardinality++;
            if (cardinalityOnly) {
                if (limit > 0 && cardinality >= limit) {
                    break;
                }
            } else if (dstKey == null) {
                found.add(m);
            } else {
                result.add(m);
            }
        }
        if (cardinalityOnly) {
            c.reply.integer(cardinality);
        } else if (dstKey == null) {
            c.reply.set(found.size());
            for (byte[] m : found) {
                c.reply.bulk(m);
            }
        } else {
            store(c, dstKey, result, "sinterstore");
        }
    }

    /** The STORE variants: the result replaces dstKey (its TTL goes), an empty result deletes it. */
    private static void store(CommandContext c, byte[] dstKey, RSet result, String event) {
        if (result.size() > 0) {
            c.db().set(dstKey, result);
            c.reply.integer(result.size());
            c.notify(Notifications.SET, event, dstKey);
        } else {
            boolean deleted = c.db().delete(dstKey);
            c.reply.integer(0);
            if (deleted) {
                c.notify(Notifications.GENERIC, "del", dstKey);
            }
        }
    }

    /** SUNION, SDIFF (first key at 1) and their STORE variants (first key at 2, destination at 1). */
    static void unionDiff(CommandContext c, int from, boolean diff) {
        byte[] dstKey = from == 2 ? c.argv[1] : null;
        RSet[] sets = lookupSets(c, from, c.argc());
        RSet result = diff ? difference(c, from, sets) : union(sets);
        if (dstKey != null) {
            store(c, dstKey, result, diff ? "sdiffstore" : "sunionstore");
            return;
        }
        reply(c, result);
    }

    /** Replies a set's members in its order (RESP3 '~'). */
    static void reply(CommandContext c, RSet s) {
        c.reply.set(s.size());
        s.forEach(c.reply::bulk);
    }

    static RSet union(RSet... sets) {
        RSet result = new RSet();
        for (RSet s : sets) {
            if (s != null) {
                s.forEach(result::add);
            }
        }
        return result;
    }

    /**
     * sunionDiffGenericCommand's difference: Redis picks between checking each member of the first set against
     * the others (algorithm 1) and copying the first set then removing the others' members (algorithm 2) by
     * estimated work. The choice shows: algorithm 2 may leave a hashtable where algorithm 1 builds an intset.
     */
    private static RSet difference(CommandContext c, int from, RSet[] sets) {
        RSet result = new RSet();
        RSet first = sets[0];
        if (first == null) {
            return result;
        }
        for (int j = 1; j < sets.length; j++) {
            // the first key given again: the difference is empty
            if (sets[j] != null && Arrays.equals(c.argv[from], c.argv[from + j])) {
                return result;
            }
        }
        long algoOne = 0;
        long algoTwo = 0;
        for (RSet s : sets) {
            if (s != null) {
                algoOne += first.size();
                algoTwo += s.size();
            }
        }
        algoOne /= 2;
        if (algoOne <= algoTwo) {
            for (int i = 0, n = first.size(); i < n; i++) {
                byte[] m = first.at(i);
                boolean elsewhere = false;
                for (int j = 1; j < sets.length && !elsewhere; j++) {
                    elsewhere = sets[j] != null && sets[j].contains(m);
                }
                if (!elsewhere) {
                    result.add(m);
                }
            }
            return result;
        }
        first.forEach(result::add);
        for (int j = 1; j < sets.length && result.size() > 0; j++) {
            if (sets[j] != null) {
                sets[j].forEach(result::remove);
            }
        }
        return result;
    }
}
