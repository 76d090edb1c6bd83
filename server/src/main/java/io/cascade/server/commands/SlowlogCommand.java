package io.cascade.server.commands;

import io.cascade.server.Slowlog;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;

import java.util.Iterator;

import static io.cascade.server.command.CommandTable.cmd;

/** SLOWLOG GET / LEN / RESET / HELP over the server's slow log (slowlogCommand). Command thread. */
public final class SlowlogCommand {
    private static final String FLAGS = "admin loading stale";

    private SlowlogCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("slowlog", -2, "", null)
                .doc("A container for slow log commands", "2.2.12", "server", "Depends on subcommand.", null)
                .sub(cmd("get", -2, FLAGS, SlowlogCommand::get).tips("request_policy:all_nodes nondeterministic_output")
                        .doc("Get the slow log's entries", "2.2.12", "server",
                                "O(N) where N is the number of entries returned", "[count:integer]"))
                .sub(cmd("len", 2, FLAGS, c -> c.reply.integer(c.server.slowlog.size()))
                        .tips("request_policy:all_nodes response_policy:agg_sum nondeterministic_output")
                        .doc("Get the slow log's length", "2.2.12", "server", "O(1)", null))
                .sub(cmd("reset", 2, FLAGS, c -> {
                    c.server.slowlog.reset();
                    c.ok();
                }).tips("request_policy:all_nodes response_policy:all_succeeded")
                        .doc("Clear all entries from the slow log", "2.2.12", "server",
                                "O(N) where N is the number of entries in the slowlog", null))
                .sub(cmd("help", 2, "loading stale", SlowlogCommand::help)
                        .doc("Show helpful text about the different subcommands", "6.2.0", "server", "O(1)", null)));
    }

    /** SLOWLOG GET [count]: the newest count entries (10 by default, -1 for all). */
    static void get(CommandContext c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        long count = 10;
        if (c.argc() == 3) {
            Long v = Numbers.parseLong(c.argv[2]);
            if (v == null || v < -1) {
                c.reply.error("ERR count should be greater than or equal to -1");
                return;
            }
            count = v == -1 ? c.server.slowlog.size() : v;
        }
        int n = (int) Math.min(count, c.server.slowlog.size());
        c.reply.array(n);
        Iterator<Slowlog.Entry> it = c.server.slowlog.iterator();
        for (int i = 0; i < n; i++) {
            Slowlog.Entry e = it.next();
            c.reply.array(6);
            c.reply.integer(e.id());
            c.reply.integer(e.unixTime());
            c.reply.integer(e.micros());
            c.reply.array(e.argv().length);
            for (byte[] a : e.argv()) {
                c.reply.bulk(a);
            }
            c.reply.bulk(e.peerId());
            c.reply.bulk(e.clientName());
        }
    }

    static void help(CommandContext c) {
        c.help("GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }
}
