package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.types.RList;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The list family's declarations, and the commands that read or edit a list in place (push, LLEN, LINDEX,
 * LSET, LRANGE, LTRIM, LINSERT, LREM), with Redis 7.0's replies and errors. Pops and moves are in
 * ListPopCommands, the blocking forms in ListBlockingCommands. Command thread.
 */
public final class ListCommands {
    private static final String PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when the "
            + "command is called with multiple arguments.";

    private ListCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("lpush", -3, "write denyoom fast", c -> push(c, true, false)).keys(1, 1, 1, "RW insert").acl("list")
                .doc("Prepend one or multiple elements to a list", "1.0.0", "list", PUSH_COMPLEXITY,
                        "key:key element:string..."));
        t.add(cmd("rpush", -3, "write denyoom fast", c -> push(c, false, false)).keys(1, 1, 1, "RW insert").acl("list")
                .doc("Append one or multiple elements to a list", "1.0.0", "list", PUSH_COMPLEXITY,
                        "key:key element:string..."));
        t.add(cmd("lpushx", -3, "write denyoom fast", c -> push(c, true, true)).keys(1, 1, 1, "RW insert").acl("list")
                .doc("Prepend an element to a list, only if the list exists", "2.2.0", "list", PUSH_COMPLEXITY,
                        "key:key element:string..."));
        t.add(cmd("rpushx", -3, "write denyoom fast", c -> push(c, false, true)).keys(1, 1, 1, "RW insert").acl("list")
                .doc("Append an element to a list, only if the list exists", "2.2.0", "list", PUSH_COMPLEXITY,
                        "key:key element:string..."));
        t.add(cmd("llen", 2, "readonly fast", ListCommands::llen).keys(1, 1, 1, "RO").acl("list")
                .doc("Get the length of a list", "1.0.0", "list", "O(1)", "key:key"));
        t.add(cmd("lindex", 3, "readonly", ListCommands::lindex).keys(1, 1, 1, "RO access").acl("list")
                .doc("Get an element from a list by its index", "1.0.0", "list", "O(N) where N is the number of "
                        + "elements to traverse to get to the element at index. This makes asking for the first or "
                        + "the last element of the list O(1).", "key:key index:integer"));
        t.add(cmd("lset", 4, "write denyoom", ListCommands::lset).keys(1, 1, 1, "RW update").acl("list")
                .doc("Set the value of an element in a list by its index", "1.0.0", "list", "O(N) where N is the "
                        + "length of the list. Setting either the first or the last element of the list is O(1).",
                        "key:key index:integer element:string"));
        t.add(cmd("lrange", 4, "readonly", ListCommands::lrange).keys(1, 1, 1, "RO access").acl("list")
                .doc("Get a range of elements from a list", "1.0.0", "list", "O(S+N) where S is the distance of "
                        + "start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; "
                        + "and N is the number of elements in the specified range.",
                        "key:key start:integer stop:integer"));
        t.add(cmd("ltrim", 4, "write", ListCommands::ltrim).keys(1, 1, 1, "RW delete").acl("list")
                .doc("Trim a list to the specified range", "1.0.0", "list", "O(N) where N is the number of elements "
                        + "to be removed by the operation.", "key:key start:integer stop:integer"));
        t.add(cmd("linsert", 5, "write denyoom", ListCommands::linsert).keys(1, 1, 1, "RW insert").acl("list")
                .doc("Insert an element before or after another element in a list", "2.2.0", "list", "O(N) where N "
                        + "is the number of elements to traverse before seeing the value pivot. This means that "
                        + "inserting somewhere on the left end on the list (head) can be considered O(1) and "
                        + "inserting somewhere on the right end (tail) is O(N).",
                        "key:key (BEFORE|AFTER) pivot:string element:string"));
        t.add(cmd("lrem", 4, "write", ListCommands::lrem).keys(1, 1, 1, "RW delete").acl("list")
                .doc("Remove elements from a list", "1.0.0", "list", "O(N+M) where N is the length of the list and M "
                        + "is the number of elements removed.", "key:key count:integer element:string"));
        ListPopCommands.register(t);
        ListBlockingCommands.register(t);
    }

    /** Writes a list back: a new one with dbAdd's semantics (no old expire survives), else in place. */
    static void store(CommandContext c, byte[] key, RList list, boolean created) {
        if (created) {
            c.db().set(key, list);
        } else {
            c.db().update(key, list);
        }
    }

    /** listElementsRemoved's events: lpop/rpop, then del when the list went with its last element. */
    static void popped(CommandContext c, byte[] key, RList list, boolean left) {
        c.notify(Notifications.LIST, left ? "lpop" : "rpop", key);
        emptied(c, key, list);
    }

    /** The del event of a list that lost its last element (Keyspace.update deleted it). */
    static void emptied(CommandContext c, byte[] key, RList list) {
        if (list.size() == 0) {
            c.notify(Notifications.GENERIC, "del", key);
        }
    }

    /** Redis's index convention: negative counts from the tail; the result may still be out of range. */
    static long index(long i, int size) {
        return i < 0 ? size + i : i;
    }

    static void push(CommandContext c, boolean head, boolean onlyIfExists) {
        byte[] key = c.argv[1];
        RList list = c.lookupWrite(key, RList.class);
        boolean created = list == null;
        if (created) {
            if (onlyIfExists) {
                c.reply.integer(0);
                return;
            }
            list = new RList(c.argc() - 2);
        }
        for (int i = 2; i < c.argc(); i++) {
            if (head) {
                list.addFirst(c.argv[i]);
            } else {
                list.addLast(c.argv[i]);
            }
        }
        store(c, key, list, created);
        c.reply.integer(list.size());
        c.notify(Notifications.LIST, head ? "lpush" : "rpush", key);
    }

    static void llen(CommandContext c) {
        RList list = c.lookup(c.argv[1], RList.class);
        c.reply.integer(list == null ? 0 : list.size());
    }

    static void lindex(CommandContext c) {
        RList list = c.lookup(c.argv[1], RList.class);
        if (list == null) {
            c.reply.nullBulk();
            return;
        }
        long i = index(c.longArg(2), list.size());
        if (i < 0 || i >= list.size()) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(list.get((int) i));
        }
    }

    static void lset(CommandContext c) {
        RList list = c.lookupWrite(c.argv[1], RList.class);
        if (list == null) {
            c.reply.error("ERR no such key");
            return;
        }
        long i = index(c.longArg(2), list.size());
        if (i < 0 || i >= list.size()) {
            c.reply.error("ERR index out of range");
            return;
        }
        list.set((int) i, c.argv[3]);
        c.db().update(c.argv[1], list);
        c.ok();
        c.notify(Notifications.LIST, "lset", c.argv[1]);
    }

    static void lrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        RList list = c.lookup(c.argv[1], RList.class);
        if (list == null) {
            c.reply.array(0);
            return;
        }
        rangeReply(c, list, start, end, false);
    }

    /** Redis's addListRangeReply: elements start..end (negative from the tail, clamped), optionally reversed. */
    static void rangeReply(CommandContext c, RList list, long start, long end, boolean reverse) {
        int size = list.size();
        start = index(start, size);
        end = index(end, size);
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            c.reply.array(0);
            return;
        }
        if (end >= size) {
            end = size - 1;
        }
        int n = (int) (end - start + 1);
        c.reply.array(n);
        for (int k = 0; k < n; k++) {
            c.reply.bulk(list.get(reverse ? (int) end - k : (int) start + k));
        }
    }

    static void ltrim(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        RList list = c.lookupWrite(c.argv[1], RList.class);
        if (list == null) {
            c.ok();
            return;
        }
        int size = list.size();
        start = index(start, size);
        end = index(end, size);
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= size) {
            list.trim(1, 0);
        } else {
            list.trim((int) start, (int) Math.min(end, size - 1));
        }
        if (list.size() == size) {
            // nothing went: Redis signals the key as modified (WATCH) all the same, but counts no change
            // (dirty += 0), so the LTRIM is not propagated
            c.server.watches.touch(c.server.databases, c.client.db, c.argv[1]);
        } else {
            c.db().update(c.argv[1], list);
        }
        // raised even when nothing was trimmed
        c.notify(Notifications.LIST, "ltrim", c.argv[1]);
        emptied(c, c.argv[1], list);
        c.ok();
    }

    static void linsert(CommandContext c) {
        boolean after;
        if (c.argIs(2, "after")) {
            after = true;
        } else if (c.argIs(2, "before")) {
            after = false;
        } else {
            c.syntaxError();
            return;
        }
        RList list = c.lookupWrite(c.argv[1], RList.class);
        if (list == null) {
            c.reply.integer(0);
            return;
        }
        int at = list.indexOf(c.argv[3], 0);
        if (at < 0) {
            c.reply.integer(-1);
            return;
        }
        list.insert(after ? at + 1 : at, c.argv[4]);
        c.db().update(c.argv[1], list);
        c.notify(Notifications.LIST, "linsert", c.argv[1]);
        c.reply.integer(list.size());
    }

    static void lrem(CommandContext c) {
        long count = c.longArg(2);
        RList list = c.lookupWrite(c.argv[1], RList.class);
        if (list == null) {
            c.reply.integer(0);
            return;
        }
        long removed = list.removeEqual(c.argv[3], count);
        if (removed > 0) {
            c.db().update(c.argv[1], list);
            c.notify(Notifications.LIST, "lrem", c.argv[1]);
            emptied(c, c.argv[1], list);
        }
        c.reply.integer(removed);
    }
}
