package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.storage.Keyspace;

import static io.cascade.server.command.CommandTable.cmd;

/** EXPIRE PEXPIRE EXPIREAT PEXPIREAT (NX XX GT LT), PERSIST, TTL PTTL EXPIRETIME PEXPIRETIME (expire.c). Command thread. */
public final class ExpireCommands {
    private static final String CONDITION = "[NX|XX|GT|LT]";

    private ExpireCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("expire", -3, "write fast", c -> expire(c, -1, true)).keys(1, 1, 1, "RW update").acl("keyspace")
                .doc("Set a key's time to live in seconds", "1.0.0", "generic", "O(1)",
                        "key:key seconds:integer " + CONDITION));
        t.add(cmd("pexpire", -3, "write fast", c -> expire(c, -1, false)).keys(1, 1, 1, "RW update").acl("keyspace")
                .doc("Set a key's time to live in milliseconds", "2.6.0", "generic", "O(1)",
                        "key:key milliseconds:integer " + CONDITION));
        t.add(cmd("expireat", -3, "write fast", c -> expire(c, 0, true)).keys(1, 1, 1, "RW update").acl("keyspace")
                .doc("Set the expiration for a key as a UNIX timestamp", "1.2.0", "generic", "O(1)",
                        "key:key unix-time-seconds:unix-time " + CONDITION));
        t.add(cmd("pexpireat", -3, "write fast", c -> expire(c, 0, false)).keys(1, 1, 1, "RW update")
                .acl("keyspace")
                .doc("Set the expiration for a key as a UNIX timestamp specified in milliseconds", "2.6.0",
                        "generic", "O(1)", "key:key unix-time-milliseconds:unix-time " + CONDITION));
        t.add(cmd("persist", 2, "write fast", ExpireCommands::persist).keys(1, 1, 1, "RW update").acl("keyspace")
                .doc("Remove the expiration from a key", "2.2.0", "generic", "O(1)", "key:key"));
        t.add(cmd("ttl", 2, "readonly fast", c -> ttl(c, false, false)).keys(1, 1, 1, "RO access").acl("keyspace")
                .tips("nondeterministic_output")
                .doc("Get the time to live for a key in seconds", "1.0.0", "generic", "O(1)", "key:key"));
        t.add(cmd("pttl", 2, "readonly fast", c -> ttl(c, true, false)).keys(1, 1, 1, "RO access").acl("keyspace")
                .tips("nondeterministic_output")
                .doc("Get the time to live for a key in milliseconds", "2.6.0", "generic", "O(1)", "key:key"));
        t.add(cmd("expiretime", 2, "readonly fast", c -> ttl(c, false, true)).keys(1, 1, 1, "RO access")
                .acl("keyspace")
                .doc("Get the expiration Unix timestamp for a key", "7.0.0", "generic", "O(1)", "key:key"));
        t.add(cmd("pexpiretime", 2, "readonly fast", c -> ttl(c, true, true)).keys(1, 1, 1, "RO access")
                .acl("keyspace")
                .doc("Get the expiration Unix timestamp for a key in milliseconds", "7.0.0", "generic", "O(1)",
                        "key:key"));
    }

    /**
     * expireGenericCommand. basetime is 0 for absolute times (EXPIREAT), -1 for "now" (EXPIRE): now is read
     * once here. The options are checked before the number, as Redis does, and every overflow of the unit
     * conversion or of the addition is refused rather than wrapped.
     */
    static void expire(CommandContext c, long basetime, boolean seconds) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int j = 3; j < c.argc(); j++) {
            switch (c.argLower(j)) {
                case "nx" -> nx = true;
                case "xx" -> xx = true;
                case "gt" -> gt = true;
                case "lt" -> lt = true;
                default -> throw ErrorText.of("ERR Unsupported option ").arg(c.argv[j]).exception();
            }
        }
        if (nx && (xx || gt || lt)) {
            throw new CommandException("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            throw new CommandException("ERR GT and LT options at the same time are not compatible");
        }
        long when = c.longArg(2);
        String invalid = "ERR invalid expire time in '" + c.spec.fullName + "' command";
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw new CommandException(invalid);
            }
            when *= 1000;
        }
        long base = basetime < 0 ? Keyspace.now() : basetime;
        if (when > Long.MAX_VALUE - base) {
            throw new CommandException(invalid);
        }
        when += base;
        Keyspace db = c.db();
        byte[] key = c.argv[1];
        if (c.lookupWrite(key, Object.class) == null) {
            c.reply.integer(0);
            return;
        }
        long current = db.getExpire(key);
        // GT treats "no expire" as an infinite TTL, so it always fails then; LT always passes then
        if ((nx && current != -1) || (xx && current == -1) || (gt && (when <= current || current == -1))
                || (lt && current != -1 && when >= current)) {
            c.reply.integer(0);
            return;
        }
        if (when <= Keyspace.now() && db.expireDeletes()) {
            // a time in the past deletes the key on a master (a replica keeps it until the master's DEL), and
            // the replicas are told so explicitly: they would only store the past time
            db.delete(key);
            c.server.propagation.rewrite(Rewrites.expireDelete(c), key);
            c.notify(Notifications.GENERIC, "del", key);
        } else {
            db.setExpire(key, when);
            // relative times travel as absolute ones: PEXPIREAT k <abs-ms>, the NX/XX/GT/LT words as they came;
            // a client's PEXPIREAT keeps its own spelling (Redis rewrites argv[0] only for the others)
            byte[][] argv = c.argv.clone();
            if (!(basetime == 0 && !seconds)) {
                argv[0] = Rewrites.PEXPIREAT;
                argv[2] = Rewrites.number(when);
            }
            c.server.propagation.rewrite(argv);
            c.reply.integer(1);
            c.notify(Notifications.GENERIC, "expire", key);
            return;
        }
        c.reply.integer(1);
    }

    static void persist(CommandContext c) {
        if (c.lookupWrite(c.argv[1], Object.class) != null && c.db().persist(c.argv[1])) {
            c.notify(Notifications.GENERIC, "persist", c.argv[1]);
            c.reply.integer(1);
        } else {
            c.reply.integer(0);
        }
    }

    /** ttlGenericCommand: -2 missing, -1 no expire; seconds are rounded to the nearest, EXPIRETIME too. */
    static void ttl(CommandContext c, boolean ms, boolean absolute) {
        if (c.lookupNoTouch(c.argv[1], Object.class) == null) {
            c.reply.integer(-2);
            return;
        }
        long expire = c.db().getExpire(c.argv[1]);
        if (expire == -1) {
            c.reply.integer(-1);
            return;
        }
        long ttl = Math.max(0, absolute ? expire : expire - Keyspace.now());
        c.reply.integer(ms ? ttl : (ttl + 500) / 1000);
    }
}
