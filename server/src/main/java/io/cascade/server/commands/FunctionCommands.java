package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.scripting.FunctionPayload;
import io.cascade.server.scripting.Scripting;

import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** FUNCTION (LOAD, DELETE, FLUSH, LIST, DUMP, RESTORE, STATS, KILL, HELP), FCALL and FCALL_RO. Command thread. */
public final class FunctionCommands {
    private static final String FCALL_ARGS = "function:string numkeys:integer [key:key...] [arg:string...]";
    private static final String DEPENDS = "Depends on the function that is executed.";

    private FunctionCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("fcall", -3, "noscript skip_monitor may_replicate no_mandatory_keys stale",
                c -> c.server.functions.fcall(c, false)).keynum(2, 0, 1, 1, "RW access update")
                .keyNotes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE").acl("scripting")
                .doc("Invoke a function", "7.0.0", "scripting", DEPENDS, FCALL_ARGS));
        t.add(cmd("fcall_ro", -3, "noscript skip_monitor no_mandatory_keys stale readonly",
                c -> c.server.functions.fcall(c, true)).keynum(2, 0, 1, 1, "RO access")
                .keyNotes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS").acl("scripting")
                .doc("Invoke a read-only function", "7.0.0", "scripting", DEPENDS, FCALL_ARGS));
        String all = "request_policy:all_shards response_policy:all_succeeded";
        t.add(cmd("function", -2, "", null)
                .doc("A container for function commands", "7.0.0", "scripting", "Depends on subcommand.", null)
                .sub(cmd("delete", 3, "noscript write", FunctionCommands::delete).acl("scripting").tips(all)
                        .doc("Delete a function by name", "7.0.0", "scripting", "O(1)", "library-name:string"))
                .sub(cmd("dump", 2, "noscript", FunctionCommands::dump).acl("scripting")
                        .doc("Dump all functions into a serialized binary payload", "7.0.0", "scripting",
                                "O(N) where N is the number of functions", null))
                .sub(cmd("flush", -2, "noscript write", FunctionCommands::flush).acl("scripting").tips(all)
                        .doc("Deleting all functions", "7.0.0", "scripting",
                                "O(N) where N is the number of functions deleted",
                                "[async:oneof(async:pure-token,sync:pure-token)]"))
                .sub(cmd("help", 2, "loading stale", FunctionCommands::help).acl("scripting")
                        .doc("Show helpful text about the different subcommands", "7.0.0", "scripting", "O(1)",
                                null))
                .sub(cmd("kill", 2, "noscript allow_busy", c -> c.server.scripting.kill(c.reply, false))
                        .acl("scripting").tips("request_policy:all_shards response_policy:one_succeeded")
                        .doc("Kill the function currently in execution.", "7.0.0", "scripting", "O(1)", null))
                .sub(cmd("list", -2, "noscript", FunctionCommands::list).acl("scripting")
                        .tips("nondeterministic_output_order")
                        .doc("List information about all the functions", "7.0.0", "scripting",
                                "O(N) where N is the number of functions",
                                "[LIBRARYNAME library-name-pattern:string] [WITHCODE]"))
                .sub(cmd("load", -3, "noscript write denyoom", FunctionCommands::load).acl("scripting").tips(all)
                        .doc("Create a function with the given arguments (name, code, description)", "7.0.0",
                                "scripting", "O(1) (considering compilation time is redundant)",
                                "[REPLACE] function-code:string"))
                .sub(cmd("restore", -3, "noscript write denyoom", FunctionCommands::restore).acl("scripting")
                        .tips(all)
                        .doc("Restore all the functions on the given payload", "7.0.0", "scripting",
                                "O(N) where N is the number of functions on the payload",
                                "serialized-value:string [policy:oneof(flush:pure-token,append:pure-token,"
                                        + "replace:pure-token)]"))
                .sub(cmd("stats", 2, "noscript allow_busy", FunctionCommands::stats).acl("scripting")
                        .tips("nondeterministic_output request_policy:all_shards response_policy:special")
                        .doc("Return information about the function currently running (name, description, "
                                + "duration)", "7.0.0", "scripting", "O(1)", null)));
    }

    /** addReplySubcommandSyntaxError. */
    private static String subcommandSyntax(CommandContext c) {
        String sub = c.arg(1);
        return "ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try FUNCTION HELP.";
    }

    private static void load(CommandContext c) {
        boolean replace = false;
        int pos = 2;
        while (pos < c.argc() - 1) {
            if (c.argIs(pos, "replace")) {
                replace = true;
                pos++;
                continue;
            }
            c.reply.error("ERR Unknown option given: " + c.arg(pos));
            return;
        }
        if (pos >= c.argc()) {
            c.reply.error("ERR Function code is missing");
            return;
        }
        boolean rep = replace;
        // the master's FUNCTION LOAD has no time limit (mustObeyClient)
        long timeout = c.client.master ? 0 : 500;
        String name = Scripting.tryCreate(c, () -> c.server.functions.create(c.argv[c.argc() - 1], rep, timeout));
        if (name != null) {
            c.server.dirty++;
            c.reply.bulk(name);
        }
    }

    private static void delete(CommandContext c) {
        if (!c.server.functions.delete(c.arg(2))) {
            c.reply.error("ERR Library not found");
            return;
        }
        c.server.dirty++;
        c.ok();
    }

    private static void flush(CommandContext c) {
        if (c.argc() > 3) {
            c.reply.error(subcommandSyntax(c));
            return;
        }
        if (c.argc() == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async")) {
            c.reply.error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
            return;
        }
        c.server.functions.flush();
        c.server.dirty++;
        c.ok();
    }

    private static void list(CommandContext c) {
        boolean withCode = false;
        String pattern = null;
        for (int i = 2; i < c.argc(); i++) {
            if (!withCode && c.argIs(i, "withcode")) {
                withCode = true;
                continue;
            }
            if (pattern == null && c.argIs(i, "libraryname")) {
                if (i >= c.argc() - 1) {
                    c.reply.error("ERR library name argument was not given");
                    return;
                }
                pattern = c.arg(++i);
                continue;
            }
            c.reply.error("ERR Unknown argument " + c.arg(i));
            return;
        }
        c.server.functions.list(c.reply, pattern == null ? null : c.argv[indexOf(c, pattern)], withCode);
    }

    /** The argument after LIBRARYNAME, as bytes. */
    private static int indexOf(CommandContext c, String pattern) {
        for (int i = 2; i < c.argc() - 1; i++) {
            if (c.argIs(i, "libraryname")) {
                return i + 1;
            }
        }
        throw new IllegalStateException(pattern);
    }

    private static void dump(CommandContext c) {
        c.reply.bulk(FunctionPayload.dump(c.server.functions.codes(), c.server.config.getBool("rdbcompression")));
    }

    private static void restore(CommandContext c) {
        if (c.argc() > 4) {
            c.reply.error(subcommandSyntax(c));
            return;
        }
        String policy = "append";
        if (c.argc() == 4) {
            policy = c.argLower(3);
            if (!policy.equals("append") && !policy.equals("replace") && !policy.equals("flush")) {
                c.reply.error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
                return;
            }
        }
        List<byte[]> codes;
        try {
            codes = FunctionPayload.read(c.argv[2]);
        } catch (FunctionPayload.BadPayload e) {
            c.reply.error(e.getMessage());
            return;
        }
        String p = policy;
        if (Scripting.tryCreate(c, () -> {
            c.server.functions.join(codes, p);
            return "";
        }) != null) {
            c.server.dirty++;
            c.ok();
        }
    }

    private static void stats(CommandContext c) {
        c.server.scripting.functionStats(c);
    }

    private static void help(CommandContext c) {
        c.help("LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION "
                        + "RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).");
    }
}
