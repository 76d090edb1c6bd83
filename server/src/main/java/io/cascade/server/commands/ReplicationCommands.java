package io.cascade.server.commands;

import io.cascade.conf.HostPort;
import io.cascade.server.Replica;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;

import static io.cascade.server.command.CommandTable.cmd;

/** REPLICAOF/SLAVEOF, ROLE and REPLCONF (the replica's side of it). Command thread. */
public final class ReplicationCommands {
    private ReplicationCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("replicaof", 3, "admin noscript stale no_async_loading", ReplicationCommands::replicaof)
                .doc("Make the server a replica of another instance, or promote it as master.", "5.0.0",
                        "server", "O(1)", "host port"));
        t.add(cmd("slaveof", 3, "admin noscript stale no_async_loading", ReplicationCommands::replicaof)
                .doc("Make the server a replica of another instance, or promote it as master.", "1.0.0",
                        "server", "O(1)", "host port"));
        t.add(cmd("role", 1, "noscript loading stale fast", ReplicationCommands::role).acl("admin dangerous")
                .doc("Return the role of the instance in the context of replication", "2.8.12", "server",
                        "O(1)", null));
        t.add(cmd("replconf", -1, "admin noscript loading stale allow_busy", ReplicationCommands::replconf)
                .doc("An internal command for configuring the replication stream", "3.0.0", "server", "O(1)",
                        null));
    }

    static void replicaof(CommandContext c) {
        if (c.client.master) {
            c.reply.error("ERR Command is not valid when client is a replica.");
            return;
        }
        Replica r = c.server.replica;
        String who = "user request from 'id=" + c.client.id + " addr=" + c.client.addr + "'";
        if (c.argIs(1, "no") && c.argIs(2, "one")) {
            r.noOne(who);
            c.ok();
            return;
        }
        Long port = Numbers.parseLong(c.argv[2]);
        if (port == null) {
            c.reply.error(Errors.NOT_INTEGER);
            return;
        }
        if (port < 0 || port > 65535) {
            c.reply.error("ERR Invalid master port");
            return;
        }
        if (!r.replicaOf(new HostPort(c.arg(1), port.intValue()), who)) {
            c.reply.simple("OK Already connected to specified master");
            return;
        }
        c.ok();
    }

    static void role(CommandContext c) {
        Replica r = c.server.replica;
        if (!r.isReplica()) {
            c.reply.array(3);
            c.reply.bulk("master");
            c.reply.integer(r.repl.masterReplOffset);
            c.reply.array(0);
            return;
        }
        c.reply.array(5);
        c.reply.bulk("slave");
        c.reply.bulk(r.master.host());
        c.reply.integer(r.master.port());
        c.reply.bulk(r.roleState());
        // -1 whenever there is no live master link, though INFO still shows the cached offset
        c.reply.integer(r.linkUp() ? r.repl.masterReplOffset : -1);
    }

    /** REPLCONF option value ...: the options a replica or a tool sends; ACK and GETACK are never answered. */
    static void replconf(CommandContext c) {
        if (c.argc() % 2 == 0) {
            c.syntaxError();
            return;
        }
        for (int i = 1; i < c.argc(); i += 2) {
            String option = c.argLower(i);
            switch (option) {
                case "ack", "fack" -> {
                    return; // from a replica; the master side tracks it
                }
                case "getack" -> {
                    if (c.client.master) {
                        c.server.replica.ackNow();
                    }
                    return;
                }
                case "listening-port" -> {
                    if (Numbers.parseLong(c.argv[i + 1]) == null) {
                        c.reply.error(Errors.NOT_INTEGER);
                        return;
                    }
                }
                case "ip-address" -> {
                    if (c.argv[i + 1].length >= 256) {
                        c.reply.error("ERR REPLCONF ip-address provided by replica instance is too long: "
                                + c.argv[i + 1].length + " bytes");
                        return;
                    }
                }
                case "capa", "rdb-only", "rdb-filter-only" -> { }
                default -> {
                    c.reply.error("ERR Unrecognized REPLCONF option: " + c.arg(i));
                    return;
                }
            }
        }
        c.ok();
    }
}
