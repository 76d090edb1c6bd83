package io.cascade.server.commands;

import io.cascade.conf.HostPort;
import io.cascade.conf.Log;
import io.cascade.replication.ReplicaSession;
import io.cascade.server.Downstream;
import io.cascade.server.Failover;
import io.cascade.server.Replica;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** REPLICAOF/SLAVEOF, ROLE, SYNC/PSYNC and REPLCONF, for both sides of a link. Command thread. */
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
        t.add(cmd("failover", -1, "admin noscript stale", c -> c.server.failover.command(c))
                .doc("Start a coordinated failover between this server and one of its replicas.", "6.2.0", "server",
                        "O(1)", "[TO host:string port:integer [FORCE]] [ABORT] [TIMEOUT milliseconds:integer]"));
        t.add(cmd("role", 1, "noscript loading stale fast", ReplicationCommands::role).acl("admin dangerous")
                .doc("Return the role of the instance in the context of replication", "2.8.12", "server",
                        "O(1)", null));
        // neither loading nor stale: a loading master answers -LOADING, a stale replica -MASTERDOWN (spec 4.1)
        t.add(cmd("sync", 1, "admin noscript no_async_loading no_multi", ReplicationCommands::sync)
                .doc("Internal command used for replication", "1.0.0", "server", "", null));
        t.add(cmd("psync", -3, "admin noscript no_async_loading no_multi", ReplicationCommands::sync)
                .doc("Internal command used for replication", "2.8.0", "server", "", "replicationid offset"));
        t.add(cmd("wait", 3, "noscript", ReplicationCommands::waitCommand).acl("connection")
                .tips("request_policy:all_shards response_policy:agg_min")
                .doc("Wait for the synchronous replication of all the write commands sent in the context of the "
                        + "current connection", "3.0.0", "generic", "O(1)", "numreplicas timeout"));
        t.add(cmd("replconf", -1, "admin noscript loading stale allow_busy", ReplicationCommands::replconf)
                .doc("An internal command for configuring the replication stream", "3.0.0", "server", "O(1)",
                        null));
    }

    static void replicaof(CommandContext c) {
        if (c.client.master) {
            c.reply.error("ERR Command is not valid when client is a replica.");
            return;
        }
        if (c.server.failover.state() != Failover.State.NO_FAILOVER) {
            c.reply.error("ERR REPLICAOF not allowed while failing over.");
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

    /** SYNC, PSYNC replid offset [FAILOVER]: spec 4.1's checks in order, then Downstream serves it. */
    static void sync(CommandContext c) {
        if (c.client.replicaSession != null) {
            return; // already a replica: ignored silently
        }
        boolean psync = c.argLower(0).equals("psync");
        Replica r = c.server.replica;
        if (psync && c.argc() > 3) {
            if (!c.argIs(3, "failover")) {
                c.syntaxError();
                return;
            }
            Log.warning("Failover request received for replid %s.", c.arg(1));
            if (!r.isReplica()) {
                c.reply.error("ERR PSYNC FAILOVER can't be sent to a master.");
                return;
            }
            if (!c.arg(1).equalsIgnoreCase(r.repl.replid)) {
                c.reply.error("ERR PSYNC FAILOVER replid must match my replid.");
                return;
            }
            r.noOne("failover request from 'id=" + c.client.id + " addr=" + c.client.addr + "'");
        }
        if (c.server.failover.state() != Failover.State.NO_FAILOVER) {
            c.reply.error("NOMASTERLINK Can't SYNC while failing over");
            return;
        }
        if (r.isReplica() && !r.linkUp()) {
            c.reply.error("NOMASTERLINK Can't SYNC while not connected with my master");
            return;
        }
        if (c.client.replRdbNoData && !c.client.replCapaEof) {
            c.reply.error("ERR Filtered replica requires EOF capability");
            return;
        }
        long offset = -1;
        if (psync) {
            Long o = Numbers.parseLong(c.argv[2]);
            if (o == null) {
                // Redis logs the request, then refuses the offset (it used to start a full sync all the same)
                String who = Downstream.name(c.client);
                Log.notice("Replica %s asks for synchronization", who);
                Log.warning("Replica %s asks for synchronization but with a wrong offset", who);
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            offset = o;
        }
        c.server.downstream.sync(c.client, psync ? c.arg(1) : "?", offset, psync);
    }

    /** WAIT numreplicas timeout: how many replicas have acknowledged this client's writes. */
    static void waitCommand(CommandContext c) {
        if (c.server.replica.isReplica()) {
            c.reply.error("ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if "
                    + "a replica is configured to be writable (which is not the default) writes to replicas are "
                    + "just local and are not propagated.");
            return;
        }
        Long n = c.argLong(1);
        if (n == null) {
            return;
        }
        Long timeout = c.argLong(2);
        if (timeout == null) {
            return;
        }
        if (timeout < 0) {
            c.reply.error("ERR timeout is negative");
            return;
        }
        c.server.downstream.waitFor(c, n, timeout == 0 ? 0 : System.currentTimeMillis() + timeout);
    }

    static void role(CommandContext c) {
        Replica r = c.server.replica;
        if (!r.isReplica()) {
            List<ReplicaSession> online = new ArrayList<>();
            for (ReplicaSession s : c.server.downstream.sessions()) {
                if (s.state == ReplicaSession.State.ONLINE) {
                    online.add(s);
                }
            }
            c.reply.array(3);
            c.reply.bulk("master");
            c.reply.integer(r.repl.masterReplOffset);
            c.reply.array(online.size());
            for (ReplicaSession s : online) {
                c.reply.array(3);
                c.reply.bulk(s.ip);
                c.reply.bulk(Integer.toString(s.listeningPort));
                c.reply.bulk(Long.toString(s.ackOffset));
            }
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
                case "ack" -> {
                    // from a replica of ours: never answered (spec 4.7)
                    Long off = Numbers.parseLong(c.argv[i + 1]);
                    if (off != null) {
                        c.server.downstream.ack(c.client, off);
                    }
                    return;
                }
                case "fack" -> {
                    return;
                }
                case "getack" -> {
                    if (c.client.master) {
                        c.server.replica.ackNow();
                    }
                    return;
                }
                case "listening-port" -> {
                    Long port = Numbers.parseLong(c.argv[i + 1]);
                    if (port == null) {
                        c.reply.error(Errors.NOT_INTEGER);
                        return;
                    }
                    c.client.replListeningPort = port.intValue();
                }
                case "ip-address" -> {
                    if (c.argv[i + 1].length >= 256) {
                        c.reply.error("ERR REPLCONF ip-address provided by replica instance is too long: "
                                + c.argv[i + 1].length + " bytes");
                        return;
                    }
                    c.client.replIpAddress = c.arg(i + 1);
                }
                case "capa" -> {
                    // unknown capabilities are ignored: newer replicas announce more
                    if (c.argIs(i + 1, "eof")) {
                        c.client.replCapaEof = true;
                    } else if (c.argIs(i + 1, "psync2")) {
                        c.client.replCapaPsync2 = true;
                    }
                }
                case "rdb-only" -> {
                    Long v = Numbers.parseLong(c.argv[i + 1]);
                    if (v == null || v < 0 || v > 1) {
                        c.reply.error("ERR value is out of range, value must between 0 and 1");
                        return;
                    }
                    c.client.replRdbOnly = v == 1;
                }
                case "rdb-filter-only" -> {
                    // space-separated filters of what to include; only "functions" exists, "" means nothing
                    for (String f : c.arg(i + 1).split(" ")) {
                        if (!f.isEmpty() && !f.equalsIgnoreCase("functions")) {
                            c.client.replRdbNoData = true;
                            c.reply.error("ERR Unsupported rdb-filter-only option: " + f);
                            return;
                        }
                    }
                    c.client.replRdbNoData = true; // no keys either way; functions do not exist yet
                }
                default -> {
                    c.reply.error(ErrorText.of("ERR Unrecognized REPLCONF option: ").arg(c.argv[i]).bytes());
                    return;
                }
            }
        }
        c.ok();
    }
}
