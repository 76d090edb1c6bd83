package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.Keyspace;
import io.cascade.storage.types.RSet;

import java.util.Arrays;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The set family (t_set.c): its declarations and the single-set commands. Intersections, unions and
 * differences are in SetAlgebraCommands, SPOP and SRANDMEMBER in SetRandomCommands, SSCAN in CollectionScan.
 * Command thread.
 */
public final class SetCommands {
    private static final String ORDER = "nondeterministic_output_order";

    private SetCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("sadd", -3, "write denyoom fast", SetCommands::sadd).keys(1, 1, 1, "RW insert").acl("set")
                .doc("Add one or more members to a set", "1.0.0", "set", "O(1) for each element added, so O(N) to add "
                        + "N elements when the command is called with multiple arguments.", "key:key member:string..."));
        t.add(cmd("srem", -3, "write fast", SetCommands::srem).keys(1, 1, 1, "RW delete").acl("set")
                .doc("Remove one or more members from a set", "1.0.0", "set",
                        "O(N) where N is the number of members to be removed.", "key:key member:string..."));
        t.add(cmd("smove", 4, "write fast", SetCommands::smove).keys(1, 1, 1, "RW access delete")
                .keys(2, 2, 1, "RW insert").acl("set")
                .doc("Move a member from one set to another", "1.0.0", "set", "O(1)",
                        "source:key destination:key member:string"));
        t.add(cmd("spop", -2, "write fast", SetRandomCommands::spop).keys(1, 1, 1, "RW access delete").acl("set")
                .tips("nondeterministic_output").doc("Remove and return one or multiple random members from a set",
                        "1.0.0", "set", "Without the count argument O(1), otherwise O(N) where N is the value of the "
                                + "passed count.", "key:key [count:integer]"));
        t.add(cmd("srandmember", -2, "readonly", SetRandomCommands::srandmember).keys(1, 1, 1, "RO access").acl("set")
                .tips("nondeterministic_output").doc("Get one or multiple random members from a set", "1.0.0", "set",
                        "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed "
                                + "count.", "key:key [count:integer]"));
        t.add(cmd("scard", 2, "readonly fast", SetCommands::scard).keys(1, 1, 1, "RO").acl("set")
                .doc("Get the number of members in a set", "1.0.0", "set", "O(1)", "key:key"));
        t.add(cmd("sismember", 3, "readonly fast", SetCommands::sismember).keys(1, 1, 1, "RO").acl("set")
                .doc("Determine if a given value is a member of a set", "1.0.0", "set", "O(1)",
                        "key:key member:string"));
        t.add(cmd("smismember", -3, "readonly fast", SetCommands::smismember).keys(1, 1, 1, "RO access").acl("set")
                .doc("Returns the membership associated with the given elements for a set", "6.2.0", "set",
                        "O(N) where N is the number of elements being checked for membership",
                        "key:key member:string..."));
        t.add(cmd("smembers", 2, "readonly", SetAlgebraCommands::sinter).keys(1, 1, 1, "RO access").acl("set")
                .tips(ORDER).doc("Get all the members in a set", "1.0.0", "set",
                        "O(N) where N is the set cardinality.", "key:key"));
        t.add(cmd("sinter", -2, "readonly", SetAlgebraCommands::sinter).keys(1, -1, 1, "RO access").acl("set")
                .tips(ORDER).doc("Intersect multiple sets", "1.0.0", "set", SetAlgebraCommands.INTER_COMPLEXITY,
                        "key:key..."));
        t.add(cmd("sintercard", -3, "readonly", SetAlgebraCommands::sintercard).keynum(1, 0, 1, 1, "RO access")
                .acl("set").doc("Intersect multiple sets and return the cardinality of the result", "7.0.0", "set",
                        SetAlgebraCommands.INTER_COMPLEXITY, "numkeys:integer key:key... [LIMIT limit:integer]"));
        t.add(cmd("sinterstore", -3, "write denyoom", SetAlgebraCommands::sinterstore).keys(1, 1, 1, "RW update")
                .keys(2, -1, 1, "RO access").acl("set")
                .doc("Intersect multiple sets and store the resulting set in a key", "1.0.0", "set",
                        SetAlgebraCommands.INTER_COMPLEXITY, "destination:key key:key..."));
        t.add(cmd("sunion", -2, "readonly", c -> SetAlgebraCommands.unionDiff(c, 1, false)).keys(1, -1, 1, "RO access")
                .acl("set").tips(ORDER).doc("Add multiple sets", "1.0.0", "set", SetAlgebraCommands.UNION_COMPLEXITY,
                        "key:key..."));
        t.add(cmd("sunionstore", -3, "write denyoom", c -> SetAlgebraCommands.unionDiff(c, 2, false))
                .keys(1, 1, 1, "OW update").keys(2, -1, 1, "RO access").acl("set")
                .doc("Add multiple sets and store the resulting set in a key", "1.0.0", "set",
                        SetAlgebraCommands.UNION_COMPLEXITY, "destination:key key:key..."));
        t.add(cmd("sdiff", -2, "readonly", c -> SetAlgebraCommands.unionDiff(c, 1, true)).keys(1, -1, 1, "RO access")
                .acl("set").tips(ORDER).doc("Subtract multiple sets", "1.0.0", "set",
                        SetAlgebraCommands.UNION_COMPLEXITY, "key:key..."));
        t.add(cmd("sdiffstore", -3, "write denyoom", c -> SetAlgebraCommands.unionDiff(c, 2, true))
                .keys(1, 1, 1, "OW update").keys(2, -1, 1, "RO access").acl("set")
                .doc("Subtract multiple sets and store the resulting set in a key", "1.0.0", "set",
                        SetAlgebraCommands.UNION_COMPLEXITY, "destination:key key:key..."));
        t.add(cmd("sscan", -3, "readonly", CollectionScan::sscan).keys(1, 1, 1, "RO access").acl("set")
                .tips("nondeterministic_output").doc("Incrementally iterate Set elements", "2.8.0", "set",
                        CollectionScan.COMPLEXITY, "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"));
    }

    static void sadd(CommandContext c) {
        byte[] key = c.argv[1];
        RSet s = c.lookupWrite(key, RSet.class);
        if (s == null) {
            s = RSet.createFor(c.argv[2]);
        }
        int added = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.add(c.argv[i])) {
                added++;
            }
        }
        if (added > 0) {
            c.db().update(key, s);
            c.notify(Notifications.SET, "sadd", key);
        }
        c.reply.integer(added);
    }

    static void srem(CommandContext c) {
        byte[] key = c.argv[1];
        RSet s = c.lookupWrite(key, RSet.class);
        if (s == null) {
            c.reply.integer(0);
            return;
        }
        int deleted = 0;
        for (int i = 2; i < c.argc() && s.size() > 0; i++) {
            if (s.remove(c.argv[i])) {
                deleted++;
            }
        }
        if (deleted > 0) {
            c.db().update(key, s);
            c.notify(Notifications.SET, "srem", key);
            if (s.size() == 0) {
                c.notify(Notifications.GENERIC, "del", key);
            }
        }
        c.reply.integer(deleted);
    }

    static void smove(CommandContext c) {
        byte[] srcKey = c.argv[1];
        byte[] dstKey = c.argv[2];
        byte[] member = c.argv[3];
        Keyspace db = c.db();
        Object srcValue = db.get(srcKey);
        Object dstValue = db.get(dstKey);
        // a missing source answers 0 before any type check, even of the destination
        if (srcValue == null) {
            c.reply.integer(0);
            return;
        }
        if (!(srcValue instanceof RSet src) || (dstValue != null && !(dstValue instanceof RSet))) {
            throw CommandException.wrongType();
        }
        if (Arrays.equals(srcKey, dstKey)) {
            c.reply.integer(src.contains(member) ? 1 : 0);
            return;
        }
        if (!src.remove(member)) {
            c.reply.integer(0);
            return;
        }
        db.update(srcKey, src);
        c.notify(Notifications.SET, "srem", srcKey);
        if (src.size() == 0) {
            c.notify(Notifications.GENERIC, "del", srcKey);
        }
        RSet dst = dstValue != null ? (RSet) dstValue : RSet.createFor(member);
        if (dst.add(member)) {
            db.update(dstKey, dst);
            c.notify(Notifications.SET, "sadd", dstKey);
        }
        c.reply.integer(1);
    }

    static void scard(CommandContext c) {
        RSet s = c.lookup(c.argv[1], RSet.class);
        c.reply.integer(s == null ? 0 : s.size());
    }

    static void sismember(CommandContext c) {
        RSet s = c.lookup(c.argv[1], RSet.class);
        c.reply.integer(s != null && s.contains(c.argv[2]) ? 1 : 0);
    }

    static void smismember(CommandContext c) {
        // a missing key is an empty set: one 0 per member
        RSet s = c.lookup(c.argv[1], RSet.class);
        c.reply.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply.integer(s != null && s.contains(c.argv[i]) ? 1 : 0);
        }
    }
}
