package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Ints;

/** INCR, DECR, INCRBY and DECRBY on 64-bit integers, with Redis's overflow errors. Command thread. */
final class CounterCommands {
    private CounterCommands() {
    }

    static void incr(CommandContext c) {
        incrDecr(c, 1);
    }

    static void decr(CommandContext c) {
        incrDecr(c, -1);
    }

    /** The increment is parsed before the key is looked up: a bad increment wins over WRONGTYPE. */
    static void incrby(CommandContext c) {
        incrDecr(c, c.longArg(2));
    }

    static void decrby(CommandContext c) {
        long decrement = c.longArg(2);
        if (decrement == Long.MIN_VALUE) {
            throw new CommandException("ERR decrement would overflow"); // -LLONG_MIN does not exist
        }
        incrDecr(c, -decrement);
    }

    /**
     * A missing key counts as 0; the stored string must be a canonical integer (no spaces, '+' or leading
     * zeros). The TTL stays, as Redis overwrites the value in place.
     */
    private static void incrDecr(CommandContext c, long incr) {
        byte[] key = c.argv[1];
        byte[] old = c.lookupWrite(key, byte[].class);
        long value = 0;
        if (old != null) {
            Long v = Ints.parse(old);
            if (v == null) {
                throw new CommandException(Errors.NOT_INTEGER);
            }
            value = v;
        }
        if ((incr < 0 && value < 0 && incr < Long.MIN_VALUE - value)
                || (incr > 0 && value > 0 && incr > Long.MAX_VALUE - value)) {
            throw new CommandException("ERR increment or decrement would overflow");
        }
        value += incr;
        c.db().set(key, Ints.bytes(value), old != null);
        c.notify(Notifications.STRING, "incrby", key);
        c.reply.integer(value);
    }
}
