package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.storage.Keyspace;

import java.util.Arrays;

/** GET, GETDEL, GETEX, MGET, STRLEN, GETRANGE and SUBSTR, with Redis 7.0's replies. Command thread. */
final class StringGetCommands {
    private static final byte[] EMPTY = new byte[0];

    private StringGetCommands() {
    }

    static void get(CommandContext c) {
        c.reply.bulk(c.lookup(c.argv[1], byte[].class));
    }

    static void getdel(CommandContext c) {
        byte[] v = c.lookup(c.argv[1], byte[].class);
        c.reply.bulk(v);
        if (v != null) {
            c.db().delete(c.argv[1]);
            c.server.propagation.rewrite(Rewrites.userDelete(c), c.argv[1]);
            c.notify(Notifications.GENERIC, "del", c.argv[1]);
        }
    }

    /**
     * GETEX key [EX|PX|EXAT|PXAT t|PERSIST]. Redis checks the options' syntax first, then the key (missing: nil,
     * without looking at the time value), its type, and only then the time. An EXAT/PXAT already in the past
     * deletes the key (unlike SET, which stores the past time and lets the key expire).
     */
    static void getex(CommandContext c) {
        StringOptions o = StringOptions.parse(c, 2, false);
        byte[] key = c.argv[1];
        byte[] v = c.lookup(key, byte[].class);
        if (v == null) {
            c.reply.nullBulk();
            return;
        }
        long when = o.expire != null ? o.expireAt(c) : -1;
        c.reply.bulk(v);
        Keyspace db = c.db();
        // GETEX never travels as itself (a replica must not read): it goes as what it did to the key, and as
        // nothing when it only read (no option, or PERSIST of a key without a TTL)
        if ((o.has(StringOptions.EXAT) || o.has(StringOptions.PXAT)) && when <= Keyspace.now() && db.expireDeletes()) {
            db.delete(key);
            c.server.propagation.rewrite(Rewrites.expireDelete(c), key);
            c.notify(Notifications.GENERIC, "del", key);
        } else if (when >= 0) {
            db.setExpire(key, when);
            c.server.propagation.rewrite(Rewrites.PEXPIREAT, key, Rewrites.number(when));
            c.notify(Notifications.GENERIC, "expire", key);
        } else if (o.has(StringOptions.PERSIST)) {
            if (db.persist(key)) {
                c.server.propagation.rewrite(Rewrites.PERSIST, key);
                c.notify(Notifications.GENERIC, "persist", key);
            }
        }
    }

    /** A missing key or one of another type is nil: MGET never answers WRONGTYPE. */
    static void mget(CommandContext c) {
        Keyspace db = c.db();
        c.reply.array(c.argc() - 1);
        for (int j = 1; j < c.argc(); j++) {
            Object v = db.get(c.argv[j]);
            if (v == null) {
                c.keyMiss(c.argv[j]);
            } else {
                c.server.stats.keyspaceHits++;
            }
            c.reply.bulk(v instanceof byte[] b ? b : null);
        }
    }

    static void strlen(CommandContext c) {
        byte[] v = c.lookup(c.argv[1], byte[].class);
        c.reply.integer(v == null ? 0 : v.length);
    }

    /**
     * GETRANGE key start end: both bounds inclusive, negative ones count from the end; the bounds are parsed
     * before the key is looked up, and a missing key is an empty string. A range with both ends negative and
     * start after end is empty even where clamping would give a character.
     */
    static void getrange(CommandContext c) {
        long start = c.longArg(2);
        long end = c.longArg(3);
        byte[] v = c.lookup(c.argv[1], byte[].class);
        if (v == null) {
            c.reply.bulk(EMPTY);
            return;
        }
        long len = v.length;
        if (start < 0 && end < 0 && start > end) {
            c.reply.bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= len) {
            end = len - 1;
        }
        if (start > end || len == 0) {
            c.reply.bulk(EMPTY);
        } else {
            c.reply.bulk(Arrays.copyOfRange(v, (int) start, (int) end + 1));
        }
    }
}
