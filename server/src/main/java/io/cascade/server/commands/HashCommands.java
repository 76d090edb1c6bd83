package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Dict;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;

import java.util.Arrays;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The hash family (t_hash.c) except HINCRBYFLOAT (with the strings): its declarations and the field commands.
 * HRANDFIELD is in HrandfieldCommand, HSCAN in CollectionScan. Command thread.
 */
public final class HashCommands {
    private static final String ORDER = "nondeterministic_output_order";

    private HashCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("hset", -4, "write denyoom fast", HashCommands::hset).keys(1, 1, 1, "RW update").acl("hash")
                .doc("Set the string value of a hash field", "2.0.0", "hash", "O(1) for each field/value pair added, "
                        + "so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
                        "key:key (field:string value:string)..."));
        t.add(cmd("hsetnx", 4, "write denyoom fast", HashCommands::hsetnx).keys(1, 1, 1, "RW insert").acl("hash")
                .doc("Set the value of a hash field, only if the field does not exist", "2.0.0", "hash", "O(1)",
                        "key:key field:string value:string"));
        t.add(cmd("hmset", -4, "write denyoom fast", HashCommands::hset).keys(1, 1, 1, "RW update").acl("hash")
                .doc("Set multiple hash fields to multiple values", "2.0.0", "hash",
                        "O(N) where N is the number of fields being set.", "key:key (field:string value:string)..."));
        t.add(cmd("hget", 3, "readonly fast", HashCommands::hget).keys(1, 1, 1, "RO access").acl("hash")
                .doc("Get the value of a hash field", "2.0.0", "hash", "O(1)", "key:key field:string"));
        t.add(cmd("hmget", -3, "readonly fast", HashCommands::hmget).keys(1, 1, 1, "RO access").acl("hash")
                .doc("Get the values of all the given hash fields", "2.0.0", "hash",
                        "O(N) where N is the number of fields being requested.", "key:key field:string..."));
        t.add(cmd("hdel", -3, "write fast", HashCommands::hdel).keys(1, 1, 1, "RW delete").acl("hash")
                .doc("Delete one or more hash fields", "2.0.0", "hash",
                        "O(N) where N is the number of fields to be removed.", "key:key field:string..."));
        t.add(cmd("hlen", 2, "readonly fast", HashCommands::hlen).keys(1, 1, 1, "RO").acl("hash")
                .doc("Get the number of fields in a hash", "2.0.0", "hash", "O(1)", "key:key"));
        t.add(cmd("hstrlen", 3, "readonly fast", HashCommands::hstrlen).keys(1, 1, 1, "RO").acl("hash")
                .doc("Get the length of the value of a hash field", "3.2.0", "hash", "O(1)", "key:key field:string"));
        t.add(cmd("hexists", 3, "readonly fast", HashCommands::hexists).keys(1, 1, 1, "RO").acl("hash")
                .doc("Determine if a hash field exists", "2.0.0", "hash", "O(1)", "key:key field:string"));
        t.add(cmd("hkeys", 2, "readonly", c -> getAll(c, true, false)).keys(1, 1, 1, "RO access").acl("hash")
                .tips(ORDER).doc("Get all the fields in a hash", "2.0.0", "hash",
                        "O(N) where N is the size of the hash.", "key:key"));
        t.add(cmd("hvals", 2, "readonly", c -> getAll(c, false, true)).keys(1, 1, 1, "RO access").acl("hash")
                .tips(ORDER).doc("Get all the values in a hash", "2.0.0", "hash",
                        "O(N) where N is the size of the hash.", "key:key"));
        t.add(cmd("hgetall", 2, "readonly", c -> getAll(c, true, true)).keys(1, 1, 1, "RO access").acl("hash")
                .tips(ORDER).doc("Get all the fields and values in a hash", "2.0.0", "hash",
                        "O(N) where N is the size of the hash.", "key:key"));
        t.add(cmd("hincrby", 4, "write denyoom fast", HashCommands::hincrby).keys(1, 1, 1, "RW access update")
                .acl("hash").doc("Increment the integer value of a hash field by the given number", "2.0.0", "hash",
                        "O(1)", "key:key field:string increment:integer"));
        t.add(cmd("hrandfield", -2, "readonly", HrandfieldCommand::hrandfield).keys(1, 1, 1, "RO access").acl("hash")
                .tips("nondeterministic_output").doc("Get one or multiple random fields from a hash", "6.2.0", "hash",
                        "O(N) where N is the number of fields returned", "key:key [count:integer [WITHVALUES]]"));
        t.add(cmd("hscan", -3, "readonly", CollectionScan::hscan).keys(1, 1, 1, "RO access").acl("hash")
                .tips("nondeterministic_output").doc("Incrementally iterate hash fields and associated values",
                        "2.8.0", "hash", CollectionScan.COMPLEXITY,
                        "key:key cursor:integer [MATCH pattern:pattern] [COUNT count:integer]"));
    }

    /** The hash at key for a write, or a new empty one (Redis's hashTypeLookupWriteOrCreate). */
    static RHash writeOrCreate(CommandContext c, byte[] key) {
        RHash h = c.lookupWrite(key, RHash.class);
        return h != null ? h : new RHash();
    }

    /** HSET and HMSET: the same command, HSET answers the number of new fields and HMSET OK. */
    static void hset(CommandContext c) {
        if (c.argc() % 2 == 1) {
            throw new CommandException(Errors.wrongArity(c.spec.fullName));
        }
        byte[] key = c.argv[1];
        RHash h = writeOrCreate(c, key);
        byte[][] args = Arrays.copyOfRange(c.argv, 2, c.argc());
        h.tryConversion(args);
        int created = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (h.put(c.argv[i], c.argv[i + 1])) {
                created++;
            }
        }
        c.db().update(key, h);
        if (c.spec.name.equals("hset")) {
            c.reply.integer(created);
        } else {
            c.ok();
        }
        c.notify(Notifications.HASH, "hset", key); // HMSET too
    }

    static void hsetnx(CommandContext c) {
        byte[] key = c.argv[1];
        RHash h = writeOrCreate(c, key);
        if (h.contains(c.argv[2])) {
            c.reply.integer(0);
            return;
        }
        h.tryConversion(c.argv[2], c.argv[3]);
        h.put(c.argv[2], c.argv[3]);
        c.db().update(key, h);
        c.reply.integer(1);
        c.notify(Notifications.HASH, "hset", key);
    }

    static void hget(CommandContext c) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        c.reply.bulk(h == null ? null : h.get(c.argv[2]));
    }

    static void hmget(CommandContext c) {
        // a missing key is an empty hash: one null per field
        RHash h = c.lookup(c.argv[1], RHash.class);
        c.reply.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            c.reply.bulk(h == null ? null : h.get(c.argv[i]));
        }
    }

    static void hdel(CommandContext c) {
        byte[] key = c.argv[1];
        RHash h = c.lookupWrite(key, RHash.class);
        if (h == null) {
            c.reply.integer(0);
            return;
        }
        int deleted = 0;
        // Redis stops at the field that empties the hash (and deletes the key there)
        for (int i = 2; i < c.argc() && h.size() > 0; i++) {
            if (h.remove(c.argv[i])) {
                deleted++;
            }
        }
        if (deleted > 0) {
            c.db().update(key, h);
            c.notify(Notifications.HASH, "hdel", key);
            if (h.size() == 0) {
                c.notify(Notifications.GENERIC, "del", key);
            }
        }
        c.reply.integer(deleted);
    }

    static void hlen(CommandContext c) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        c.reply.integer(h == null ? 0 : h.size());
    }

    static void hstrlen(CommandContext c) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        byte[] v = h == null ? null : h.get(c.argv[2]);
        c.reply.integer(v == null ? 0 : v.length);
    }

    static void hexists(CommandContext c) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        c.reply.integer(h != null && h.contains(c.argv[2]) ? 1 : 0);
    }

    /** HKEYS, HVALS, HGETALL (genericHgetallCommand): HGETALL is a map in RESP3, the others arrays. */
    static void getAll(CommandContext c, boolean fields, boolean values) {
        RHash h = c.lookup(c.argv[1], RHash.class);
        int n = h == null ? 0 : h.size();
        if (fields && values) {
            c.reply.map(n);
        } else {
            c.reply.array(n);
        }
        for (int i = 0; i < n; i++) {
            Dict.Entry e = h.at(i);
            if (fields) {
                c.reply.bulk(e.key);
            }
            if (values) {
                c.reply.bulk(e.value());
            }
        }
    }

    static void hincrby(CommandContext c) {
        long incr = c.longArg(3);
        byte[] key = c.argv[1];
        RHash h = writeOrCreate(c, key);
        byte[] old = h.get(c.argv[2]);
        long value = 0;
        if (old != null) {
            Long v = Ints.parse(old);
            if (v == null) {
                throw new CommandException("ERR hash value is not an integer");
            }
            value = v;
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandException("ERR increment or decrement would overflow");
        }
        value += incr;
        h.put(c.argv[2], Ints.bytes(value));
        c.db().update(key, h);
        c.reply.integer(value);
        c.notify(Notifications.HASH, "hincrby", key);
    }
}
