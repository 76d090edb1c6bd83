package io.cascade.server.commands;

import io.cascade.server.Server;
import io.cascade.server.Transaction;
import io.cascade.server.acl.Acl;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.net.Client;

import static io.cascade.server.command.CommandTable.cmd;

/** MULTI, EXEC, DISCARD, WATCH, UNWATCH, with Redis 7.0's replies and errors. Command thread. */
public final class TransactionCommands {
    private static final String FLAGS = "noscript loading stale fast allow_busy";

    private TransactionCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("multi", 1, FLAGS, TransactionCommands::multi).acl("transaction")
                .doc("Mark the start of a transaction block", "1.2.0", "transactions", "O(1)", null));
        t.add(cmd("exec", 1, "noscript loading stale skip_slowlog", TransactionCommands::exec).acl("transaction")
                .doc("Execute all commands issued after MULTI", "1.2.0", "transactions",
                        "Depends on commands in the transaction", null));
        t.add(cmd("discard", 1, FLAGS, TransactionCommands::discard).acl("transaction")
                .doc("Discard all commands issued after MULTI", "2.0.0", "transactions",
                        "O(N), when N is the number of queued commands", null));
        t.add(cmd("watch", -2, FLAGS, TransactionCommands::watch).keys(1, -1, 1, "RO").acl("transaction")
                .doc("Watch the given keys to determine execution of the MULTI/EXEC block", "2.2.0", "transactions",
                        "O(1) for every key.", "key:key..."));
        t.add(cmd("unwatch", 1, FLAGS, TransactionCommands::unwatch).acl("transaction")
                .doc("Forget about all watched keys", "2.2.0", "transactions", "O(1)", null));
    }

    static void multi(CommandContext c) {
        if (c.client.multi != null) {
            c.reply.error("ERR MULTI calls can not be nested");
            return;
        }
        c.client.multi = new Transaction();
        c.ok();
    }

    static void exec(CommandContext c) {
        Transaction tx = c.client.multi;
        if (tx == null) {
            c.reply.error("ERR EXEC without MULTI");
            return;
        }
        // a watched key that expired since WATCH fails EXEC even if nothing has deleted it yet
        if (c.server.watches.isWatchedKeyExpired(c.client, c.server.databases)) {
            c.client.watchDirty = true;
        }
        boolean aborted = tx.dirtyExec();
        boolean touched = c.client.watchDirty;
        discard(c.server, c.client);
        if (aborted) {
            c.reply.error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        if (touched) {
            c.reply.nullArray();
            return;
        }
        c.reply.array(tx.size());
        for (Transaction.Queued q : tx.queued()) {
            // the rules may have changed since the command was queued: checked again now
            Acl.Denied denied = c.server.acl.check(c.client.user, q.spec(), q.argv());
            if (denied != null) {
                c.server.acl.logRefusal(denied, "multi", c.client.user, q.spec(), q.argv(),
                        ClientCommands.describe(c, c.client));
                String reason = switch (denied.reason()) {
                    case KEY -> "no permission to touch the specified keys";
                    case CHANNEL -> "no permission to access one of the channels used as arguments";
                    default -> "no permission to execute the command or subcommand";
                };
                c.reply.error("NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
                        + "EXEC call. This command is no longer allowed for the following reason: " + reason);
                continue;
            }
            c.server.callQueued(c.client, q, c.reply);
        }
    }

    static void discard(CommandContext c) {
        if (c.client.multi == null) {
            c.reply.error("ERR DISCARD without MULTI");
            return;
        }
        discard(c.server, c.client);
        c.ok();
    }

    /** Leaves the MULTI state and forgets the watched keys (Redis's discardTransaction). */
    private static void discard(Server server, Client client) {
        client.multi = null;
        server.watches.unwatchAll(client);
    }

    static void watch(CommandContext c) {
        if (c.client.multi != null) {
            c.reply.error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        // no point in watching more once a watched key was touched: EXEC will fail anyway
        if (c.client.watchDirty) {
            c.ok();
            return;
        }
        for (int i = 1; i < c.argc(); i++) {
            c.server.watches.watch(c.client, c.db(), c.argv[i]);
        }
        c.ok();
    }

    static void unwatch(CommandContext c) {
        c.server.watches.unwatchAll(c.client);
        c.ok();
    }
}
