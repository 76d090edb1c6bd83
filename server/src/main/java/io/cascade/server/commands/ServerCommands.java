package io.cascade.server.commands;

import io.cascade.server.Persistence;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * Server family commands that need no family of their own: TIME, DBSIZE, SAVE, BGSAVE, LASTSAVE, MONITOR,
 * SHUTDOWN. Command thread.
 */
public final class ServerCommands {
    private ServerCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("time", 1, "loading stale fast", ServerCommands::time).tips("nondeterministic_output")
                .doc("Return the current server time", "2.6.0", "server", "O(1)", null));
        t.add(cmd("dbsize", 1, "readonly fast", c -> c.reply.integer(c.server.databases.db(c.client.db).size()))
                .acl("keyspace").tips("request_policy:all_shards response_policy:agg_sum").doc("Return the number of keys in the selected database", "1.0.0", "server", "O(1)",
                        null));
        t.add(cmd("save", 1, "no_async_loading admin noscript no_multi", ServerCommands::save)
                .doc("Synchronously save the dataset to disk", "1.0.0", "server",
                        "O(N) where N is the total number of keys in all databases", null));
        t.add(cmd("bgsave", -1, "no_async_loading admin noscript", ServerCommands::bgsave)
                .doc("Asynchronously save the dataset to disk", "1.0.0", "server", "O(1)", "[SCHEDULE]"));
        t.add(cmd("lastsave", 1, "loading stale fast", c -> c.reply.integer(c.server.persistence.lastSaveSeconds))
                .acl("admin dangerous").tips("nondeterministic_output")
                .doc("Get the UNIX time stamp of the last successful save to disk", "1.0.0", "server", "O(1)", null));
        t.add(cmd("monitor", 1, "admin noscript loading stale", ServerCommands::monitor)
                .doc("Listen for all requests received by the server in real time", "1.0.0", "server", "", null));
        t.add(cmd("shutdown", -1, "admin noscript loading stale no_multi sentinel allow_busy", ServerCommands::shutdown)
                .doc("Synchronously save the dataset to disk and then shut down the server", "1.0.0", "server",
                        "O(N) when saving, where N is the total number of keys in all databases when saving data, "
                                + "otherwise O(1)",
                        "[NOSAVE|SAVE] [NOW] [FORCE] [ABORT]"));
    }

    static void save(CommandContext c) {
        if (c.server.persistence.bgsaveInProgress()) {
            c.reply.error("ERR Background save already in progress");
        } else if (c.server.persistence.save()) {
            c.ok();
        } else {
            c.reply.error("ERR");
        }
    }

    /** BGSAVE [SCHEDULE]; inside MULTI the save is only scheduled, as Redis does (no fork inside EXEC). */
    static void bgsave(CommandContext c) {
        if (c.argc() > 1 && !(c.argc() == 2 && c.argLower(1).equals("schedule"))) {
            c.syntaxError();
            return;
        }
        Persistence p = c.server.persistence;
        if (p.bgsaveInProgress()) {
            c.reply.error("ERR Background save already in progress");
        } else if (c.denyBlocking) {
            p.bgsaveScheduled = true;
            c.reply.simple("Background saving scheduled");
        } else if (p.bgsave()) {
            c.reply.simple("Background saving started");
        } else {
            c.reply.error("ERR");
        }
    }

    /** MONITOR: from now on this client is sent every command the server executes. */
    static void monitor(CommandContext c) {
        if (c.client.monitor) {
            return; // already monitoring: Redis ignores it silently
        }
        c.client.monitor = true;
        c.server.monitors.add(c.client);
        c.ok();
    }

    static void time(CommandContext c) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        c.reply.array(2);
        c.reply.bulk(micros / 1_000_000);
        c.reply.bulk(micros % 1_000_000);
    }

    /** SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT], parsed as Redis 7.0 does. */
    static void shutdown(CommandContext c) {
        boolean save = false;
        boolean nosave = false;
        boolean abort = false;
        boolean force = false;
        boolean now = false;
        for (int i = 1; i < c.argc(); i++) {
            switch (c.argLower(i)) {
                case "nosave" -> nosave = true;
                case "save" -> save = true;
                case "now" -> now = true;
                case "force" -> force = true;
                case "abort" -> abort = true;
                default -> {
                    c.syntaxError();
                    return;
                }
            }
        }
        if ((abort && c.argc() != 2) || (save && nosave)) {
            c.syntaxError();
            return;
        }
        // a script in timeout mode: only SHUTDOWN NOSAVE may end the server (shutdownCommand)
        String busy = c.server.scripting.busy.busyError();
        if (!nosave && busy != null) {
            c.reply.error(busy);
            return;
        }
        if (abort) {
            if (c.server.shutdown().abort()) {
                c.ok();
            } else {
                c.reply.error("ERR No shutdown in progress.");
            }
            return;
        }
        if (!c.server.shutdown().byCommand(c, save, nosave, force, now)) {
            c.reply.error("ERR Errors trying to SHUTDOWN. Check logs.");
        }
    }
}
