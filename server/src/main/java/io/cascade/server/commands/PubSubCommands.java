package io.cascade.server.commands;

import io.cascade.server.PubSub;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;

import java.util.List;
import java.util.Locale;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * The pubsub family, as Redis 7.0's pubsub.c: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and the PUBSUB
 * container. Without cluster mode a shard channel is a channel of its own namespace. Command thread only.
 */
public final class PubSubCommands {
    private static final String SUB_FLAGS = "pubsub noscript loading stale";
    private static final String INTROSPECT = "pubsub loading stale";

    private PubSubCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("publish", 3, "pubsub loading stale fast may_replicate sentinel", PubSubCommands::publish)
                .doc("Post a message to a channel", "2.0.0", "pubsub",
                        "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the "
                                + "total number of subscribed patterns (by any client).",
                        "channel:string message:string"));
        t.add(cmd("subscribe", -2, SUB_FLAGS + " sentinel", PubSubCommands::subscribe)
                .doc("Listen for messages published to the given channels", "2.0.0", "pubsub",
                        "O(N) where N is the number of channels to subscribe to.", "channel:string..."));
        t.add(cmd("unsubscribe", -1, SUB_FLAGS + " sentinel", PubSubCommands::unsubscribe)
                .doc("Stop listening for messages posted to the given channels", "2.0.0", "pubsub",
                        "O(N) where N is the number of clients already subscribed to a channel.",
                        "[channel:string...]"));
        t.add(cmd("psubscribe", -2, SUB_FLAGS + " sentinel", PubSubCommands::psubscribe)
                .doc("Listen for messages published to channels matching the given patterns", "2.0.0", "pubsub",
                        "O(N) where N is the number of patterns the client is already subscribed to.",
                        "pattern:block(pattern:pattern)..."));
        t.add(cmd("punsubscribe", -1, SUB_FLAGS + " sentinel", PubSubCommands::punsubscribe)
                .doc("Stop listening for messages posted to channels matching the given patterns", "2.0.0", "pubsub",
                        "O(N+M) where N is the number of patterns the client is already subscribed and M is the "
                                + "number of total patterns subscribed in the system (by any client).",
                        "[pattern:pattern...]"));
        t.add(cmd("spublish", 3, "pubsub loading stale fast may_replicate", PubSubCommands::spublish)
                .keys(1, 1, 1, "not_key")
                .doc("Post a message to a shard channel", "7.0.0", "pubsub",
                        "O(N) where N is the number of clients subscribed to the receiving shard channel.",
                        "shardchannel:string message:string"));
        t.add(cmd("ssubscribe", -2, SUB_FLAGS, PubSubCommands::ssubscribe)
                .keys(1, -1, 1, "not_key")
                .doc("Listen for messages published to the given shard channels", "7.0.0", "pubsub",
                        "O(N) where N is the number of shard channels to subscribe to.", "shardchannel:string..."));
        t.add(cmd("sunsubscribe", -1, SUB_FLAGS, PubSubCommands::sunsubscribe)
                .keys(1, -1, 1, "not_key")
                .doc("Stop listening for messages posted to the given shard channels", "7.0.0", "pubsub",
                        "O(N) where N is the number of clients already subscribed to a shard channel.",
                        "[shardchannel:string...]"));
        t.add(cmd("pubsub", -2, "", null)
                .doc("A container for Pub/Sub commands", "2.8.0", "pubsub", "Depends on subcommand.", null)
                .sub(cmd("channels", -2, INTROSPECT, c -> channels(c, PubSub.Kind.GLOBAL))
                        .doc("List active channels", "2.8.0", "pubsub", "O(N) where N is the number of active "
                                + "channels, and assuming constant time pattern matching (relatively short channels "
                                + "and patterns)", "[pattern:pattern]"))
                .sub(cmd("numsub", -2, INTROSPECT, c -> numsub(c, PubSub.Kind.GLOBAL))
                        .doc("Get the count of subscribers for channels", "2.8.0", "pubsub",
                                "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
                                "[channel:string...]"))
                .sub(cmd("numpat", 2, INTROSPECT, c -> c.reply.integer(c.server.pubsub.numpat()))
                        .doc("Get the count of unique patterns pattern subscriptions", "2.8.0", "pubsub", "O(1)", null))
                .sub(cmd("shardchannels", -2, INTROSPECT, c -> channels(c, PubSub.Kind.SHARD))
                        .doc("List active shard channels", "7.0.0", "pubsub", "O(N) where N is the number of active "
                                + "shard channels, and assuming constant time pattern matching (relatively short shard "
                                + "channels).", "[pattern:pattern]"))
                .sub(cmd("shardnumsub", -2, INTROSPECT, c -> numsub(c, PubSub.Kind.SHARD))
                        .doc("Get the count of subscribers for shard channels", "7.0.0", "pubsub",
                                "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard "
                                        + "channels", "[shardchannel:string...]"))
                .sub(cmd("help", 2, "loading stale", PubSubCommands::help)
                        .doc("Show helpful text about the different subcommands", "6.2.0", "pubsub", "O(1)", null)));
    }

    static void publish(CommandContext c) {
        int receivers = c.server.pubsub.publish(c.argv[1], c.argv[2], PubSub.Kind.GLOBAL);
        // propagated even with no receivers (forceCommandPropagation): Propagation lists it
        c.reply.integer(receivers);
    }

    static void spublish(CommandContext c) {
        c.reply.integer(c.server.pubsub.publish(c.argv[1], c.argv[2], PubSub.Kind.SHARD));
    }

    static void subscribe(CommandContext c) {
        // inside EXEC a subscription is allowed for backward compatibility; Cascade has no other deny-blocking
        // context (scripts) where SUBSCRIBE would be refused
        for (int j = 1; j < c.argc(); j++) {
            c.server.pubsub.subscribe(c.client, c.argv[j], PubSub.Kind.GLOBAL);
        }
    }

    static void ssubscribe(CommandContext c) {
        if (c.denyBlocking) {
            // SSUBSCRIBE has no MULTI exception: EXEC runs its commands as a deny-blocking client
            c.reply.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
            return;
        }
        for (int j = 1; j < c.argc(); j++) {
            c.server.pubsub.subscribe(c.client, c.argv[j], PubSub.Kind.SHARD);
        }
    }

    static void psubscribe(CommandContext c) {
        for (int j = 1; j < c.argc(); j++) {
            c.server.pubsub.psubscribe(c.client, c.argv[j]);
        }
    }

    static void unsubscribe(CommandContext c) {
        unsubscribe(c, PubSub.Kind.GLOBAL);
    }

    static void sunsubscribe(CommandContext c) {
        unsubscribe(c, PubSub.Kind.SHARD);
    }

    private static void unsubscribe(CommandContext c, PubSub.Kind kind) {
        if (c.argc() == 1) {
            c.server.pubsub.unsubscribeAll(c.client, kind, true);
        } else {
            for (int j = 1; j < c.argc(); j++) {
                c.server.pubsub.unsubscribe(c.client, c.argv[j], kind, true);
            }
        }
        c.server.pubsub.updateMode(c.client);
    }

    static void punsubscribe(CommandContext c) {
        if (c.argc() == 1) {
            c.server.pubsub.punsubscribeAll(c.client, true);
        } else {
            for (int j = 1; j < c.argc(); j++) {
                c.server.pubsub.punsubscribe(c.client, c.argv[j], true);
            }
        }
        c.server.pubsub.updateMode(c.client);
    }

    private static void channels(CommandContext c, PubSub.Kind kind) {
        if (c.argc() > 3) {
            subcommandSyntaxError(c);
            return;
        }
        List<byte[]> list = c.server.pubsub.channels(c.argc() == 3 ? c.argv[2] : null, kind);
        c.reply.array(list.size());
        for (byte[] ch : list) {
            c.reply.bulk(ch);
        }
    }

    private static void numsub(CommandContext c, PubSub.Kind kind) {
        // a flat array of channel, count pairs, even in RESP3 (addReplyArrayLen)
        c.reply.array((c.argc() - 2) * 2);
        for (int j = 2; j < c.argc(); j++) {
            c.reply.bulk(c.argv[j]);
            c.reply.integer(c.server.pubsub.numsub(c.argv[j], kind));
        }
    }

    static void help(CommandContext c) {
        c.help("CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)");
    }

    /** addReplySubcommandSyntaxError. */
    private static void subcommandSyntaxError(CommandContext c) {
        c.reply.error(Errors.subcommandSyntax(c.argv));
    }
}
