package io.cascade.server.commands;

import io.cascade.server.BlockingTimeout;
import io.cascade.server.Pause;
import io.cascade.server.Server;
import io.cascade.server.acl.AclUser;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.server.net.Client;
import io.netty.channel.unix.UnixChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * CLIENT and its subcommands (ID, INFO, LIST, KILL, SETNAME, GETNAME, REPLY, PAUSE, UNPAUSE, NO-EVICT, UNBLOCK,
 * HELP); command thread.
 */
public final class ClientCommands {
    private static final String FLAGS = "admin noscript loading stale";

    private ClientCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("client", -2, "", null)
                .doc("A container for client connection commands", "2.4.0", "connection", "Depends on subcommand.", null)
                .sub(cmd("help", 2, "loading stale", ClientCommands::help).acl("connection")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "connection", "O(1)", null))
                .sub(cmd("id", 2, "noscript loading stale", c -> c.reply.integer(c.client.id)).acl("connection")
                        .doc("Returns the client ID for the current connection", "5.0.0", "connection", "O(1)", null))
                .sub(cmd("info", 2, "noscript loading stale", ClientCommands::info).acl("connection")
                        .tips("nondeterministic_output")
                        .doc("Returns information about the current client connection.", "6.2.0", "connection", "O(1)",
                                null))
                .sub(cmd("list", -2, FLAGS, ClientCommands::list).acl("connection")
                        .tips("nondeterministic_output")
                        .doc("Get the list of client connections", "2.4.0", "connection",
                                "O(N) where N is the number of client connections",
                                "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id:integer...]"))
                .sub(cmd("kill", -3, FLAGS, ClientCommands::kill).acl("connection")
                        .doc("Kill the connection of a client", "2.4.0", "connection",
                                "O(N) where N is the number of client connections",
                                "(ip:port:string|([ID client-id:integer] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] "
                                        + "[USER username:string] [ADDR ip:port:string] [LADDR ip:port:string] "
                                        + "[SKIPME yes/no:string])...)"))
                .sub(cmd("setname", 3, "noscript loading stale", ClientCommands::setname).acl("connection")
                        .doc("Set the current connection name", "2.6.9", "connection", "O(1)", "connection-name:string"))
                .sub(cmd("getname", 2, "noscript loading stale", ClientCommands::getname).acl("connection")
                        .doc("Get the current connection name", "2.6.9", "connection", "O(1)", null))
                .sub(cmd("reply", 3, "noscript loading stale", ClientCommands::reply).acl("connection")
                        .doc("Instruct the server whether to reply to commands", "3.2.0", "connection", "O(1)",
                                "ON|OFF|SKIP"))
                .sub(cmd("unblock", -3, FLAGS, c -> c.server.blocking.clientUnblock(c)).acl("connection")
                        .doc("Unblock a client blocked in a blocking command from a different connection", "5.0.0",
                                "connection", "O(log N) where N is the number of client connections",
                                "client-id:integer [TIMEOUT|ERROR]"))
                .sub(cmd("pause", -3, FLAGS, ClientCommands::pause).acl("connection")
                        .doc("Stop processing commands from clients for some time", "2.9.50", "connection", "O(1)",
                                "timeout:integer [WRITE|ALL]"))
                .sub(cmd("unpause", 2, FLAGS, c -> {
                    c.server.pause.unpause(Pause.Purpose.CLIENT_COMMAND);
                    c.ok();
                }).acl("connection").doc("Resume processing of clients that were paused", "6.2.0", "connection",
                        "O(N) Where N is the number of paused clients", null))
                .sub(cmd("no-evict", 3, FLAGS, ClientCommands::noEvict).acl("connection")
                        .doc("Set client eviction mode for the current connection", "7.0.0", "connection", "O(1)",
                                "ON|OFF")));
    }

    static void help(CommandContext c) {
        c.help("GETNAME",
                "    Return the name of the current connection.",
                "ID",
                "    Return the ID of the current connection.",
                "INFO",
                "    Return information about the current client connection.",
                "KILL <ip:port>",
                "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]",
                "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)",
                "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Kill connections by type.",
                "    * USER <username>",
                "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)",
                "      Skip killing current connection (default: yes).",
                "LIST [options ...]",
                "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
                "      Return clients of specified type.",
                "UNPAUSE",
                "    Stop the current client pause, resuming traffic.",
                "PAUSE <timeout> [WRITE|ALL]",
                "    Suspend all, or just write, clients for <timeout> milliseconds.",
                "REPLY (ON|OFF|SKIP)",
                "    Control the replies sent to the current connection.",
                "SETNAME <name>",
                "    Assign the name <name> to the current connection.",
                "UNBLOCK <clientid> [TIMEOUT|ERROR]",
                "    Unblock the specified blocked client.",
                "NO-EVICT (ON|OFF)",
                "    Protect current client connection from eviction.");
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as Redis does. */
    static void pause(CommandContext c) {
        if (c.argc() > 4) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        Pause.Type type = Pause.Type.ALL;
        if (c.argc() == 4) {
            if (c.argIs(3, "write")) {
                type = Pause.Type.WRITE;
            } else if (!c.argIs(3, "all")) {
                c.reply.error("ERR CLIENT PAUSE mode must be WRITE or ALL");
                return;
            }
        }
        long end = BlockingTimeout.deadlineFromMillis(c.argv[2], System.currentTimeMillis());
        c.server.pause.pause(Pause.Purpose.CLIENT_COMMAND, end, type);
        c.ok();
    }

    static void info(CommandContext c) {
        c.reply.verbatim(describe(c, c.client) + "\n");
    }

    static void list(CommandContext c) {
        List<Client> selected = new ArrayList<>();
        if (c.argc() == 4 && c.argIs(2, "type")) {
            String type = c.argLower(3);
            if (!isClientType(type)) {
                c.reply.error(ErrorText.of("ERR Unknown client type '").arg(c.argv[3]).text("'").bytes());
                return;
            }
            // no pub/sub yet: a client is our master's link or a normal one
            for (Client cl : c.server.clients.all()) {
                if (typeOf(cl).equals(type.equals("slave") ? "replica" : type)) {
                    selected.add(cl);
                }
            }
        } else if (c.argc() > 3 && c.argIs(2, "id")) {
            for (int j = 3; j < c.argc(); j++) {
                Long id = Numbers.parseLong(c.argv[j]);
                if (id == null) {
                    c.reply.error("ERR Invalid client ID");
                    return;
                }
                Client cl = c.server.clients.get(id);
                if (cl != null) {
                    selected.add(cl);
                }
            }
        } else if (c.argc() != 2) {
            c.syntaxError();
            return;
        } else {
            selected.addAll(c.server.clients.all());
        }
        StringBuilder b = new StringBuilder();
        for (Client cl : selected) {
            b.append(describe(c, cl)).append('\n');
        }
        c.reply.verbatim(b.toString());
    }

    private static boolean isClientType(String t) {
        return t.equals("normal") || t.equals("master") || t.equals("replica") || t.equals("slave")
                || t.equals("pubsub");
    }

    /** One CLIENT LIST line with Redis 7.0's fields in Redis's order. */
    static String describe(CommandContext c, Client cl) {
        return describe(c.server, cl, cl == c.client ? c.spec.fullName : cl.lastCommand);
    }

    /** One CLIENT LIST line (catClientInfoString), cmd being the command shown as the client's last. */
    public static String describe(Server server, Client cl, String cmd) {
        long now = System.currentTimeMillis();
        int fd = cl.channel instanceof UnixChannel uc ? uc.fd().intValue() : -1;
        // in Redis's order: O (monitor), x (in MULTI), b (blocked), U (unix socket), e (no-evict)
        String flags = (cl.replicaSession != null ? "S" : "") + (cl.master ? "M" : "") + (cl.monitor ? "O" : "")
                + (cl.pubsub ? "P" : "") + (cl.multi != null ? "x" : "")
                + (server.blocking.isBlocked(cl) ? "b" : "") + (cl.unixSocket ? "U" : "")
                + (cl.noEvict ? "e" : "");
        if (flags.isEmpty()) {
            flags = "N";
        }
        return "id=" + cl.id + " addr=" + cl.addr + " laddr=" + cl.laddr + " fd=" + fd
                + " name=" + (cl.name == null ? "" : cl.name)
                + " age=" + (now - cl.createdMillis) / 1000 + " idle=" + (now - cl.lastInteractionMillis) / 1000
                + " flags=" + flags + " db=" + cl.db + " sub=" + cl.pubsubChannels.size()
                + " psub=" + cl.pubsubPatterns.size() + " ssub=" + cl.pubsubShardChannels.size() + " multi="
                + (cl.multi == null ? -1 : cl.multi.size()) + " qbuf=" + (cl.queryBytes + cl.bufferedQueryBytes) + " qbuf-free=0"
                + " argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=1024 events=r cmd=" + cmd
                + " user=" + (cl.user == null ? "(superuser)" : cl.user.name) + " redir=-1 resp=" + cl.resp;
    }

    /** CLIENT LIST/KILL TYPE's class of a client (Redis's getClientType). */
    private static String typeOf(Client cl) {
        return cl.master ? "master" : cl.replicaSession != null ? "replica" : cl.pubsub ? "pubsub" : "normal";
    }

    static void kill(CommandContext c) {
        String addr = null;
        String laddr = null;
        String type = null;
        AclUser user = null;
        long id = 0;
        boolean skipMe = true;
        if (c.argc() == 3) {
            addr = c.arg(2);
            skipMe = false; // with the old form a client may kill itself
        } else {
            for (int i = 2; i < c.argc(); i += 2) {
                boolean more = c.argc() > i + 1;
                String opt = c.argLower(i);
                if (!more) {
                    c.syntaxError();
                    return;
                }
                switch (opt) {
                    case "id" -> {
                        Long v = Numbers.parseLong(c.argv[i + 1]);
                        if (v == null || v < 1) {
                            c.reply.error("ERR client-id should be greater than 0");
                            return;
                        }
                        id = v;
                    }
                    case "type" -> {
                        type = c.argLower(i + 1);
                        if (!isClientType(type)) {
                            c.reply.error(ErrorText.of("ERR Unknown client type '").arg(c.argv[i + 1]).text("'").bytes());
                            return;
                        }
                    }
                    case "addr" -> addr = c.arg(i + 1);
                    case "laddr" -> laddr = c.arg(i + 1);
                    case "user" -> {
                        user = c.server.acl.user(new String(c.argv[i + 1], StandardCharsets.ISO_8859_1));
                        if (user == null) {
                            c.reply.error(ErrorText.of("ERR No such user '").arg(c.argv[i + 1]).text("'").bytes());
                            return;
                        }
                    }
                    case "skipme" -> {
                        String v = c.argLower(i + 1);
                        if (!v.equals("yes") && !v.equals("no")) {
                            c.syntaxError();
                            return;
                        }
                        skipMe = v.equals("yes");
                    }
                    default -> {
                        c.syntaxError();
                        return;
                    }
                }
            }
        }
        int killed = 0;
        boolean closeSelf = false;
        for (Client cl : c.server.clients.all().toArray(new Client[0])) {
            if ((addr != null && !cl.addr.equals(addr)) || (laddr != null && !cl.laddr.equals(laddr))
                    || (type != null && !typeOf(cl).equals(type.equals("slave") ? "replica" : type))
                    || (id != 0 && cl.id != id) || (user != null && cl.user != user)
                    || (cl == c.client && skipMe)) {
                continue;
            }
            if (cl == c.client) {
                closeSelf = true;
            } else {
                c.server.clients.kill(cl);
            }
            killed++;
        }
        if (c.argc() == 3) {
            if (killed == 0) {
                c.reply.error("ERR No such client");
            } else {
                c.ok();
            }
        } else {
            c.reply.integer(killed);
        }
        if (closeSelf) {
            c.server.clients.closeAfterReply(c.client);
        }
    }

    static void setname(CommandContext c) {
        if (setName(c, c.argv[2])) {
            c.ok();
        }
    }

    /** Redis's clientSetNameOrReply: printable ASCII without spaces; empty clears the name. */
    static boolean setName(CommandContext c, byte[] name) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                c.reply.error("ERR Client names cannot contain spaces, newlines or special characters.");
                return false;
            }
        }
        c.client.name = name.length == 0 ? null : new String(name, StandardCharsets.US_ASCII);
        return true;
    }

    static void getname(CommandContext c) {
        c.reply.bulk(c.client.name);
    }

    /** CLIENT REPLY ON|OFF|SKIP: only ON answers (+OK); OFF and SKIP are silent from this command on. */
    static void reply(CommandContext c) {
        switch (c.argLower(2)) {
            case "on" -> {
                c.client.replyMode = Client.ReplyMode.ON;
                c.client.replySilent = false;
                c.reply = c.server.clients.replyTo(c.client);
                c.ok();
            }
            case "off" -> c.client.replyMode = Client.ReplyMode.OFF;
            case "skip" -> {
                if (c.client.replyMode != Client.ReplyMode.OFF) {
                    c.client.replyMode = Client.ReplyMode.SKIP_NEXT;
                }
            }
            default -> c.syntaxError();
        }
    }

    static void noEvict(CommandContext c) {
        String v = c.argLower(2);
        if (v.equals("on") || v.equals("off")) {
            c.client.noEvict = v.equals("on");
            c.ok();
        } else {
            c.syntaxError();
        }
    }
}
