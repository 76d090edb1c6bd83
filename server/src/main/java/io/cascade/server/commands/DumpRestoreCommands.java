package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.Keyspace;
import io.cascade.storage.rdb.RdbFormatException;
import io.cascade.storage.rdb.RdbValueReader;
import io.cascade.storage.rdb.RdbValueWriter;

import java.util.Arrays;

import static io.cascade.server.command.CommandTable.cmd;

/** DUMP and RESTORE (cluster.c), with payloads in Redis 7.0's RDB value format (storage.rdb). Command thread. */
public final class DumpRestoreCommands {
    private static final String RESTORE_COMPLEXITY = "O(1) to create the new key and additional O(N*M) to "
            + "reconstruct the serialized value, where N is the number of Redis objects composing the value and M "
            + "their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is "
            + "small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because "
            + "inserting values into sorted sets is O(log(N)).";
    private static final String RESTORE_ARGS = "key:key ttl:integer serialized-value:string [REPLACE] [ABSTTL] "
            + "[IDLETIME seconds:integer] [FREQ frequency:integer]";

    private DumpRestoreCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("dump", 2, "readonly", DumpRestoreCommands::dump).keys(1, 1, 1, "RO access").acl("keyspace")
                .tips("nondeterministic_output")
                .doc("Return a serialized version of the value stored at the specified key.", "2.6.0", "generic",
                        "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis "
                                + "objects composing the value and M their average size. For small string values the "
                                + "time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
                        "key:key"));
        t.add(cmd("restore", -4, "write denyoom", DumpRestoreCommands::restore).keys(1, 1, 1, "OW update")
                .acl("keyspace dangerous")
                .doc("Create a key using the provided serialized value, previously obtained using DUMP.", "2.6.0",
                        "generic", RESTORE_COMPLEXITY, RESTORE_ARGS));
        // what a cluster's MIGRATE sends to the node importing a slot; without cluster mode it is RESTORE
        t.add(cmd("restore-asking", -4, "write denyoom asking", DumpRestoreCommands::restore)
                .keys(1, 1, 1, "OW update").acl("keyspace dangerous")
                .doc("An internal command for migrating keys in a cluster", "3.0.0", "server", RESTORE_COMPLEXITY,
                        RESTORE_ARGS));
    }

    static void dump(CommandContext c) {
        Object v = c.lookup(c.argv[1], Object.class);
        if (v == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.bulk(RdbValueWriter.dump(v, c.server.config.getBool("rdbcompression")));
    }

    /**
     * restoreCommand, its checks in Redis's order: options, an existing key without REPLACE (BUSYKEY), the
     * TTL, the payload's version and CRC, then the value itself. IDLETIME (seconds) and FREQ (0..255) set the
     * new key's access field as objectSetLRUOrLFU: only the one that fits the current policy has an effect.
     */
    static void restore(CommandContext c) {
        boolean replace = false;
        boolean absttl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absttl = true;
            } else if (c.argIs(j, "idletime") && more && freq < 0) {
                idle = c.longArg(++j);
                if (idle < 0) {
                    throw new CommandException("ERR Invalid IDLETIME value, must be >= 0");
                }
            } else if (c.argIs(j, "freq") && more && idle < 0) {
                freq = c.longArg(++j);
                if (freq < 0 || freq > 255) {
                    throw new CommandException("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Keyspace db = c.db();
        byte[] key = c.argv[1];
        if (!replace && c.lookupWrite(key, Object.class) != null) {
            throw new CommandException("BUSYKEY Target key name already exists.");
        }
        long ttl = c.longArg(2);
        if (ttl < 0) {
            throw new CommandException("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = c.argv[3];
        if (!RdbValueReader.verifyDumpPayload(payload)) {
            throw new CommandException("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            value = RdbValueReader.restore(payload);
        } catch (RdbFormatException e) {
            throw new CommandException("ERR Bad data format");
        }
        boolean deleted = replace && db.delete(key);
        if (ttl != 0 && !absttl) {
            ttl += Keyspace.now();
        }
        if (ttl != 0 && ttl <= Keyspace.now() && db.expireDeletes()) {
            // already expired: nothing is created; if an old key was replaced it is gone, and the replicas are
            // told with a DEL (always DEL, as Redis); otherwise nothing changed and nothing travels
            if (deleted) {
                c.server.propagation.rewrite(Rewrites.DEL, key);
                c.notify(Notifications.GENERIC, "del", key);
            }
            c.ok();
            return;
        }
        db.set(key, value);
        db.setLruOrLfu(key, freq, idle);
        if (ttl != 0) {
            db.setExpire(key, ttl);
            if (!absttl) {
                // a relative TTL travels as the absolute time, with ABSTTL appended to the client's arguments
                byte[][] argv = Arrays.copyOf(c.argv, c.argc() + 1);
                argv[2] = Rewrites.number(ttl);
                argv[c.argc()] = Rewrites.ABSTTL;
                c.server.propagation.rewrite(argv);
            }
        }
        c.notify(Notifications.GENERIC, "restore", key);
        c.ok();
    }
}
