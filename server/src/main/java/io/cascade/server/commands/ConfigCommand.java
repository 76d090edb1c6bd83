package io.cascade.server.commands;

import io.cascade.conf.ConfigEntry;
import io.cascade.conf.ConfigException;
import io.cascade.conf.ConfigTable;
import io.cascade.conf.Log;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.ErrorText;

import java.util.ArrayList;
import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/** CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the typed configuration table. Command thread. */
public final class ConfigCommand {
    private static final String FLAGS = "admin noscript loading stale";

    private ConfigCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("config", -2, "", null)
                .doc("A container for server configuration commands", "2.0.0", "server", "Depends on subcommand.", null)
                .sub(cmd("get", -3, FLAGS, ConfigCommand::get)
                        .doc("Get the values of configuration parameters", "2.0.0", "server",
                                "O(N) when N is the number of configuration parameters provided", "parameter:string..."))
                .sub(cmd("set", -4, FLAGS + " may_replicate", ConfigCommand::set)
                        .tips("request_policy:all_nodes response_policy:all_succeeded")
                        .doc("Set configuration parameters to the given values", "2.0.0", "server",
                                "O(N) when N is the number of configuration parameters provided",
                                "(parameter:string value:string)..."))
                .sub(cmd("resetstat", 2, FLAGS, ConfigCommand::resetstat)
                        .doc("Reset the stats returned by INFO", "2.0.0", "server", "O(1)", null))
                .sub(cmd("rewrite", 2, FLAGS, ConfigCommand::rewrite)
                        .doc("Rewrite the configuration file with the in memory configuration", "2.8.0", "server",
                                "O(1)", null))
                .sub(cmd("help", 2, "loading stale", ConfigCommand::help)
                        .doc("Show helpful text about the different subcommands", "5.0.0", "server", "O(1)", null)));
    }

    static void get(CommandContext c) {
        List<String> patterns = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            patterns.add(c.arg(i));
        }
        List<String[]> pairs;
        try {
            pairs = c.server.config.get(patterns);
        } catch (ConfigException e) {
            c.reply.error(e.getMessage());
            return;
        }
        c.reply.map(pairs.size());
        for (String[] p : pairs) {
            c.reply.bulk(p[0]);
            c.reply.bulk(p[1]);
        }
    }

    /** The one config Redis 7.0 marks DENY_LOADING_CONFIG: it cannot change while a dataset loads. */
    private static final String DENY_LOADING = "appendonly";

    static void set(CommandContext c) {
        if (c.argc() % 2 != 0) {
            c.syntaxError(); // Redis 7.0 answers an unpaired name with a syntax error, not an arity error
            return;
        }
        List<String> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            pairs.add(c.arg(i));
        }
        for (int i = 2; i < c.argc(); i += 2) {
            ConfigEntry entry = ConfigTable.lookup(c.arg(i));
            if (entry != null && entry.has(ConfigEntry.Flag.SENSITIVE)) {
                c.redact(i + 1); // a password: the slow log and MONITOR never show it
            }
        }
        boolean loading = c.server.persistence.loading || c.server.replica.asyncLoading;
        for (int i = 0; loading && i < pairs.size(); i += 2) {
            if (pairs.get(i).equalsIgnoreCase(DENY_LOADING)) {
                // DENY_LOADING_CONFIG: Redis gives the loading error precedence over a plain -ERR
                c.reply.error("LOADING Redis is loading the dataset in memory");
                return;
            }
        }
        try {
            c.server.config.set(pairs, c.client.isLocal(), false);
            c.ok();
        } catch (ConfigException e) {
            if (e.quotedArg() >= 0) {
                // the unknown name as the client sent it, not as decoded text
                c.reply.error(ErrorText.of(e.before()).arg(c.argv[2 + e.quotedArg()]).text(e.after()).bytes());
            } else {
                c.reply.error(e.getMessage());
            }
        }
    }

    static void resetstat(CommandContext c) {
        c.server.resetStats();
        c.ok();
    }

    static void rewrite(CommandContext c) {
        if (c.server.config.configFile() == null) {
            c.reply.error("ERR The server is running without a config file");
            return;
        }
        try {
            c.server.config.rewrite();
            Log.notice("CONFIG REWRITE executed with success.");
            c.ok();
        } catch (ConfigException e) {
            Log.warning("CONFIG REWRITE failed: %s", e.getMessage());
            c.reply.error("ERR Rewriting config file: " + e.getMessage());
        }
    }

    static void help(CommandContext c) {
        c.help("GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
