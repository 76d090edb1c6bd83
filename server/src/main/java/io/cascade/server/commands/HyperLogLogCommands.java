package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.types.HyperLogLog;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * PFADD, PFCOUNT and PFMERGE over HyperLogLog strings in Redis's exact byte layout (storage's HyperLogLog);
 * PFDEBUG and PFSELFTEST are in HyperLogLogDebug. Command thread.
 */
public final class HyperLogLogCommands {
    static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    static final String CORRUPT = "INVALIDOBJ Corrupted HLL object detected";

    private HyperLogLogCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("pfadd", -2, "write denyoom fast", HyperLogLogCommands::pfadd).keys(1, 1, 1, "RW insert")
                .acl("hyperloglog")
                .doc("Adds the specified elements to the specified HyperLogLog.", "2.8.9", "hyperloglog",
                        "O(1) to add every element.", "key:key [element:string...]"));
        t.add(cmd("pfcount", -2, "readonly may_replicate", HyperLogLogCommands::pfcount)
                .keys(1, -1, 1, "RW access")
                .keyNotes("RW because it may change the internal representation of the key, and propagate to replicas")
                .acl("hyperloglog")
                .doc("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
                        "2.8.9", "hyperloglog", "O(1) with a very small average constant time when called with a "
                                + "single key. O(N) with N being the number of keys, and much bigger constant times, "
                                + "when called with multiple keys.", "key:key..."));
        t.add(cmd("pfmerge", -2, "write denyoom", HyperLogLogCommands::pfmerge).keys(1, 1, 1, "RW access insert")
                .keys(2, -1, 1, "RO access").acl("hyperloglog")
                .doc("Merge N different HyperLogLogs into a single one.", "2.8.9", "hyperloglog",
                        "O(N) to merge N HyperLogLogs, but with high constant times.",
                        "destkey:key [sourcekey:key...]"));
        HyperLogLogDebug.register(t);
    }

    static long sparseMaxBytes(CommandContext c) {
        return c.server.config.getMemory("hll-sparse-max-bytes");
    }

    /** isHLLObjectOrReply: a string (else the usual WRONGTYPE) that looks like an HLL (else its own WRONGTYPE). */
    static byte[] checkHll(byte[] v) {
        if (v != null && !HyperLogLog.isValid(v)) {
            throw new CommandException(NOT_HLL);
        }
        return v;
    }

    static void pfadd(CommandContext c) {
        byte[] key = c.argv[1];
        byte[] old = checkHll(c.lookupWrite(key, byte[].class));
        HyperLogLog h = old == null ? HyperLogLog.create() : HyperLogLog.of(old);
        int updated = old == null ? 1 : 0;
        long maxBytes = sparseMaxBytes(c);
        for (int j = 2; j < c.argc(); j++) {
            int r = h.add(c.argv[j], maxBytes);
            if (r == 1) {
                updated++;
            } else if (r == -1) {
                // Redis changed its value in place up to here, without invalidating the cache of a dense one
                if (updated > 0) {
                    c.db().setBuiltInPlace(key, h.toBytes());
                }
                throw new CommandException(CORRUPT);
            }
        }
        if (updated > 0) {
            h.invalidateCache();
            c.db().setBuiltInPlace(key, h.toBytes());
            c.notify(Notifications.STRING, "pfadd", key);
        } else {
            c.db().unshareString(key); // pfaddCommand unshares an existing value before it adds
        }
        c.reply.integer(updated > 0 ? 1 : 0);
    }

    static void pfcount(CommandContext c) {
        if (c.argc() > 2) {
            // the cardinality of the union, computed on raw registers without writing anything
            byte[] max = new byte[HyperLogLog.REGISTERS];
            for (int j = 1; j < c.argc(); j++) {
                byte[] v = checkHll(c.lookup(c.argv[j], byte[].class));
                if (v != null && !HyperLogLog.of(v).mergeInto(max)) {
                    throw new CommandException(CORRUPT);
                }
            }
            c.reply.integer(HyperLogLog.countRaw(max));
            return;
        }
        byte[] v = checkHll(c.lookup(c.argv[1], byte[].class));
        if (v == null) {
            c.reply.integer(0);
            return;
        }
        HyperLogLog h = HyperLogLog.of(v);
        if (h.validCache()) {
            c.db().unshareString(c.argv[1]); // pfcountCommand unshares the value before it reads the cache
            c.reply.integer(h.cachedCardinality());
            return;
        }
        long card = h.count();
        if (card < 0) {
            throw new CommandException(CORRUPT);
        }
        // the cached cardinality is part of the string: a "read" that writes the key (and propagates)
        h.setCachedCardinality(card);
        c.db().setBuiltInPlace(c.argv[1], h.toBytes());
        c.reply.integer(card);
    }

    static void pfmerge(CommandContext c) {
        byte[] max = new byte[HyperLogLog.REGISTERS];
        boolean useDense = false;
        for (int j = 1; j < c.argc(); j++) {
            byte[] v = checkHll(c.lookup(c.argv[j], byte[].class));
            if (v == null) {
                continue;
            }
            HyperLogLog src = HyperLogLog.of(v);
            useDense |= src.isDense();
            if (!src.mergeInto(max)) {
                throw new CommandException(CORRUPT);
            }
        }
        byte[] key = c.argv[1];
        byte[] old = c.lookupWrite(key, byte[].class);
        HyperLogLog dest = old == null ? HyperLogLog.create() : HyperLogLog.of(old);
        if (useDense && !dest.toDense()) {
            throw new CommandException(CORRUPT);
        }
        long maxBytes = sparseMaxBytes(c);
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                dest.raise(j, max[j], maxBytes);
            }
        }
        dest.invalidateCache();
        c.db().setBuiltInPlace(key, dest.toBytes());
        // a mass add of elements: Redis names it pfadd too
        c.notify(Notifications.STRING, "pfadd", key);
        c.ok();
    }
}
