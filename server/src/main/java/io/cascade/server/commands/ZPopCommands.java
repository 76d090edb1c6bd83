package io.cascade.server.commands;

import io.cascade.server.Blocking;
import io.cascade.server.BlockingTimeout;
import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.RType;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX and BZMPOP (genericZpopCommand and
 * blockingGenericZpopCommand); a blocked client is served by the Waiter through Blocking, first blocked first
 * served, exactly as if it had run the non-blocking pop on the ready key. Command thread.
 */
final class ZPopCommands {
    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes();
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes();
    private static final String MPOP = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the "
            + "number of elements in the sorted set, and M being the number of elements popped.";
    private static final String POP = "O(log(N)*M) with N being the number of elements in the sorted set, and M "
            + "being the number of elements popped.";
    private static final String BPOP = "O(log(N)) with N being the number of elements in the sorted set.";

    private ZPopCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("zpopmin", -2, "write fast", c -> zpop(c, false)).keys(1, 1, 1, "RW access delete")
                .acl("sortedset").doc("Remove and return members with the lowest scores in a sorted set", "5.0.0",
                        "sorted-set", POP, "key:key [count:integer]"));
        t.add(cmd("zpopmax", -2, "write fast", c -> zpop(c, true)).keys(1, 1, 1, "RW access delete")
                .acl("sortedset").doc("Remove and return members with the highest scores in a sorted set", "5.0.0",
                        "sorted-set", POP, "key:key [count:integer]"));
        t.add(cmd("zmpop", -4, "write", c -> zmpop(c, 1, false)).keynum(1, 0, 1, 1, "RW access delete")
                .acl("sortedset").doc("Remove and return members with scores in a sorted set", "7.0.0", "sorted-set",
                        MPOP, "numkeys:integer key:key... MIN|MAX [COUNT count:integer]"));
        t.add(cmd("bzpopmin", -3, "write noscript fast blocking", c -> bzpop(c, false))
                .keys(1, -2, 1, "RW access delete").acl("sortedset")
                .doc("Remove and return the member with the lowest score from one or more sorted sets, or block "
                        + "until one is available", "5.0.0", "sorted-set", BPOP, "key:key... timeout:double"));
        t.add(cmd("bzpopmax", -3, "write noscript fast blocking", c -> bzpop(c, true))
                .keys(1, -2, 1, "RW access delete").acl("sortedset")
                .doc("Remove and return the member with the highest score from one or more sorted sets, or block "
                        + "until one is available", "5.0.0", "sorted-set", BPOP, "key:key... timeout:double"));
        t.add(cmd("bzmpop", -5, "write blocking", c -> zmpop(c, 2, true)).keynum(2, 0, 1, 1, "RW access delete")
                .acl("sortedset").doc("Remove and return members with scores in a sorted set or block until one is "
                        + "available", "7.0.0", "sorted-set", MPOP,
                        "timeout:double numkeys:integer key:key... MIN|MAX [COUNT count:integer]"));
    }

    /** How a pop replies: with the key first (the blocking forms, ZMPOP), nested [member, score] pairs, nil. */
    private record Shape(boolean emitKey, boolean nested, boolean nilWhenEmpty) {
    }

    /** A blocked BZPOPMIN/BZPOPMAX (count -1) or BZMPOP client: pops from the ready key when served. */
    private record Waiter(boolean max, long count) implements Blocking.Handler {
        @Override
        public RType type() {
            return RType.ZSET;
        }

        @Override
        public boolean serve(CommandContext c, byte[] key) {
            popFrom(c, List.of(key), max, count, new Shape(true, count != -1, count != -1));
            return true;
        }
    }

    static void zpop(CommandContext c, boolean max) {
        if (c.argc() > 3) {
            throw new CommandException(Errors.SYNTAX);
        }
        long count = -1;
        if (c.argc() == 3) {
            count = ListPopCommands.atLeast(c, 2, 0, "ERR value is out of range, must be positive");
        }
        popFrom(c, List.of(c.argv[1]), max, count, new Shape(false, c.reply.resp3() && count != -1, false));
    }

    /**
     * genericZpopCommand: pops from the first of keys that exists (WRONGTYPE if it is no sorted set) up to
     * count members (-1: one), replying in the given shape; false when no key exists. Replicated as
     * ZPOPMIN/ZPOPMAX key [count] when the key comes first in the reply (the blocking forms and ZMPOP).
     */
    private static boolean popFrom(CommandContext c, List<byte[]> keys, boolean max, long count, Shape shape) {
        RZSet z = null;
        byte[] key = null;
        for (byte[] k : keys) {
            z = c.lookupWrite(k, RZSet.class);
            if (z != null) {
                key = k;
                break;
            }
        }
        if (z == null) {
            if (shape.nilWhenEmpty()) {
                c.reply.nullArray();
            } else {
                c.reply.array(0);
            }
            return false;
        }
        if (count == 0) {
            c.reply.array(0);
            return true;
        }
        boolean single = count == -1;
        long llen = z.size();
        int n = (int) Math.min(single ? 1 : count, llen);
        if (shape.emitKey() && shape.nested()) {
            c.reply.array(2);
            c.reply.bulk(key);
            c.reply.array(n);
        } else if (shape.emitKey()) {
            c.reply.array(n * 2 + 1);
            c.reply.bulk(key);
        } else {
            c.reply.array(shape.nested() ? n : n * 2);
        }
        for (int i = 0; i < n; i++) {
            ZNode node = max ? z.last() : z.first();
            byte[] member = node.member();
            double score = node.score();
            z.remove(member);
            if (i == 0) {
                // raised after the first member went, inside the reply (a RESP3 client listening to its own
                // events gets the push there, as from Redis's genericZpopCommand)
                c.notify(Notifications.ZSET, max ? "zpopmax" : "zpopmin", key);
            }
            if (shape.nested()) {
                c.reply.array(2);
            }
            c.reply.bulk(member);
            c.reply.doubleReply(score);
        }
        ZSetCommands.changed(c, key, z, n);
        ZSetCommands.emptied(c, key, z);
        if (shape.emitKey()) {
            byte[] name = max ? ZPOPMAX : ZPOPMIN;
            if (single) {
                c.server.blocking.propagate(c.client.db, name, key);
            } else {
                c.server.blocking.propagate(c.client.db, name, key, Long.toString(n).getBytes());
            }
        }
        return true;
    }

    static void bzpop(CommandContext c, boolean max) {
        long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[c.argc() - 1], System.currentTimeMillis());
        List<byte[]> keys = Arrays.asList(c.argv).subList(1, c.argc() - 1);
        blockingPop(c, keys, max, -1, deadline);
    }

    /** ZMPOP numkeys key... MIN|MAX [COUNT count], and BZMPOP with the timeout before numkeys. */
    static void zmpop(CommandContext c, int numkeysIdx, boolean block) {
        long numkeys = ListPopCommands.atLeast(c, numkeysIdx, 1, "ERR numkeys should be greater than 0");
        long whereIdx = numkeysIdx + numkeys + 1;
        if (numkeys >= c.argc() || whereIdx >= c.argc()) {
            throw new CommandException(Errors.SYNTAX);
        }
        boolean max;
        if (c.argIs((int) whereIdx, "min")) {
            max = false;
        } else if (c.argIs((int) whereIdx, "max")) {
            max = true;
        } else {
            throw new CommandException(Errors.SYNTAX);
        }
        long count = -1;
        for (int j = (int) whereIdx + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "count") && j + 1 < c.argc()) {
                count = ListPopCommands.atLeast(c, ++j, 1, "ERR count should be greater than 0");
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        count = count == -1 ? 1 : count;
        List<byte[]> keys = new ArrayList<>(Arrays.asList(c.argv).subList(numkeysIdx + 1, (int) whereIdx));
        if (block) {
            long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[1], System.currentTimeMillis());
            blockingPop(c, keys, max, count, deadline);
        } else {
            popFrom(c, keys, max, count, new Shape(true, true, true));
        }
    }

    /** blockingGenericZpopCommand: the first non-empty sorted set serves at once, else the client blocks. */
    private static void blockingPop(CommandContext c, List<byte[]> keys, boolean max, long count, long deadline) {
        for (byte[] key : keys) {
            RZSet z = c.lookupWrite(key, RZSet.class);
            if (z == null || z.size() == 0) {
                continue;
            }
            popFrom(c, List.of(key), max, count, new Shape(true, count != -1, count != -1));
            return;
        }
        if (c.denyBlocking) {
            c.reply.nullArray();
            return;
        }
        c.server.blocking.block(c, keys, deadline, new Waiter(max, count));
    }
}
