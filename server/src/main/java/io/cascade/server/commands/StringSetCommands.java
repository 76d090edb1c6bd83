package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.Errors;
import io.cascade.storage.AccessClock;
import io.cascade.storage.Keyspace;

import java.util.ArrayList;
import java.util.List;

/** SET, SETNX, SETEX, PSETEX, GETSET, MSET and MSETNX, as Redis's setGenericCommand and friends. Command thread. */
final class StringSetCommands {
    private StringSetCommands() {
    }

    /** SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL] */
    static void set(CommandContext c) {
        StringOptions o = StringOptions.parse(c, 3, true);
        setGeneric(c, o, c.argv[1], c.argv[2], false);
    }

    static void setnx(CommandContext c) {
        setGeneric(c, new StringOptions(StringOptions.NX, null, false), c.argv[1], c.argv[2], true);
    }

    static void setex(CommandContext c) {
        setGeneric(c, new StringOptions(StringOptions.EX, c.argv[2], false), c.argv[1], c.argv[3], false);
    }

    static void psetex(CommandContext c) {
        setGeneric(c, new StringOptions(StringOptions.PX, c.argv[2], true), c.argv[1], c.argv[3], false);
    }

    /**
     * The order of Redis's checks: the expire value first, then GET (WRONGTYPE stops the command before
     * anything is written), then NX/XX. With GET the old value is the whole reply, even when NX/XX abort.
     * SETNX answers 1/0 instead of OK/nil.
     */
    private static void setGeneric(CommandContext c, StringOptions o, byte[] key, byte[] value, boolean integerReply) {
        long when = o.expire != null ? o.expireAt(c) : -1;
        boolean get = o.has(StringOptions.GET);
        if (get) {
            c.reply.bulk(c.lookup(key, byte[].class));
        }
        Keyspace db = c.db();
        boolean found = false;
        if (o.has(StringOptions.NX) || o.has(StringOptions.XX) || AccessClock.lfu()) {
            // under an LFU policy the lookup counts as an access, and the new value keeps the old counter
            found = db.get(key) != null;
        } else {
            // lookupKeyWrite's effect without reading the value it replaces: an expired key is expired first
            db.expireIfNeeded(key);
        }
        if ((o.has(StringOptions.NX) && found) || (o.has(StringOptions.XX) && !found)) {
            if (!get) {
                if (integerReply) {
                    c.reply.integer(0);
                } else {
                    c.reply.nullBulk();
                }
            }
            return;
        }
        db.set(key, value, o.has(StringOptions.KEEPTTL));
        c.notify(Notifications.STRING, "set", key);
        if (when >= 0) {
            // an EXAT/PXAT in the past is set all the same (Redis 7.0): the key is then expired on next access
            db.setExpire(key, when);
            c.notify(Notifications.GENERIC, "expire", key);
            // a relative TTL must not travel (the replica would count it from when it applies the command): any
            // expiring SET, SETEX and PSETEX go as SET k v PXAT <abs-ms>; NX/XX/GET have done their work here
            c.server.propagation.rewrite(Rewrites.SET, key, value, Rewrites.PXAT, Rewrites.number(when));
        } else if (get) {
            c.server.propagation.rewrite(withoutGet(c.argv));
        }
        if (!get) {
            if (integerReply) {
                c.reply.integer(1);
            } else {
                c.ok();
            }
        }
    }

    /**
     * SET ... GET without an expire propagates with every GET removed (a replica must not look the key up), the
     * other options as they came. Redis compares from the 4th argument on, as a C string (so "get\0x" goes too),
     * and the value itself is never taken for the option.
     */
    private static byte[][] withoutGet(byte[][] argv) {
        List<byte[]> out = new ArrayList<>(argv.length);
        for (int j = 0; j < argv.length; j++) {
            if (j < 3 || !StringOptions.cString(argv[j]).equals("get")) {
                out.add(argv[j]);
            }
        }
        return out.toArray(new byte[0][]);
    }

    /** GETSET: the old value (WRONGTYPE if not a string), then a plain SET that drops any TTL. */
    static void getset(CommandContext c) {
        byte[] old = c.lookup(c.argv[1], byte[].class);
        c.reply.bulk(old);
        c.db().set(c.argv[1], c.argv[2]);
        c.notify(Notifications.STRING, "set", c.argv[1]);
        // only argv[0] changes: the key and value keep their bytes
        c.server.propagation.rewrite(Rewrites.SET, c.argv[1], c.argv[2]);
    }

    static void mset(CommandContext c) {
        msetGeneric(c, false);
    }

    static void msetnx(CommandContext c) {
        msetGeneric(c, true);
    }

    /** An odd number of key/value arguments is an arity error; MSETNX writes nothing if any key exists. */
    private static void msetGeneric(CommandContext c, boolean nx) {
        if (c.argc() % 2 == 0) {
            c.reply.error(Errors.wrongArity(c.spec.fullName));
            return;
        }
        Keyspace db = c.db();
        if (nx) {
            for (int j = 1; j < c.argc(); j += 2) {
                if (db.get(c.argv[j]) != null) {
                    c.reply.integer(0);
                    return;
                }
            }
        }
        for (int j = 1; j < c.argc(); j += 2) {
            db.set(c.argv[j], c.argv[j + 1]);
            c.notify(Notifications.STRING, "set", c.argv[j]);
        }
        if (nx) {
            c.reply.integer(1);
        } else {
            c.ok();
        }
    }
}
