package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.types.RHash;

import java.nio.charset.StandardCharsets;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * INCRBYFLOAT and HINCRBYFLOAT: long double arithmetic (LongDouble) and its human-friendly output, stored
 * as the new string value. HINCRBYFLOAT is declared here because it shares the arithmetic. Command thread.
 */
final class FloatIncrCommands {
    private static final String NOT_FLOAT = "ERR value is not a valid float";
    private static final String NAN_OR_INF = "ERR increment would produce NaN or Infinity";

    private FloatIncrCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("incrbyfloat", 3, "write denyoom fast", FloatIncrCommands::incrbyfloat)
                .keys(1, 1, 1, "RW access update").acl("string")
                .doc("Increment the float value of a key by the given amount", "2.6.0", "string", "O(1)",
                        "key:key increment:double"));
        t.add(cmd("hincrbyfloat", 4, "write denyoom fast", FloatIncrCommands::hincrbyfloat)
                .keys(1, 1, 1, "RW access update").acl("hash")
                .doc("Increment the float value of a hash field by the given amount", "2.6.0", "hash", "O(1)",
                        "key:key field:string increment:double"));
    }

    /**
     * Unlike INCRBY, the key's type and value are checked before the increment. "inf" parses, so adding it
     * is the NaN-or-Infinity error rather than "not a valid float". The TTL stays.
     */
    static void incrbyfloat(CommandContext c) {
        byte[] key = c.argv[1];
        byte[] old = c.lookupWrite(key, byte[].class);
        LongDouble value = old == null ? LongDouble.ZERO : LongDouble.parse(old);
        LongDouble incr = value == null ? null : LongDouble.parse(c.argv[2]);
        if (incr == null) {
            throw new CommandException(NOT_FLOAT);
        }
        LongDouble sum = value.add(incr);
        if (sum.isNanOrInfinite()) {
            throw new CommandException(NAN_OR_INF);
        }
        byte[] result = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        c.db().set(key, result, old != null);
        c.notify(Notifications.STRING, "incrbyfloat", key);
        c.reply.bulk(result);
        // the result travels, not the increment: long double arithmetic and its printing may differ elsewhere
        c.server.propagation.rewrite(Rewrites.SET, key, result, Rewrites.KEEPTTL);
    }

    /**
     * HINCRBYFLOAT checks its increment first, and refuses an infinite one with its own text; a missing key or
     * field counts as 0.
     */
    static void hincrbyfloat(CommandContext c) {
        LongDouble incr = LongDouble.parse(c.argv[3]);
        if (incr == null) {
            throw new CommandException(NOT_FLOAT);
        }
        if (incr.isNanOrInfinite()) {
            throw new CommandException("ERR value is NaN or Infinity");
        }
        byte[] key = c.argv[1];
        RHash hash = c.lookupWrite(key, RHash.class);
        if (hash == null) {
            hash = new RHash();
        }
        byte[] old = hash.get(c.argv[2]);
        LongDouble value = old == null ? LongDouble.ZERO : LongDouble.parse(old);
        if (value == null) {
            throw new CommandException("ERR hash value is not a float");
        }
        LongDouble sum = value.add(incr);
        if (sum.isNanOrInfinite()) {
            throw new CommandException(NAN_OR_INF);
        }
        byte[] result = sum.toHumanString().getBytes(StandardCharsets.US_ASCII);
        hash.put(c.argv[2], result);
        c.db().update(key, hash);
        c.reply.bulk(result);
        c.notify(Notifications.HASH, "hincrbyfloat", key);
        // as INCRBYFLOAT: the new value travels, as HSET h f <value>
        c.server.propagation.rewrite(Rewrites.HSET, key, c.argv[2], result);
    }
}
