package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;

import static io.cascade.server.command.CommandTable.cmd;

/** EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT, with Redis 7.0's replies and errors (eval.c). Command thread. */
public final class EvalCommands {
    private static final String EVAL_FLAGS = "noscript skip_monitor may_replicate no_mandatory_keys stale";
    private static final String RO_FLAGS = "noscript skip_monitor no_mandatory_keys stale readonly";
    private static final String ARGS = "script:string numkeys:integer [key:key...] [arg:string...]";
    private static final String SHA_ARGS = "sha1:string numkeys:integer [key:key...] [arg:string...]";
    private static final String DEPENDS = "Depends on the script that is executed.";

    private EvalCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("eval", -3, EVAL_FLAGS, c -> eval(c, false, false)).keynum(2, 0, 1, 1, "RW access update")
                .keyNotes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE")
                .acl("scripting").doc("Execute a Lua script server side", "2.6.0", "scripting", DEPENDS, ARGS));
        t.add(cmd("evalsha", -3, EVAL_FLAGS, c -> eval(c, true, false)).keynum(2, 0, 1, 1, "RW access update")
                .acl("scripting").doc("Execute a Lua script server side", "2.6.0", "scripting", DEPENDS, SHA_ARGS));
        t.add(cmd("eval_ro", -3, RO_FLAGS, c -> eval(c, false, true)).keynum(2, 0, 1, 1, "RO access")
                .keyNotes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS")
                .acl("scripting").doc("Execute a read-only Lua script server side", "7.0.0", "scripting", DEPENDS,
                        ARGS));
        t.add(cmd("evalsha_ro", -3, RO_FLAGS, c -> eval(c, true, true)).keynum(2, 0, 1, 1, "RO access")
                .acl("scripting").doc("Execute a read-only Lua script server side", "7.0.0", "scripting", DEPENDS,
                        SHA_ARGS));
        t.add(cmd("script", -2, "", null)
                .doc("A container for Lua scripts management commands", "2.6.0", "scripting",
                        "Depends on subcommand.", null)
                .sub(cmd("debug", 3, "noscript", EvalCommands::debug).acl("scripting")
                        .doc("Set the debug mode for executed scripts.", "3.2.0", "scripting", "O(1)",
                                "mode:oneof(yes:pure-token,sync:pure-token,no:pure-token)"))
                .sub(cmd("exists", -3, "noscript", EvalCommands::exists).acl("scripting")
                        .tips("request_policy:all_shards response_policy:agg_logical_and")
                        .doc("Check existence of scripts in the script cache.", "2.6.0", "scripting",
                                "O(N) with N being the number of scripts to check (so checking a single script is an "
                                        + "O(1) operation).", "sha1:string..."))
                .sub(cmd("flush", -2, "noscript", EvalCommands::flush).acl("scripting")
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .doc("Remove all the scripts from the script cache.", "2.6.0", "scripting",
                                "O(N) with N being the number of scripts in cache",
                                "[async:oneof(async:pure-token,sync:pure-token)]"))
                .sub(cmd("help", 2, "loading stale", EvalCommands::help).acl("scripting")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "scripting", "O(1)",
                                null))
                .sub(cmd("kill", 2, "noscript allow_busy", c -> c.server.scripting.kill(c.reply, true))
                        .acl("scripting").tips("request_policy:all_shards response_policy:one_succeeded")
                        .doc("Kill the script currently in execution.", "2.6.0", "scripting", "O(1)", null))
                .sub(cmd("load", 3, "noscript stale", EvalCommands::load).acl("scripting")
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .doc("Load the specified Lua script into the script cache.", "2.6.0", "scripting",
                                "O(N) with N being the length in bytes of the script body.", "script:string")));
    }

    private static void eval(CommandContext c, boolean bySha, boolean ro) {
        // EVAL is skip_monitor so that MONITOR shows it before the commands it runs (evalCommand feeds it)
        c.server.feedMonitors(c.client, c.argv);
        if (bySha && c.argv[1].length != 40) {
            c.reply.error("NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
        c.server.scripting.eval(c, bySha, ro);
    }

    private static void load(CommandContext c) {
        String sha = c.server.scripting.create(c.reply, c.argv[2]);
        if (sha != null) {
            c.reply.bulk(sha);
        }
    }

    private static void exists(CommandContext c) {
        c.reply.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            c.reply.integer(c.server.scripting.exists(c.arg(j)) ? 1 : 0);
        }
    }

    private static void flush(CommandContext c) {
        if (c.argc() > 3 || (c.argc() == 3 && !c.argIs(2, "sync") && !c.argIs(2, "async"))) {
            c.reply.error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            return;
        }
        c.server.scripting.flush();
        c.ok();
    }

    /** The Lua debugger (LDB) is not provided: Redis's reply to a mode it does not know is kept for the rest. */
    private static void debug(CommandContext c) {
        if (c.argIs(2, "no")) {
            c.ok();
        } else if (c.argIs(2, "yes") || c.argIs(2, "sync")) {
            c.reply.error("ERR SCRIPT DEBUG is not supported by this server");
        } else {
            c.reply.error("ERR Use SCRIPT DEBUG YES/SYNC/NO");
        }
    }

    private static void help(CommandContext c) {
        c.help("DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.");
    }
}
