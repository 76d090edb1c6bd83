package io.cascade.server.commands;

import io.cascade.server.Blocking;
import io.cascade.server.BlockingTimeout;
import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.RType;
import io.cascade.storage.types.RList;

import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP: the non-blocking form when a list has elements, else the
 * client blocks (inside EXEC it answers null at once, as Redis under CLIENT_DENY_BLOCKING) and is served by
 * the Waiter when a push makes one of its keys ready. Command thread.
 */
public final class ListBlockingCommands {
    private static final byte[] LMOVE = "LMOVE".getBytes();
    private static final byte[] RPOPLPUSH = "RPOPLPUSH".getBytes();
    private static final byte[] LEFT = "left".getBytes();
    private static final byte[] RIGHT = "right".getBytes();

    private ListBlockingCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("blpop", -3, "write noscript blocking", c -> bpop(c, true)).keys(1, -2, 1, "RW access delete")
                .acl("list")
                .doc("Remove and get the first element in a list, or block until one is available", "2.0.0", "list",
                        "O(N) where N is the number of provided keys.", "key:key... timeout:double"));
        t.add(cmd("brpop", -3, "write noscript blocking", c -> bpop(c, false)).keys(1, -2, 1, "RW access delete")
                .acl("list")
                .doc("Remove and get the last element in a list, or block until one is available", "2.0.0", "list",
                        "O(N) where N is the number of provided keys.", "key:key... timeout:double"));
        t.add(cmd("blmove", 6, "write denyoom noscript blocking", ListBlockingCommands::blmove)
                .keys(1, 1, 1, "RW access delete").keys(2, 2, 1, "RW insert").acl("list")
                .doc("Pop an element from a list, push it to another list and return it; or block until one is "
                        + "available", "6.2.0", "list", "O(1)",
                        "source:key destination:key (LEFT|RIGHT) (LEFT|RIGHT) timeout:double"));
        t.add(cmd("brpoplpush", 4, "write denyoom noscript blocking", ListBlockingCommands::brpoplpush)
                .keys(1, 1, 1, "RW access delete").keys(2, 2, 1, "RW insert").acl("list")
                .doc("Pop an element from a list, push it to another list and return it; or block until one is "
                        + "available", "2.2.0", "list", "O(1)", "source:key destination:key timeout:double"));
        t.add(cmd("blmpop", -5, "write blocking movablekeys", ListBlockingCommands::blmpop)
                .keynum(2, 0, 1, 1, "RW access delete").acl("list")
                .doc("Pop elements from a list, or block until one is available", "7.0.0", "list", "O(N+M) where N is "
                        + "the number of provided keys and M is the number of elements returned.",
                        "timeout:double numkeys:integer key:key... (LEFT|RIGHT) [COUNT count:integer]"));
    }

    /**
     * What a client blocked in a list command waits to do: pop from the ready key (count > 0: BLMPOP's reply,
     * 0: BLPOP's [key, element]), or with a destination move the element there (BLMOVE, BRPOPLPUSH).
     */
    record Waiter(boolean fromLeft, long count, byte[] destination, boolean toLeft, boolean rpoplpush)
            implements Blocking.Handler {
        @Override
        public RType type() {
            return RType.LIST;
        }

        @Override
        public boolean serve(CommandContext c, byte[] key) {
            RList list = (RList) c.db().peek(key);
            if (destination != null) {
                // a destination of another type fails this client only (WRONGTYPE); the next one may be served
                ListPopCommands.move(c, key, list, destination, fromLeft, toLeft);
                propagateMove(c, key, destination, fromLeft, toLeft, rpoplpush);
            } else if (count > 0) {
                ListPopCommands.popRangeWithKey(c, key, list, fromLeft, count);
            } else {
                popOne(c, key, list, fromLeft);
            }
            return true;
        }
    }

    /** BLPOP's reply when an element is there: [key, element]; replicated as [LR]POP key. */
    private static void popOne(CommandContext c, byte[] key, RList list, boolean left) {
        c.reply.array(2);
        c.reply.bulk(key);
        c.reply.bulk(left ? list.removeFirst() : list.removeLast());
        c.db().update(key, list);
        c.server.blocking.propagate(c.client.db, left ? ListPopCommands.LPOP : ListPopCommands.RPOP, key);
        ListCommands.popped(c, key, list, left);
    }

    private static void propagateMove(CommandContext c, byte[] src, byte[] dst, boolean fromLeft, boolean toLeft,
                                      boolean rpoplpush) {
        if (rpoplpush) {
            c.server.blocking.propagate(c.client.db, RPOPLPUSH, src, dst);
        } else {
            c.server.blocking.propagate(c.client.db, LMOVE, src, dst, fromLeft ? LEFT : RIGHT, toLeft ? LEFT : RIGHT);
        }
    }

    static void bpop(CommandContext c, boolean left) {
        long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[c.argc() - 1], System.currentTimeMillis());
        List<byte[]> keys = Arrays.asList(c.argv).subList(1, c.argc() - 1);
        blockingPop(c, keys, left, 0, deadline);
    }

    static void blmpop(CommandContext c) {
        ListPopCommands.MPop m = ListPopCommands.MPop.parse(c, 2);
        long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[1], System.currentTimeMillis());
        blockingPop(c, m.keys(), m.left(), m.count(), deadline);
    }

    /** Redis's blockingPopGenericCommand: count 0 for BLPOP/BRPOP, the COUNT (at least 1) for BLMPOP. */
    private static void blockingPop(CommandContext c, List<byte[]> keys, boolean left, long count, long deadline) {
        for (byte[] key : keys) {
            RList list = c.lookupWrite(key, RList.class);
            if (list == null || list.size() == 0) {
                continue;
            }
            if (count > 0) {
                ListPopCommands.popRangeWithKey(c, key, list, left, count);
            } else {
                popOne(c, key, list, left);
            }
            return;
        }
        if (c.denyBlocking) {
            c.reply.nullArray();
            return;
        }
        c.server.blocking.block(c, keys, deadline, new Waiter(left, count, null, false, false));
    }

    static void blmove(CommandContext c) {
        boolean fromLeft = ListPopCommands.where(c, 3);
        boolean toLeft = ListPopCommands.where(c, 4);
        long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[5], System.currentTimeMillis());
        blockingMove(c, fromLeft, toLeft, deadline, false);
    }

    static void brpoplpush(CommandContext c) {
        long deadline = BlockingTimeout.deadlineFromSeconds(c.argv[3], System.currentTimeMillis());
        blockingMove(c, false, true, deadline, true);
    }

    private static void blockingMove(CommandContext c, boolean fromLeft, boolean toLeft, long deadline,
                                     boolean rpoplpush) {
        byte[] src = c.argv[1];
        byte[] dst = c.argv[2];
        RList list = c.lookupWrite(src, RList.class);
        if (list != null) {
            ListPopCommands.move(c, src, list, dst, fromLeft, toLeft);
            if (rpoplpush) {
                c.server.blocking.propagate(c.client.db, RPOPLPUSH, src, dst);
            } else {
                // Redis rewrites the command keeping the directions as they were typed
                c.server.blocking.propagate(c.client.db, LMOVE, src, dst, c.argv[3], c.argv[4]);
            }
            return;
        }
        if (c.denyBlocking) {
            c.reply.nullBulk();
            return;
        }
        c.server.blocking.block(c, List.of(src), deadline, new Waiter(fromLeft, 0, dst, toLeft, rpoplpush));
    }
}
