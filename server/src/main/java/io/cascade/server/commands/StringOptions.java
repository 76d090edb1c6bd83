package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.Keyspace;

/**
 * SET's and GETEX's options as Redis's parseExtendedStringArgumentsOrReply reads them (NX XX GET KEEPTTL for
 * SET, PERSIST for GETEX, EX PX EXAT PXAT for both), and the expire argument turned into an absolute time
 * (getExpireMillisecondsOrReply). Built per command on the command thread.
 */
final class StringOptions {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int EX = 1 << 2;
    static final int PX = 1 << 3;
    static final int KEEPTTL = 1 << 4;
    static final int GET = 1 << 5;
    static final int EXAT = 1 << 6;
    static final int PXAT = 1 << 7;
    static final int PERSIST = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    int flags;
    /** The EX/PX/EXAT/PXAT argument (the last one given: Redis lets the same option repeat), or null. */
    byte[] expire;
    boolean milliseconds;

    StringOptions(int flags, byte[] expire, boolean milliseconds) {
        this.flags = flags;
        this.expire = expire;
        this.milliseconds = milliseconds;
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /**
     * Reads the options from argument {@code first} on (3 for SET, 2 for GETEX). Any unknown word, a missing
     * value, or an option that conflicts with one already seen is a syntax error.
     */
    static StringOptions parse(CommandContext c, int first, boolean forSet) {
        StringOptions o = new StringOptions(0, null, false);
        for (int j = first; j < c.argc(); j++) {
            String opt = cString(c.argv[j]);
            boolean hasNext = j < c.argc() - 1;
            int f = o.flags;
            if (forSet && opt.equals("nx") && (f & XX) == 0) {
                o.flags |= NX;
            } else if (forSet && opt.equals("xx") && (f & NX) == 0) {
                o.flags |= XX;
            } else if (forSet && opt.equals("get")) {
                o.flags |= GET;
            } else if (forSet && opt.equals("keepttl") && (f & (PERSIST | ANY_EXPIRE)) == 0) {
                o.flags |= KEEPTTL;
            } else if (!forSet && opt.equals("persist") && (f & (KEEPTTL | ANY_EXPIRE)) == 0) {
                o.flags |= PERSIST;
            } else if (opt.equals("ex") && (f & (KEEPTTL | PERSIST | EXAT | PX | PXAT)) == 0 && hasNext) {
                o.flags |= EX;
                o.expire = c.argv[++j];
            } else if (opt.equals("px") && (f & (KEEPTTL | PERSIST | EX | EXAT | PXAT)) == 0 && hasNext) {
                o.flags |= PX;
                o.milliseconds = true;
                o.expire = c.argv[++j];
            } else if (opt.equals("exat") && (f & (KEEPTTL | PERSIST | EX | PX | PXAT)) == 0 && hasNext) {
                o.flags |= EXAT;
                o.expire = c.argv[++j];
            } else if (opt.equals("pxat") && (f & (KEEPTTL | PERSIST | EX | EXAT | PX)) == 0 && hasNext) {
                o.flags |= PXAT;
                o.milliseconds = true;
                o.expire = c.argv[++j];
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return o;
    }

    /**
     * The absolute expire time in ms. Zero or negative values, seconds that overflow when multiplied by 1000,
     * and relative times that overflow once now is added are "invalid expire time in '<command>' command".
     */
    long expireAt(CommandContext c) {
        Long v = Numbers.parseLong(expire);
        if (v == null) {
            throw new CommandException(Errors.NOT_INTEGER);
        }
        long ms = v;
        if (ms <= 0 || (!milliseconds && ms > Long.MAX_VALUE / 1000)) {
            throw invalidExpireTime(c);
        }
        if (!milliseconds) {
            ms *= 1000;
        }
        if (has(EX) || has(PX)) {
            ms += Keyspace.now(); // wraps negative on overflow, as in Redis, and is refused just below
        }
        if (ms <= 0) {
            throw invalidExpireTime(c);
        }
        return ms;
    }

    static CommandException invalidExpireTime(CommandContext c) {
        return new CommandException("ERR invalid expire time in '" + c.spec.fullName + "' command");
    }

    /**
     * The argument lower-cased up to its first NUL byte: Redis compares options as C strings, so "nx\0junk"
     * is NX to it.
     */
    static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            int x = b[i] & 0xff;
            out[i] = (char) (x >= 'A' && x <= 'Z' ? x + 32 : x);
        }
        return new String(out);
    }
}
