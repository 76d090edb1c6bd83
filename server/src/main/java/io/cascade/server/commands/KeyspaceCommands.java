package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.Keyspace;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * Whole-keyspace commands: FLUSHDB, FLUSHALL, and FUNCTION FLUSH (Cascade has no function libraries yet, so
 * there is never anything to delete). Command thread.
 */
public final class KeyspaceCommands {
    private static final String TIPS = "request_policy:all_shards response_policy:all_succeeded";

    private KeyspaceCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("flushdb", -1, "write", KeyspaceCommands::flushdb).acl("keyspace dangerous").tips(TIPS)
                .doc("Remove all keys from the current database", "1.0.0", "server",
                        "O(N) where N is the number of keys in the selected database", "[ASYNC|SYNC]"));
        t.add(cmd("flushall", -1, "write", KeyspaceCommands::flushall).acl("keyspace dangerous").tips(TIPS)
                .doc("Remove all keys from all databases", "1.0.0", "server",
                        "O(N) where N is the total number of keys in all databases", "[ASYNC|SYNC]"));

    }

    /** Redis's getFlushCommandFlags: nothing, SYNC or ASYNC (both free memory at once here). */
    private static boolean flushArgsValid(CommandContext c, int first) {
        if (c.argc() == first || (c.argc() == first + 1 && (c.argIs(first, "sync") || c.argIs(first, "async")))) {
            return true;
        }
        c.syntaxError();
        return false;
    }


    static void flushdb(CommandContext c) {
        if (flushArgsValid(c, 1)) {
            c.server.watches.touchFlushed(c.server.databases, c.client.db); // before: it looks at what is there
            Keyspace db = c.server.databases.db(c.client.db);
            c.server.dirty += db.size();
            c.server.blocking.signalDeletedStreams(c.client.db);
            db.clear();
            c.ok();
        }
    }

    static void flushall(CommandContext c) {
        if (flushArgsValid(c, 1)) {
            // Redis kills its saving child first: the image of what is being flushed is of no use any more
            c.server.persistence.abortSnapshots("FLUSHALL");
            for (int i = 0; i < c.server.databases.count(); i++) {
                c.server.watches.touchFlushed(c.server.databases, i); // before: it looks at what is there
                c.server.dirty += c.server.databases.db(i).size();
                c.server.blocking.signalDeletedStreams(i);
                c.server.databases.db(i).clear();
            }
            if (!c.server.config.saveRules().isEmpty()) {
                c.server.persistence.save(); // flushAllDataAndResetRDB: an empty dump.rdb, dirty back to 0
            }
            c.ok();
        }
    }
}
