package io.cascade.server.commands;

import io.cascade.conf.Glob;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandDoc;
import io.cascade.server.command.CommandFlag;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.GetKeys;
import io.cascade.server.command.KeyFlags;
import io.cascade.server.command.KeyReference;
import io.cascade.server.command.KeySpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import static io.cascade.server.command.CommandTable.cmd;

/** COMMAND and its subcommands (COUNT, LIST, INFO, DOCS, HELP), answered from the command table. */
public final class CommandCommand {
    /** Flags COMMAND INFO shows; Redis hides may_replicate, sentinel, only_sentinel and protected on purpose. */
    private static final List<CommandFlag> SHOWN = List.of(CommandFlag.WRITE, CommandFlag.READONLY,
            CommandFlag.DENYOOM, CommandFlag.MODULE, CommandFlag.ADMIN, CommandFlag.PUBSUB, CommandFlag.NOSCRIPT,
            CommandFlag.BLOCKING, CommandFlag.LOADING, CommandFlag.STALE, CommandFlag.SKIP_MONITOR,
            CommandFlag.SKIP_SLOWLOG, CommandFlag.ASKING, CommandFlag.FAST, CommandFlag.NO_AUTH,
            CommandFlag.NO_MANDATORY_KEYS, CommandFlag.NO_ASYNC_LOADING, CommandFlag.NO_MULTI, CommandFlag.MOVABLEKEYS, CommandFlag.ALLOW_BUSY);

    private CommandCommand() {
    }

    public static void register(CommandTable t) {
        String flags = "loading stale";
        t.add(cmd("command", -1, flags, CommandCommand::all).acl("connection").tips("nondeterministic_output_order")
                .doc("Get array of Redis command details", "2.8.13", "server", "O(N) where N is the total number of "
                        + "Redis commands", null)
                .sub(cmd("count", 2, flags, c -> c.reply.integer(c.server.commands.all().size())).acl("connection")
                        .doc("Get total number of Redis commands", "2.8.13", "server", "O(1)", null))
                .sub(cmd("list", -2, flags, CommandCommand::list).acl("connection")
                        .tips("nondeterministic_output_order")
                        .doc("Get an array of Redis command names", "7.0.0", "server",
                                "O(N) where N is the total number of Redis commands",
                                "[FILTERBY (MODULE module-name:string|ACLCAT category:string|PATTERN pattern:pattern)]"))
                .sub(cmd("info", -2, flags, CommandCommand::info).acl("connection")
                        .tips("nondeterministic_output_order")
                        .doc("Get array of specific Redis command details, or all when no argument is given.",
                                "2.8.13", "server", "O(N) where N is the number of commands to look up",
                                "[command-name:string...]"))
                .sub(cmd("docs", -2, flags, CommandCommand::docs).acl("connection")
                        .tips("nondeterministic_output_order")
                        .doc("Get array of specific Redis command documentation", "7.0.0", "server",
                                "O(N) where N is the number of commands to look up", "[command-name:string...]"))
                .sub(cmd("getkeys", -4, flags + " sentinel", c -> getKeys(c, false)).acl("connection")
                        .doc("Extract keys given a full Redis command", "2.8.13", "server",
                                "O(N) where N is the number of arguments to the command", null))
                .sub(cmd("getkeysandflags", -4, flags + " sentinel", c -> getKeys(c, true)).acl("connection")
                        .doc("Extract keys and access flags given a full Redis command", "7.0.0", "server",
                                "O(N) where N is the number of arguments to the command", null))
                .sub(cmd("help", 2, flags, CommandCommand::help).acl("connection")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "server", "O(1)", null)));
    }

    static void all(CommandContext c) {
        Collection<CommandSpec> all = c.server.commands.all();
        c.reply.array(all.size());
        for (CommandSpec spec : all) {
            info(c, spec);
        }
    }

    static void list(CommandContext c) {
        String filter = null;
        String arg = null;
        for (int i = 2; i < c.argc(); i++) {
            int more = c.argc() - 1 - i;
            if (c.argIs(i, "filterby") && more == 2) {
                filter = c.argLower(i + 1);
                if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                    c.syntaxError();
                    return;
                }
                arg = c.arg(i + 2);
                i += 2;
            } else {
                c.syntaxError();
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server.commands.all()) {
            collect(spec, filter, arg, names);
            for (CommandSpec sub : spec.subcommands().values()) {
                collect(sub, filter, arg, names);
            }
        }
        c.reply.array(names.size());
        for (String n : names) {
            c.reply.bulk(n);
        }
    }

    private static void collect(CommandSpec spec, String filter, String arg, List<String> out) {
        boolean match = filter == null
                || (filter.equals("aclcat") && spec.aclCategories.contains(arg.toLowerCase(Locale.ROOT)))
                || (filter.equals("pattern") && Glob.match(arg, spec.fullName, true));
        if (match) {
            out.add(spec.fullName);
        }
    }

    static void info(CommandContext c) {
        if (c.argc() == 2) {
            all(c);
            return;
        }
        c.reply.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec spec = byFullName(c, c.argLower(i));
            if (spec == null) {
                c.reply.nullBulk();
            } else {
                info(c, spec);
            }
        }
    }

    /** Redis's lookupCommandBySds: "name" or "container|subcommand". */
    private static CommandSpec byFullName(CommandContext c, String name) {
        int bar = name.indexOf('|');
        if (bar < 0) {
            return c.server.commands.get(name);
        }
        CommandSpec base = c.server.commands.get(name.substring(0, bar));
        return base == null ? null : base.subcommand(name.substring(bar + 1));
    }

    private static void info(CommandContext c, CommandSpec spec) {
        c.reply.array(10);
        c.reply.bulk(spec.fullName);
        c.reply.integer(spec.arity);
        List<String> flags = new ArrayList<>();
        for (CommandFlag f : SHOWN) {
            if (spec.has(f)) {
                flags.add(f.word());
            }
        }
        c.reply.set(flags.size());
        for (String f : flags) {
            c.reply.simple(f);
        }
        c.reply.integer(spec.firstKey);
        c.reply.integer(spec.lastKey);
        c.reply.integer(spec.keyStep);
        c.reply.set(spec.aclCategories.size());
        for (String cat : spec.aclCategories) {
            c.reply.simple("@" + cat);
        }
        c.reply.array(spec.tips.size());
        for (String tip : spec.tips) {
            c.reply.bulk(tip);
        }
        keySpecs(c, spec);
        c.reply.array(spec.subcommands().size());
        for (CommandSpec sub : spec.subcommands().values()) {
            info(c, sub);
        }
    }

    private static void keySpecs(CommandContext c, CommandSpec spec) {
        c.reply.set(spec.keySpecs.size());
        for (KeySpec ks : spec.keySpecs) {
            c.reply.map(ks.notes() == null ? 3 : 4);
            if (ks.notes() != null) {
                c.reply.bulk("notes");
                c.reply.bulk(ks.notes());
            }
            c.reply.bulk("flags");
            keyFlags(c, ks.flagBits());
            c.reply.bulk("begin_search");
            c.reply.map(2);
            if (ks.isUnknown()) {
                c.reply.bulk("type");
                c.reply.bulk("unknown");
                c.reply.bulk("spec");
                c.reply.map(0);
                c.reply.bulk("find_keys");
                c.reply.map(2);
                c.reply.bulk("type");
                c.reply.bulk("unknown");
                c.reply.bulk("spec");
                c.reply.map(0);
                continue;
            }
            if (ks.isKeyword()) {
                c.reply.bulk("type");
                c.reply.bulk("keyword");
                c.reply.bulk("spec");
                c.reply.map(2);
                c.reply.bulk("keyword");
                c.reply.bulk(ks.keyword());
                c.reply.bulk("startfrom");
                c.reply.integer(ks.startFrom());
            } else {
                c.reply.bulk("type");
                c.reply.bulk("index");
                c.reply.bulk("spec");
                c.reply.map(1);
                c.reply.bulk("index");
                c.reply.integer(ks.beginIndex());
            }
            c.reply.bulk("find_keys");
            c.reply.map(2);
            c.reply.bulk("type");
            if (ks.isKeynum()) {
                c.reply.bulk("keynum");
                c.reply.bulk("spec");
                c.reply.map(3);
                c.reply.bulk("keynumidx");
                c.reply.integer(ks.keynumIdx());
                c.reply.bulk("firstkey");
                c.reply.integer(ks.firstKey());
                c.reply.bulk("keystep");
                c.reply.integer(ks.keyStep());
                continue;
            }
            c.reply.bulk("range");
            c.reply.bulk("spec");
            c.reply.map(3);
            c.reply.bulk("lastkey");
            c.reply.integer(ks.lastKey());
            c.reply.bulk("keystep");
            c.reply.integer(ks.keyStep());
            c.reply.bulk("limit");
            c.reply.integer(ks.limit());
        }
    }

    /** Key-spec flags in Redis's order (addReplyFlagsForKeyArgs). */
    private static void keyFlags(CommandContext c, int bits) {
        List<String> words = KeyFlags.words(bits);
        c.reply.set(words.size());
        for (String w : words) {
            c.reply.simple(w);
        }
    }

    /** COMMAND GETKEYS / GETKEYSANDFLAGS full-command...: Redis's getKeysSubcommandImpl. */
    static void getKeys(CommandContext c, boolean withFlags) {
        byte[][] argv = Arrays.copyOfRange(c.argv, 2, c.argc());
        CommandSpec cmd = c.server.commands.lookup(argv);
        if (cmd == null) {
            c.reply.error("ERR Invalid command specified");
            return;
        }
        if (!GetKeys.hasKeys(cmd)) {
            c.reply.error("ERR The command has no key arguments");
            return;
        }
        if (!cmd.arityAccepts(argv.length)) {
            c.reply.error("ERR Invalid number of arguments specified for command");
            return;
        }
        List<KeyReference> keys = GetKeys.fromCommand(cmd, argv);
        if (keys.isEmpty()) {
            if (cmd.has(CommandFlag.NO_MANDATORY_KEYS)) {
                c.reply.array(0);
            } else {
                c.reply.error("ERR Invalid arguments specified for command");
            }
            return;
        }
        c.reply.array(keys.size());
        for (KeyReference k : keys) {
            if (withFlags) {
                c.reply.array(2);
                c.reply.bulk(argv[k.pos()]);
                keyFlags(c, k.flags());
            } else {
                c.reply.bulk(argv[k.pos()]);
            }
        }
    }

    static void docs(CommandContext c) {
        List<CommandSpec> specs = new ArrayList<>();
        if (c.argc() == 2) {
            specs.addAll(c.server.commands.all());
        } else {
            for (int i = 2; i < c.argc(); i++) {
                CommandSpec spec = byFullName(c, c.argLower(i));
                if (spec != null) {
                    specs.add(spec);
                }
            }
        }
        c.reply.map(specs.size());
        for (CommandSpec spec : specs) {
            c.reply.bulk(spec.fullName);
            docs(c, spec);
        }
    }

    private static void docs(CommandContext c, CommandSpec spec) {
        CommandDoc d = spec.doc;
        int len = 1 + (d.summary().isEmpty() ? 0 : 1) + (d.since().isEmpty() ? 0 : 1)
                + (d.complexity().isEmpty() ? 0 : 1) + (d.arguments().isEmpty() ? 0 : 1)
                + (spec.isContainer() ? 1 : 0);
        c.reply.map(len);
        if (!d.summary().isEmpty()) {
            c.reply.bulk("summary");
            c.reply.bulk(d.summary());
        }
        if (!d.since().isEmpty()) {
            c.reply.bulk("since");
            c.reply.bulk(d.since());
        }
        c.reply.bulk("group");
        c.reply.bulk(d.group());
        if (!d.complexity().isEmpty()) {
            c.reply.bulk("complexity");
            c.reply.bulk(d.complexity());
        }
        if (!d.arguments().isEmpty()) {
            c.reply.bulk("arguments");
            args(c, d.arguments());
        }
        if (spec.isContainer()) {
            c.reply.bulk("subcommands");
            c.reply.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                c.reply.bulk(sub.fullName);
                docs(c, sub);
            }
        }
    }

    private static void args(CommandContext c, List<CommandDoc.Arg> args) {
        c.reply.array(args.size());
        for (CommandDoc.Arg a : args) {
            boolean nested = a.type().equals("oneof") || a.type().equals("block");
            boolean flagged = a.optional() || a.multiple();
            c.reply.map(2 + (a.token() != null ? 1 : 0) + (flagged ? 1 : 0) + (nested ? 1 : 0));
            c.reply.bulk("name");
            c.reply.bulk(a.name());
            c.reply.bulk("type");
            c.reply.bulk(a.type());
            if (a.token() != null) {
                c.reply.bulk("token");
                c.reply.bulk(a.token());
            }
            if (flagged) {
                c.reply.bulk("flags");
                c.reply.set((a.optional() ? 1 : 0) + (a.multiple() ? 1 : 0));
                if (a.optional()) {
                    c.reply.simple("optional");
                }
                if (a.multiple()) {
                    c.reply.simple("multiple");
                }
            }
            if (nested) {
                c.reply.bulk("arguments");
                args(c, a.children());
            }
        }
    }

    static void help(CommandContext c) {
        c.help("(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
