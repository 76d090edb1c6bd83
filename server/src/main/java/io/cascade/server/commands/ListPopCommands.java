package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.types.RList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * LPOP, RPOP, LMPOP, LMOVE and RPOPLPUSH, and the pop and move steps the blocking forms share with them
 * (a blocked client is served exactly as if it had run these). Command thread.
 */
public final class ListPopCommands {
    static final byte[] LPOP = "LPOP".getBytes();
    static final byte[] RPOP = "RPOP".getBytes();

    private ListPopCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("lpop", -2, "write fast", c -> pop(c, true)).keys(1, 1, 1, "RW access delete").acl("list")
                .doc("Remove and get the first elements in a list", "1.0.0", "list",
                        "O(N) where N is the number of elements returned", "key:key [count:integer]"));
        t.add(cmd("rpop", -2, "write fast", c -> pop(c, false)).keys(1, 1, 1, "RW access delete").acl("list")
                .doc("Remove and get the last elements in a list", "1.0.0", "list",
                        "O(N) where N is the number of elements returned", "key:key [count:integer]"));
        t.add(cmd("lmpop", -4, "write movablekeys", ListPopCommands::lmpop).keynum(1, 0, 1, 1, "RW access delete")
                .acl("list")
                .doc("Pop elements from a list", "7.0.0", "list", "O(N+M) where N is the number of provided keys and "
                        + "M is the number of elements returned.",
                        "numkeys:integer key:key... (LEFT|RIGHT) [COUNT count:integer]"));
        t.add(cmd("rpoplpush", 3, "write denyoom", ListPopCommands::rpoplpush).keys(1, 1, 1, "RW access delete")
                .keys(2, 2, 1, "RW insert").acl("list")
                .doc("Remove the last element in a list, prepend it to another list and return it", "1.2.0", "list",
                        "O(1)", "source:key destination:key"));
        t.add(cmd("lmove", 5, "write denyoom", ListPopCommands::lmove).keys(1, 1, 1, "RW access delete")
                .keys(2, 2, 1, "RW insert").acl("list")
                .doc("Pop an element from a list, push it to another list and return it", "6.2.0", "list", "O(1)",
                        "source:key destination:key (LEFT|RIGHT) (LEFT|RIGHT)"));
        ListPosCommand.register(t);
    }

    /** LEFT or RIGHT (any case): true for LEFT; a syntax error otherwise. */
    static boolean where(CommandContext c, int i) {
        if (c.argIs(i, "left")) {
            return true;
        }
        if (c.argIs(i, "right")) {
            return false;
        }
        throw new CommandException(Errors.SYNTAX);
    }

    /** Redis's getRangeLongFromObjectOrReply(min, LONG_MAX) with its message for both failures. */
    static long atLeast(CommandContext c, int i, long min, String error) {
        Long v = Numbers.parseLong(c.argv[i]);
        if (v == null || v < min) {
            throw new CommandException(error);
        }
        return v;
    }

    static void pop(CommandContext c, boolean left) {
        if (c.argc() > 3) {
            c.reply.error(Errors.wrongArity(c.spec.fullName));
            return;
        }
        boolean hasCount = c.argc() == 3;
        long count = hasCount ? atLeast(c, 2, 0, "ERR value is out of range, must be positive") : 0;
        RList list = c.lookupWrite(c.argv[1], RList.class);
        if (list == null) {
            if (hasCount) {
                c.reply.nullArray();
            } else {
                c.reply.nullBulk();
            }
            return;
        }
        if (!hasCount) {
            c.reply.bulk(left ? list.removeFirst() : list.removeLast());
        } else if (count == 0) {
            c.reply.array(0);
            return;
        } else {
            popRange(c, list, left, count);
        }
        c.db().update(c.argv[1], list);
        ListCommands.popped(c, c.argv[1], list, left);
    }

    /** Pops up to count elements from one end and replies them in pop order; the caller stores the list. */
    static int popRange(CommandContext c, RList list, boolean left, long count) {
        int n = (int) Math.min(count, list.size());
        c.reply.array(n);
        for (int i = 0; i < n; i++) {
            c.reply.bulk(left ? list.removeFirst() : list.removeLast());
        }
        return n;
    }

    /** LMPOP's and BLMPOP's reply for one key: [key, [elements]]; pops, stores, and says what to propagate. */
    static void popRangeWithKey(CommandContext c, byte[] key, RList list, boolean left, long count) {
        c.reply.array(2);
        c.reply.bulk(key);
        int n = popRange(c, list, left, count);
        c.db().update(key, list);
        ListCommands.popped(c, key, list, left);
        // Redis replicates it as [LR]POP key count
        c.server.blocking.propagate(c.client.db, left ? LPOP : RPOP, key, Long.toString(n).getBytes());
    }

    /** The arguments of LMPOP / BLMPOP from numkeys at index numkeysIdx: keys, direction, count (1 if absent). */
    record MPop(List<byte[]> keys, boolean left, long count) {
        static MPop parse(CommandContext c, int numkeysIdx) {
            long numkeys = atLeast(c, numkeysIdx, 1, "ERR numkeys should be greater than 0");
            if (numkeys >= c.argc() - numkeysIdx - 1) {
                throw new CommandException(Errors.SYNTAX);
            }
            int whereIdx = numkeysIdx + (int) numkeys + 1;
            boolean left = where(c, whereIdx);
            long count = -1;
            for (int j = whereIdx + 1; j < c.argc(); j++) {
                if (count == -1 && c.argIs(j, "count") && j + 1 < c.argc()) {
                    count = atLeast(c, ++j, 1, "ERR count should be greater than 0");
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            List<byte[]> keys = new ArrayList<>(Arrays.asList(c.argv).subList(numkeysIdx + 1, whereIdx));
            return new MPop(keys, left, count == -1 ? 1 : count);
        }
    }

    static void lmpop(CommandContext c) {
        MPop m = MPop.parse(c, 1);
        if (!mpop(c, m)) {
            c.reply.nullArray();
        }
    }

    /** Pops from the first key that holds a non-empty list; false when none does (nothing replied). */
    static boolean mpop(CommandContext c, MPop m) {
        for (byte[] key : m.keys()) {
            RList list = c.lookupWrite(key, RList.class);
            if (list != null && list.size() > 0) {
                popRangeWithKey(c, key, list, m.left(), m.count());
                return true;
            }
        }
        return false;
    }

    static void rpoplpush(CommandContext c) {
        RList src = c.lookupWrite(c.argv[1], RList.class);
        if (src == null) {
            c.reply.nullBulk();
            return;
        }
        move(c, c.argv[1], src, c.argv[2], false, true);
    }

    static void lmove(CommandContext c) {
        boolean fromLeft = where(c, 3);
        boolean toLeft = where(c, 4);
        RList src = c.lookupWrite(c.argv[1], RList.class);
        if (src == null) {
            c.reply.nullBulk();
            return;
        }
        move(c, c.argv[1], src, c.argv[2], fromLeft, toLeft);
    }

    /**
     * Redis's lmoveGenericCommand after the source was found: WRONGTYPE if the destination holds something
     * else, otherwise pops from the source, pushes to the destination (creating it) and replies the element.
     */
    static void move(CommandContext c, byte[] srcKey, RList src, byte[] dstKey, boolean fromLeft, boolean toLeft) {
        boolean same = Arrays.equals(srcKey, dstKey);
        // the same key must be the same list: a second lookup could hand out another decoded copy
        RList dst = same ? src : c.lookupWrite(dstKey, RList.class);
        boolean created = dst == null;
        if (created) {
            dst = new RList();
        }
        byte[] value = fromLeft ? src.removeFirst() : src.removeLast();
        if (toLeft) {
            dst.addFirst(value);
        } else {
            dst.addLast(value);
        }
        if (!same) {
            ListCommands.store(c, dstKey, dst, created);
        }
        c.db().update(srcKey, src);
        // as lmoveGenericCommand: the push on the destination, then the pop (and del) of the source
        c.notify(Notifications.LIST, toLeft ? "lpush" : "rpush", dstKey);
        c.reply.bulk(value);
        ListCommands.popped(c, srcKey, src, fromLeft);
    }
}
