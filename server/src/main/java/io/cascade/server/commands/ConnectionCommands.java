package io.cascade.server.commands;

import io.cascade.server.Server;
import io.cascade.server.acl.AclLog;
import io.cascade.server.acl.AclUser;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.server.net.Client;

import java.nio.charset.StandardCharsets;

import static io.cascade.server.command.CommandTable.cmd;

/** The connection family: PING ECHO QUIT HELLO AUTH SELECT RESET. Handlers run on the command thread. */
public final class ConnectionCommands {
    private ConnectionCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("ping", -1, "fast sentinel", ConnectionCommands::ping).acl("connection")
                .tips("request_policy:all_shards response_policy:all_succeeded")
                .doc("Ping the server", "1.0.0", "connection", "O(1)", "[message:string]"));
        t.add(cmd("echo", 2, "loading stale fast", ConnectionCommands::echo).acl("connection")
                .doc("Echo the given string", "1.0.0", "connection", "O(1)", "message:string"));
        t.add(cmd("quit", -1, "allow_busy noscript loading stale fast no_auth", ConnectionCommands::quit)
                .acl("connection").doc("Close the connection", "1.0.0", "connection", "O(1)", null));
        t.add(cmd("hello", -1, "noscript loading stale fast no_auth sentinel allow_busy", ConnectionCommands::hello)
                .acl("connection").doc("Handshake with Redis", "6.0.0", "connection", "O(1)",
                        "[protover:integer [AUTH username:string password:string] [SETNAME clientname:string]]"));
        t.add(cmd("auth", -2, "noscript loading stale fast no_auth sentinel allow_busy", ConnectionCommands::auth)
                .acl("connection").doc("Authenticate to the server", "1.0.0", "connection",
                        "O(N) where N is the number of passwords defined for the user", "[username:string] password:string"));
        t.add(cmd("select", 2, "loading stale fast", ConnectionCommands::select).acl("connection")
                .doc("Change the selected database for the current connection", "1.0.0", "connection", "O(1)",
                        "index:integer"));
        t.add(cmd("reset", 1, "noscript loading stale fast no_auth allow_busy", ConnectionCommands::reset)
                .acl("connection").doc("Reset the connection", "6.2.0", "connection", "O(1)", null));
    }

    static void ping(CommandContext c) {
        if (c.argc() > 2) {
            c.reply.error(Errors.wrongArity("ping"));
        } else if (c.client.pubsub && c.client.resp == 2) {
            // in RESP2 Pub/Sub mode the reply must look like a message: ["pong", message or ""]
            c.reply.array(2);
            c.reply.bulk("pong");
            c.reply.bulk(c.argc() == 2 ? c.argv[1] : new byte[0]);
        } else if (c.argc() == 2) {
            c.reply.bulk(c.argv[1]);
        } else {
            c.reply.simple("PONG");
        }
    }

    static void echo(CommandContext c) {
        c.reply.bulk(c.argv[1]);
    }

    static void quit(CommandContext c) {
        c.ok();
        c.server.clients.closeAfterReply(c.client);
    }

    static void select(CommandContext c) {
        Long id = c.argInt(1);
        if (id == null) {
            return;
        }
        if (id < 0 || id >= c.server.databases.count()) {
            c.reply.error("ERR DB index is out of range");
            return;
        }
        c.client.db = (int) (long) id;
        c.ok();
    }

    static void auth(CommandContext c) {
        if (c.argc() > 3) {
            c.syntaxError();
            return;
        }
        c.redact(1); // always, even when the command fails: MONITOR must never show a password
        if (c.argc() == 2 && c.server.acl.defaultUser().nopass()) {
            c.reply.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
            return;
        }
        if (c.argc() == 3) {
            c.redact(2);
        }
        byte[] user = c.argc() == 3 ? c.argv[1] : "default".getBytes(StandardCharsets.UTF_8);
        byte[] pass = c.argv[c.argc() - 1];
        if (authenticate(c, user, pass)) {
            c.ok();
        } else {
            c.reply.error(Errors.WRONGPASS);
        }
    }

    /**
     * ACLAuthenticateUser: on success the connection runs as that user from now on; a failure is logged in the ACL
     * log under the name tried. The password comparison is constant-time (Redis's time_independent_strcmp).
     */
    static boolean authenticate(CommandContext c, byte[] user, byte[] pass) {
        AclUser u = c.server.acl.authenticate(user, pass);
        if (u == null) {
            c.server.acl.log.add(AclLog.Reason.AUTH, c.client.multi != null ? "multi" : "toplevel", c.argv[0],
                    new String(user, StandardCharsets.ISO_8859_1), ClientCommands.describe(c, c.client));
            return false;
        }
        c.client.user = u;
        c.client.authenticated = true;
        return true;
    }

    static void hello(CommandContext c) {
        long version = 0;
        int next = 1;
        if (c.argc() >= 2) {
            Long v = Numbers.parseLong(c.argv[next++]);
            if (v == null) {
                c.reply.error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (v < 2 || v > 3) {
                c.reply.error("NOPROTO unsupported protocol version");
                return;
            }
            version = v;
        }
        for (int j = next; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            String opt = c.argLower(j);
            if (opt.equals("auth") && more >= 2) {
                c.redact(j + 1);
                c.redact(j + 2);
                if (!authenticate(c, c.argv[j + 1], c.argv[j + 2])) {
                    c.reply.error(Errors.WRONGPASS);
                    return;
                }
                j += 2;
            } else if (opt.equals("setname") && more >= 1) {
                if (!ClientCommands.setName(c, c.argv[j + 1])) {
                    return;
                }
                j++;
            } else {
                c.reply.error(ErrorText.of("ERR Syntax error in HELLO option '").arg(c.argv[j]).text("'").bytes());
                return;
            }
        }
        if (!c.client.authenticated && c.server.passwordRequired()) {
            c.reply.error("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
            return;
        }
        if (version != 0) {
            c.client.resp = (int) version;
            c.reply = c.server.clients.replyTo(c.client); // the reply itself is in the new protocol
        }
        c.reply.map(7);
        c.reply.bulk("server");
        c.reply.bulk("redis");
        c.reply.bulk("version");
        c.reply.bulk(Server.REDIS_VERSION);
        c.reply.bulk("proto");
        c.reply.integer(c.client.resp);
        c.reply.bulk("id");
        c.reply.integer(c.client.id);
        c.reply.bulk("mode");
        c.reply.bulk("standalone");
        c.reply.bulk("role");
        c.reply.bulk(c.server.replica.isReplica() ? "replica" : "master");
        c.reply.bulk("modules");
        c.reply.array(0);
    }

    static void reset(CommandContext c) {
        Client client = c.client;
        client.multi = null;
        c.server.watches.unwatchAll(client);
        c.server.pubsub.clientGone(client);
        client.db = 0;
        client.resp = 2;
        client.name = null;
        client.noEvict = false;
        // back to the default user, authenticated only if that one needs no password (clearClientConnectionState)
        client.user = c.server.acl.defaultUser();
        client.authenticated = client.user.nopass() && client.user.enabled();
        c.reply = c.server.clients.replyTo(client);
        c.reply.simple("RESET");
    }
}
