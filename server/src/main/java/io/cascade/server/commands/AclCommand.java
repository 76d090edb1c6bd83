package io.cascade.server.commands;

import io.cascade.conf.Log;
import io.cascade.server.acl.Acl;
import io.cascade.server.acl.AclLog;
import io.cascade.server.acl.AclUser;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.server.net.Client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** ACL and its subcommands (Redis's aclCommand): users, their rules, the categories and the ACL log. Command thread. */
public final class AclCommand {
    private static final String FLAGS = "noscript loading stale sentinel";
    private static final String ADMIN = "admin " + FLAGS;
    private static final int GENPASS_MAX_BITS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AclCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("acl", -2, "sentinel", null)
                .doc("A container for Access List Control commands ", "6.0.0", "server", "Depends on subcommand.", null)
                .sub(cmd("cat", -2, FLAGS, AclCommand::cat)
                        .doc("List the ACL categories or the commands inside a category", "6.0.0", "server",
                                "O(1) since the categories and commands are a fixed set.", "[categoryname:string]"))
                .sub(cmd("deluser", -3, ADMIN, AclCommand::delUser)
                        .doc("Remove the specified ACL users and the associated rules", "6.0.0", "server",
                                "O(1) amortized time considering the typical user.", "username:string..."))
                .sub(cmd("dryrun", -4, ADMIN, AclCommand::dryRun)
                        .doc("Returns whether the user can execute the given command without executing the command.",
                                "7.0.0", "server", "O(1).", "username:string command:string [arg:string...]"))
                .sub(cmd("genpass", -2, FLAGS, AclCommand::genPass)
                        .doc("Generate a pseudorandom secure password to use for ACL users", "6.0.0", "server", "O(1)",
                                "[bits:integer]"))
                .sub(cmd("getuser", 3, ADMIN, AclCommand::getUser)
                        .doc("Get the rules for a specific ACL user", "6.0.0", "server",
                                "O(N). Where N is the number of password, command and pattern rules that the user has.",
                                "username:string"))
                .sub(cmd("help", 2, "loading stale sentinel", AclCommand::help)
                        .doc("Show helpful text about the different subcommands", "6.0.0", "server", "O(1)", null))
                .sub(cmd("list", 2, ADMIN, AclCommand::list)
                        .doc("List the current ACL rules in ACL config file format", "6.0.0", "server",
                                "O(N). Where N is the number of configured users.", null))
                .sub(cmd("load", 2, ADMIN, AclCommand::load)
                        .doc("Reload the ACLs from the configured ACL file", "6.0.0", "server",
                                "O(N). Where N is the number of configured users.", null))
                .sub(cmd("log", -2, ADMIN, AclCommand::log)
                        .doc("List latest events denied because of ACLs in place", "6.0.0", "server",
                                "O(N) with N being the number of entries shown.",
                                "[operation:oneof(count:integer|RESET)]"))
                .sub(cmd("save", 2, ADMIN, AclCommand::save)
                        .doc("Save the current ACL rules in the configured ACL file", "6.0.0", "server",
                                "O(N). Where N is the number of configured users.", null))
                .sub(cmd("setuser", -3, ADMIN, AclCommand::setUser)
                        .doc("Modify or create the rules for a specific ACL user", "6.0.0", "server",
                                "O(N). Where N is the number of rules provided.", "username:string [rule:string...]"))
                .sub(cmd("users", 2, ADMIN, AclCommand::users)
                        .doc("List the username of all the configured ACL rules", "6.0.0", "server",
                                "O(N). Where N is the number of configured users.", null))
                .sub(cmd("whoami", 2, FLAGS, AclCommand::whoami)
                        .doc("Return the name of the user associated to the current connection", "6.0.0", "server",
                                "O(1)", null)));
    }

    private static String name(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static void setUser(CommandContext c) {
        for (int i = 2; i < c.argc(); i++) {
            c.redact(i); // the rules may hold passwords: MONITOR and the slow log never show them
        }
        if (!Acl.validName(c.argv[2])) {
            c.reply.error("ERR Usernames can't contain spaces or null characters");
            return;
        }
        String error = c.server.acl.setUser(name(c.argv[2]), Arrays.asList(c.argv).subList(3, c.argc()));
        if (error != null) {
            c.reply.error(ErrorText.of("ERR ").text(error).bytes());
            return;
        }
        c.ok();
    }

    static void delUser(CommandContext c) {
        for (int i = 2; i < c.argc(); i++) {
            if (name(c.argv[i]).equals(Acl.DEFAULT_USER)) {
                c.reply.error("ERR The 'default' user cannot be removed");
                return;
            }
        }
        int deleted = 0;
        for (int i = 2; i < c.argc(); i++) {
            AclUser u = c.server.acl.removeUser(name(c.argv[i]));
            if (u != null) {
                disconnect(c, u);
                deleted++;
            }
        }
        c.reply.integer(deleted);
    }

    /** ACLFreeUserAndKillClients: the user's connections go back to the unauthenticated default user and close. */
    private static void disconnect(CommandContext c, AclUser u) {
        for (Client cl : c.server.clients.all().toArray(new Client[0])) {
            if (cl.user == u) {
                cl.user = c.server.acl.defaultUser();
                cl.authenticated = false;
                if (cl == c.client) {
                    c.server.clients.closeAfterReply(cl);
                } else {
                    c.server.clients.kill(cl);
                }
            }
        }
    }

    static void getUser(CommandContext c) {
        AclUser u = c.server.acl.user(name(c.argv[2]));
        if (u == null) {
            c.reply.nullBulk();
            return;
        }
        c.reply.map(6);
        c.reply.bulk("flags");
        List<String> flags = u.flags();
        c.reply.set(flags.size());
        for (String f : flags) {
            c.reply.bulk(f);
        }
        c.reply.bulk("passwords");
        c.reply.array(u.passwords().size());
        for (String p : u.passwords()) {
            c.reply.bulk(p);
        }
        // the root selector at the top level, as before selectors existed, then every other one
        selector(c, u, 0);
        c.reply.bulk("selectors");
        c.reply.array(u.selectorCount() - 1);
        for (int i = 1; i < u.selectorCount(); i++) {
            c.reply.map(3);
            selector(c, u, i);
        }
    }

    private static void selector(CommandContext c, AclUser u, int i) {
        c.reply.bulk("commands");
        c.reply.bulk(u.commandRules(i));
        c.reply.bulk("keys");
        c.reply.bulk(u.keys(i));
        c.reply.bulk("channels");
        c.reply.bulk(u.channels(i));
    }

    static void list(CommandContext c) {
        c.reply.array(c.server.acl.users().size());
        for (AclUser u : c.server.acl.users()) {
            c.reply.bulk(("user " + u.name + " " + u.describe()).getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static void users(CommandContext c) {
        c.reply.array(c.server.acl.users().size());
        for (AclUser u : c.server.acl.users()) {
            c.reply.bulk(u.name.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static void whoami(CommandContext c) {
        if (c.client.user == null) {
            c.reply.nullBulk();
        } else {
            c.reply.bulk(c.client.user.name.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** ACL LOAD and SAVE work on the aclfile; without one, users live in the config file (CONFIG REWRITE). */
    private static boolean noAclFile(CommandContext c) {
        if (!c.server.config.getString("aclfile").isEmpty()) {
            return false;
        }
        c.reply.error("ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
                + "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                + "configuration file set) in order to store users in the Redis configuration.");
        return true;
    }

    static void load(CommandContext c) {
        if (noAclFile(c)) {
            return;
        }
        String name = c.server.config.getString("aclfile");
        List<AclUser> removed = new ArrayList<>();
        String errors = c.server.acl.loadFile(c.server.config.dir().resolve(name), name, removed);
        if (errors != null) {
            c.reply.error(ErrorText.of("ERR ").text(errors).bytes());
            return;
        }
        for (AclUser u : removed) {
            disconnect(c, u);
        }
        c.ok();
    }

    static void save(CommandContext c) {
        if (noAclFile(c)) {
            return;
        }
        try {
            c.server.acl.saveFile(c.server.config.dir().resolve(c.server.config.getString("aclfile")));
            c.ok();
        } catch (IOException e) {
            Log.warning("Writing ACL file for ACL SAVE: %s", e.getMessage());
            c.reply.error("ERR There was an error trying to save the ACLs. Please check the server logs for more "
                    + "information");
        }
    }

    static void cat(CommandContext c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        if (c.argc() == 2) {
            c.reply.array(CommandTable.ACL_CATEGORIES.size());
            for (String category : CommandTable.ACL_CATEGORIES) {
                c.reply.bulk(category);
            }
            return;
        }
        List<String> members = c.server.acl.categoryMembers(name(c.argv[2]));
        if (members == null) {
            c.reply.error(ErrorText.of("ERR Unknown category '").arg(c.argv[2], 128).text("'").bytes());
            return;
        }
        c.reply.array(members.size());
        for (String m : members) {
            c.reply.bulk(m);
        }
    }

    static void genPass(CommandContext c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        long bits = 256;
        if (c.argc() == 3) {
            Long v = Numbers.parseLong(c.argv[2]);
            if (v == null) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            bits = v;
        }
        if (bits <= 0 || bits > GENPASS_MAX_BITS) {
            c.reply.error("ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
                    + "number up to " + GENPASS_MAX_BITS);
            return;
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        c.reply.bulk(HexFormat.of().formatHex(random).substring(0, chars));
    }

    static void log(CommandContext c) {
        if (c.argc() > 3) {
            c.reply.error(Errors.subcommandSyntax(c.argv));
            return;
        }
        long count = 10;
        if (c.argc() == 3) {
            if (c.argIs(2, "reset")) {
                c.server.acl.log.reset();
                c.ok();
                return;
            }
            Long v = Numbers.parseLong(c.argv[2]);
            if (v == null) {
                c.reply.error(Errors.NOT_INTEGER);
                return;
            }
            count = Math.max(0, v);
        }
        List<AclLog.Entry> entries = c.server.acl.log.latest(count);
        long now = System.currentTimeMillis();
        c.reply.array(entries.size());
        for (AclLog.Entry e : entries) {
            c.reply.map(7);
            c.reply.bulk("count");
            c.reply.integer(e.count);
            c.reply.bulk("reason");
            c.reply.bulk(e.reason.text());
            c.reply.bulk("context");
            c.reply.bulk(e.context);
            c.reply.bulk("object");
            c.reply.bulk(e.object);
            c.reply.bulk("username");
            c.reply.bulk(e.username.getBytes(StandardCharsets.ISO_8859_1));
            c.reply.bulk("age-seconds");
            c.reply.doubleReply((now - e.millis) / 1000.0);
            c.reply.bulk("client-info");
            c.reply.bulk(e.clientInfo);
        }
    }

    static void dryRun(CommandContext c) {
        AclUser u = c.server.acl.user(name(c.argv[2]));
        if (u == null) {
            c.reply.error(ErrorText.of("ERR User '").arg(c.argv[2]).text("' not found").bytes());
            return;
        }
        byte[][] argv = Arrays.copyOfRange(c.argv, 3, c.argc());
        CommandSpec spec = c.server.commands.lookup(argv);
        if (spec == null) {
            c.reply.error(ErrorText.of("ERR Command '").arg(c.argv[3]).text("' not found").bytes());
            return;
        }
        if (!spec.arityAccepts(argv.length)) {
            c.reply.error(Errors.wrongArity(spec.fullName));
            return;
        }
        Acl.Denied denied = c.server.acl.check(u, spec, argv);
        if (denied == null) {
            c.ok();
            return;
        }
        // a bulk string, not an error: the dry run worked, its answer is the refusal
        String refusal = switch (denied.reason()) {
            case KEY -> "access the '" + name(argv[denied.argPos()]) + "' key";
            case CHANNEL -> "access the '" + name(argv[denied.argPos()]) + "' channel";
            default -> "run the '" + spec.fullName + "' command";
        };
        c.reply.bulk(("This user has no permissions to " + refusal).getBytes(StandardCharsets.ISO_8859_1));
    }

    static void help(CommandContext c) {
        c.help("CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.");
    }
}
