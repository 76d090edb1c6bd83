package io.cascade.server.commands;

import io.cascade.conf.Glob;
import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.Keyspace;
import io.cascade.storage.RType;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.RZSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The generic key commands of db.c: DEL UNLINK EXISTS TYPE KEYS RANDOMKEY RENAME RENAMENX MOVE COPY SWAPDB
 * TOUCH; registers the rest of the family (expiry, SCAN, OBJECT, DUMP/RESTORE, SORT). Command thread.
 */
public final class KeyCommands {
    static final String SAME_OBJECT = "ERR source and destination objects are the same";
    static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    private static final String MULTI_SHARD = "request_policy:multi_shard response_policy:agg_sum";

    private KeyCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("del", -2, "write", KeyCommands::del).keys(1, -1, 1, "RM delete").acl("keyspace").tips(MULTI_SHARD)
                .doc("Delete a key", "1.0.0", "generic", "O(N) where N is the number of keys that will be removed. "
                        + "When a key to remove holds a value other than a string, the individual complexity for "
                        + "this key is O(M) where M is the number of elements in the list, set, sorted set or hash. "
                        + "Removing a single key that holds a string value is O(1).", "key:key..."));
        t.add(cmd("unlink", -2, "write fast", KeyCommands::del).keys(1, -1, 1, "RM delete").acl("keyspace")
                .tips(MULTI_SHARD)
                .doc("Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
                        "4.0.0", "generic", "O(1) for each key removed regardless of its size. Then the command does "
                                + "O(N) work in a different thread in order to reclaim memory, where N is the number "
                                + "of allocations the deleted objects where composed of.", "key:key..."));
        t.add(cmd("exists", -2, "readonly fast", KeyCommands::exists).keys(1, -1, 1, "RO").acl("keyspace")
                .tips(MULTI_SHARD)
                .doc("Determine if a key exists", "1.0.0", "generic", "O(N) where N is the number of keys to check.",
                        "key:key..."));
        t.add(cmd("type", 2, "readonly fast", KeyCommands::type).keys(1, 1, 1, "RO").acl("keyspace")
                .doc("Determine the type stored at key", "1.0.0", "generic", "O(1)", "key:key"));
        t.add(cmd("keys", 2, "readonly", KeyCommands::keys).acl("keyspace dangerous")
                .tips("request_policy:all_shards nondeterministic_output_order")
                .doc("Find all keys matching the given pattern", "1.0.0", "generic", "O(N) with N being the number "
                        + "of keys in the database, under the assumption that the key names in the database and the "
                        + "given pattern have limited length.", "pattern:pattern"));
        t.add(cmd("randomkey", 1, "readonly", KeyCommands::randomkey).acl("keyspace")
                .tips("request_policy:all_shards nondeterministic_output")
                .doc("Return a random key from the keyspace", "1.0.0", "generic", "O(1)", null));
        t.add(cmd("rename", 3, "write", c -> rename(c, false)).keys(1, 1, 1, "RW access delete")
                .keys(2, 2, 1, "OW update").acl("keyspace")
                .doc("Rename a key", "1.0.0", "generic", "O(1)", "key:key newkey:key"));
        t.add(cmd("renamenx", 3, "write fast", c -> rename(c, true)).keys(1, 1, 1, "RW access delete")
                .keys(2, 2, 1, "OW insert").acl("keyspace")
                .doc("Rename a key, only if the new key does not exist", "1.0.0", "generic", "O(1)",
                        "key:key newkey:key"));
        t.add(cmd("move", 3, "write fast", KeyCommands::move).keys(1, 1, 1, "RW access update").acl("keyspace")
                .doc("Move a key to another database", "1.0.0", "generic", "O(1)", "key:key db:integer"));
        t.add(cmd("copy", -3, "write denyoom", KeyCommands::copy).keys(1, 1, 1, "RO access")
                .keys(2, 2, 1, "OW update").acl("keyspace")
                .doc("Copy a key", "6.2.0", "generic", "O(N) worst case for collections, where N is the number of "
                        + "nested items. O(1) for string values.",
                        "source:key destination:key [DB destination-db:integer] [REPLACE]"));
        t.add(cmd("swapdb", 3, "write fast", KeyCommands::swapdb).acl("keyspace dangerous")
                .doc("Swaps two Redis databases", "4.0.0", "server", "O(N) where N is the count of clients watching "
                        + "or blocking on keys from both databases.", "index1:integer index2:integer"));
        t.add(cmd("touch", -2, "readonly fast", KeyCommands::touch).keys(1, -1, 1, "RO").acl("keyspace")
                .tips(MULTI_SHARD)
                .doc("Alters the last access time of a key(s). Returns the number of existing keys specified.",
                        "3.2.1", "generic", "O(N) where N is the number of keys that will be touched.", "key:key..."));
        ExpireCommands.register(t);
        ScanCommand.register(t);
        ObjectCommand.register(t);
        DumpRestoreCommands.register(t);
        MigrateCommand.register(t);
        SortCommand.register(t);
    }

    /** DEL and UNLINK (Cascade frees memory at once either way): an expired key is not counted as deleted. */
    static void del(CommandContext c) {
        Keyspace db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (db.exists(c.argv[i]) && db.delete(c.argv[i])) {
                c.notify(Notifications.GENERIC, "del", c.argv[i]);
                n++;
            }
        }
        c.reply.integer(n);
    }

    static void exists(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.lookupNoTouch(c.argv[i], Object.class) != null) {
                n++;
            }
        }
        c.reply.integer(n);
    }

    static void type(CommandContext c) {
        Object v = c.lookupNoTouch(c.argv[1], Object.class);
        c.reply.simple(v == null ? "none" : RType.of(v).typeName);
    }

    /** KEYS skips expired keys without deleting them (keyIsExpired, not expireIfNeeded). */
    static void keys(CommandContext c) {
        Keyspace db = c.db();
        byte[] pattern = c.argv[1];
        boolean all = pattern.length == 1 && pattern[0] == '*';
        List<byte[]> found = new ArrayList<>();
        db.forEach((k, v) -> {
            if ((all || Glob.match(pattern, k, false)) && !db.isExpired(k)) {
                found.add(k);
            }
        });
        c.reply.array(found.size());
        found.forEach(c.reply::bulk);
    }

    static void randomkey(CommandContext c) {
        c.reply.bulk(c.db().randomKey());
    }

    static void touch(CommandContext c) {
        long n = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (c.lookup(c.argv[i], Object.class) != null) {
                n++;
            }
        }
        c.reply.integer(n);
    }

    static void rename(CommandContext c, boolean nx) {
        Keyspace db = c.db();
        byte[] src = c.argv[1];
        byte[] dst = c.argv[2];
        Object v = c.lookupWrite(src, Object.class);
        if (v == null) {
            c.reply.error("ERR no such key");
            return;
        }
        if (Arrays.equals(src, dst)) {
            if (nx) {
                c.reply.integer(0);
            } else {
                c.ok();
            }
            return;
        }
        long expire = db.getExpire(src);
        int lru = db.lruField(src); // the same object moves to the new name, with its access time or LFU counter
        boolean built = db.builtInPlace(src); // and its encoding
        if (c.lookupWrite(dst, Object.class) != null) {
            if (nx) {
                c.reply.integer(0);
                return;
            }
            db.delete(dst);
        }
        db.set(dst, v, false, built);
        db.setLruField(dst, lru);
        if (expire >= 0) {
            db.setExpire(dst, expire);
        }
        db.delete(src);
        c.notify(Notifications.GENERIC, "rename_from", src);
        c.notify(Notifications.GENERIC, "rename_to", dst);
        if (nx) {
            c.reply.integer(1);
        } else {
            c.ok();
        }
    }

    /** getIntFromObjectOrReply: a 32-bit integer, or the given error (Redis's own when msg is null). */
    static int intArg(CommandContext c, int i, String msg) {
        Long v = Numbers.parseLong(c.argv[i]);
        if (v == null) {
            throw new CommandException(msg != null ? msg : Errors.NOT_INTEGER);
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandException(msg != null ? msg
                    : "ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) (long) v;
    }

    static void move(CommandContext c) {
        int dbid = intArg(c, 2, null);
        if (dbid < 0 || dbid >= c.server.databases.count()) {
            throw new CommandException(DB_OUT_OF_RANGE);
        }
        if (dbid == c.client.db) {
            throw new CommandException(SAME_OBJECT);
        }
        Keyspace src = c.db();
        Keyspace dst = c.server.databases.db(dbid);
        byte[] key = c.argv[1];
        Object v = c.lookupWrite(key, Object.class);
        if (v == null) {
            c.reply.integer(0);
            return;
        }
        long expire = src.getExpire(key);
        if (dst.get(key) != null) {
            c.reply.integer(0);
            return;
        }
        dst.set(key, v, false, src.builtInPlace(key));
        dst.setLruField(key, src.lruField(key)); // the same object, its access time or LFU counter with it
        if (expire >= 0) {
            dst.setExpire(key, expire);
        }
        src.delete(key);
        c.notify(Notifications.GENERIC, "move_from", key, src.index());
        c.notify(Notifications.GENERIC, "move_to", key, dst.index());
        c.reply.integer(1);
    }

    static void copy(CommandContext c) {
        boolean replace = false;
        int dbid = c.client.db;
        for (int j = 3; j < c.argc(); j++) {
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "db") && j + 1 < c.argc()) {
                dbid = intArg(c, ++j, null);
                if (dbid < 0 || dbid >= c.server.databases.count()) {
                    throw new CommandException(DB_OUT_OF_RANGE);
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        byte[] key = c.argv[1];
        byte[] newkey = c.argv[2];
        if (dbid == c.client.db && Arrays.equals(key, newkey)) {
            throw new CommandException(SAME_OBJECT);
        }
        Object v = c.lookup(key, Object.class);
        if (v == null) {
            c.reply.integer(0);
            return;
        }
        long expire = c.db().getExpire(key);
        Keyspace dst = c.server.databases.db(dbid);
        if (dst.get(newkey) != null) {
            if (!replace) {
                c.reply.integer(0);
                return;
            }
            dst.delete(newkey);
        }
        dst.set(newkey, duplicate(v), false, c.db().builtInPlace(key)); // dupStringObject keeps a raw string raw
        if (expire >= 0) {
            dst.setExpire(newkey, expire);
        }
        c.notify(Notifications.GENERIC, "copy_to", newkey, dst.index());
        c.reply.integer(1);
    }

    /** A deep copy with the same encoding (Redis's dupStringObject, listTypeDup, setTypeDup, hashTypeDup, zsetDup, streamDup). */
    static Object duplicate(Object v) {
        if (v instanceof byte[] s) {
            return s.clone(); // a large string may be changed in place later (Keyspace.liveString)
        }
        if (v instanceof RList l) {
            RList n = new RList(l.size());
            for (int i = 0; i < l.size(); i++) {
                n.addLast(l.get(i));
            }
            return n;
        }
        if (v instanceof RSet s) {
            RSet n = new RSet();
            if (!s.isIntset()) {
                n.convertToHashtable();
            }
            s.forEach(n::add);
            return n;
        }
        if (v instanceof RHash h) {
            RHash n = new RHash();
            if (h.isHashtable()) {
                n.convertToHashtable();
            }
            h.forEach(n::put);
            return n;
        }
        if (v instanceof RZSet z) {
            return z.copy();
        }
        if (v instanceof RStream s) {
            return s.duplicate();
        }
        throw new CommandException("ERR unknown type object");
    }

    static void swapdb(CommandContext c) {
        int a = intArg(c, 1, "ERR invalid first DB index");
        int b = intArg(c, 2, "ERR invalid second DB index");
        int n = c.server.databases.count();
        if (a < 0 || a >= n || b < 0 || b >= n) {
            throw new CommandException(DB_OUT_OF_RANGE);
        }
        if (a != b) {
            c.server.watches.touchSwapped(c.server.databases, a, b); // looks at both before they trade places
            c.server.databases.swap(a, b);
            c.server.blocking.signalAllKeys(a); // clients blocked on either database may now find their keys
            c.server.blocking.signalAllKeys(b);
        }
        c.server.dirty++;
        c.ok();
    }
}
