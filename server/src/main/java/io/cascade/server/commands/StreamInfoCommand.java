package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamNack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.cascade.server.command.CommandTable.cmd;
import static io.cascade.server.commands.StreamReadCommands.text;

/**
 * XINFO STREAM [FULL [COUNT n]], GROUPS, CONSUMERS and HELP (t_stream.c's xinfoCommand), with the consumer
 * group lag of streamReplyWithCGLag and the radix tree's node count as rax would have it (RaxNodes).
 * Command thread.
 */
final class StreamInfoCommand {
    private StreamInfoCommand() {
    }

    static void register(CommandTable t) {
        t.add(cmd("xinfo", -2, "", null)
                .doc("A container for stream introspection commands", "5.0.0", "stream", "Depends on subcommand.",
                        null)
                .sub(cmd("consumers", 4, "readonly", StreamInfoCommand::xinfo).keys(2, 2, 1, "RO access")
                        .acl("stream").tips("nondeterministic_output")
                        .doc("List the consumers in a consumer group", "5.0.0", "stream", "O(1)",
                                "key:key groupname:string"))
                .sub(cmd("stream", -3, "readonly", StreamInfoCommand::xinfo).keys(2, 2, 1, "RO access")
                        .acl("stream").doc("Get information about a stream", "5.0.0", "stream", "O(1)",
                                "key:key [full_block:block(FULL [COUNT count:integer])]"))
                .sub(cmd("help", 2, "loading stale", StreamInfoCommand::xinfo).acl("stream")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "stream", "O(1)",
                                null))
                .sub(cmd("groups", 3, "readonly", StreamInfoCommand::xinfo).keys(2, 2, 1, "RO access")
                        .acl("stream").doc("List the consumer groups of a stream", "5.0.0", "stream", "O(1)",
                                "key:key")));
    }

    static void xinfo(CommandContext c) {
        if (c.argIs(1, "help")) {
            if (c.argc() != 2) {
                throw StreamGroupCommands.subcommandSyntax(c);
            }
            c.help("CONSUMERS <key> <groupname>",
                    "    Show consumers of <groupname>.",
                    "GROUPS <key>",
                    "    Show the stream consumer groups.",
                    "STREAM <key> [FULL [COUNT <count>]",
                    "    Show information about the stream.");
            return;
        } else if (c.argc() < 3) {
            throw StreamGroupCommands.subcommandSyntax(c);
        }
        String opt = c.argLower(1);
        byte[] key = c.argv[2];
        RStream s = c.lookup(key, RStream.class);
        if (s == null) {
            throw new CommandException("ERR no such key");
        }
        if (opt.equals("consumers") && c.argc() == 4) {
            StreamGroup g = s.group(c.argv[3]);
            if (g == null) {
                throw new CommandException("NOGROUP No such consumer group '" + text(c.argv[3])
                        + "' for key name '" + text(key) + "'");
            }
            long now = System.currentTimeMillis();
            c.reply.array(g.consumers().size());
            for (StreamConsumer consumer : g.consumers().values()) {
                c.reply.map(3);
                c.reply.bulk("name");
                c.reply.bulk(consumer.name());
                c.reply.bulk("pending");
                c.reply.integer(consumer.pel().size());
                c.reply.bulk("idle");
                c.reply.integer(Math.max(0, now - consumer.seenTime()));
            }
        } else if (opt.equals("groups") && c.argc() == 3) {
            c.reply.array(s.groups().size());
            for (Map.Entry<Bytes, StreamGroup> e : s.groups().entrySet()) {
                StreamGroup g = e.getValue();
                c.reply.map(6);
                c.reply.bulk("name");
                c.reply.bulk(g.name());
                c.reply.bulk("consumers");
                c.reply.integer(g.consumers().size());
                c.reply.bulk("pending");
                c.reply.integer(g.pel().size());
                c.reply.bulk("last-delivered-id");
                c.reply.bulk(g.lastId().toBytes());
                entriesRead(c, g);
                c.reply.bulk("lag");
                lag(c, s, g);
            }
        } else if (opt.equals("stream")) {
            stream(c, s);
        } else {
            throw StreamGroupCommands.subcommandSyntax(c);
        }
    }

    private static void entriesRead(CommandContext c, StreamGroup g) {
        c.reply.bulk("entries-read");
        if (g.entriesRead() != StreamGroup.INVALID_ENTRIES_READ) {
            c.reply.integer(g.entriesRead());
        } else {
            c.reply.nullBulk();
        }
    }

    /** streamReplyWithCGLag: entries not yet delivered to the group, or null when that cannot be known. */
    private static void lag(CommandContext c, RStream s, StreamGroup g) {
        if (s.entriesAdded() == 0) {
            c.reply.integer(0);
        } else if (g.entriesRead() != StreamGroup.INVALID_ENTRIES_READ && !s.rangeHasTombstones(g.lastId(), null)) {
            c.reply.integer(s.entriesAdded() - g.entriesRead());
        } else {
            long read = s.estimateDistanceFromFirstEverEntry(g.lastId());
            if (read != StreamGroup.INVALID_ENTRIES_READ) {
                c.reply.integer(s.entriesAdded() - read);
            } else {
                c.reply.nullBulk();
            }
        }
    }

    /** xinfoReplyWithStreamInfo. */
    private static void stream(CommandContext c, RStream s) {
        boolean full = true;
        long count = 10;
        int optc = c.argc() - 3;
        if (optc == 0) {
            full = false;
        } else {
            if (optc != 1 && optc != 3) {
                throw StreamGroupCommands.subcommandSyntax(c);
            }
            if (!c.argIs(3, "full")) {
                throw StreamGroupCommands.subcommandSyntax(c);
            }
            if (optc == 3) {
                if (!c.argIs(4, "count")) {
                    throw StreamGroupCommands.subcommandSyntax(c);
                }
                count = c.longArg(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        c.reply.map(full ? 9 : 10);
        c.reply.bulk("length");
        c.reply.integer(s.length());
        c.reply.bulk("radix-tree-keys");
        c.reply.integer(s.nodeCount());
        c.reply.bulk("radix-tree-nodes");
        c.reply.integer(RaxNodes.count(s.nodes().keySet()));
        c.reply.bulk("last-generated-id");
        c.reply.bulk(s.lastId().toBytes());
        c.reply.bulk("max-deleted-entry-id");
        c.reply.bulk(s.maxDeletedEntryId().toBytes());
        c.reply.bulk("entries-added");
        c.reply.integer(s.entriesAdded());
        c.reply.bulk("recorded-first-entry-id");
        c.reply.bulk(s.firstId().toBytes());
        if (!full) {
            c.reply.bulk("groups");
            c.reply.integer(s.groups().size());
            c.reply.bulk("first-entry");
            edge(c, s, false);
            c.reply.bulk("last-entry");
            edge(c, s, true);
            return;
        }
        c.reply.bulk("entries");
        StreamReplies.range(c.reply, s, null, null, count, false);
        c.reply.bulk("groups");
        c.reply.array(s.groups().size());
        for (StreamGroup g : s.groups().values()) {
            c.reply.map(7);
            c.reply.bulk("name");
            c.reply.bulk(g.name());
            c.reply.bulk("last-delivered-id");
            c.reply.bulk(g.lastId().toBytes());
            entriesRead(c, g);
            c.reply.bulk("lag");
            lag(c, s, g);
            c.reply.bulk("pel-count");
            c.reply.integer(g.pel().size());
            c.reply.bulk("pending");
            List<Map.Entry<StreamId, StreamNack>> pel = first(g.pel(), count);
            c.reply.array(pel.size());
            for (Map.Entry<StreamId, StreamNack> e : pel) {
                c.reply.array(4);
                c.reply.bulk(e.getKey().toBytes());
                c.reply.bulk(e.getValue().consumer().name());
                c.reply.integer(e.getValue().deliveryTime());
                c.reply.integer(e.getValue().deliveryCount());
            }
            c.reply.bulk("consumers");
            c.reply.array(g.consumers().size());
            for (StreamConsumer consumer : g.consumers().values()) {
                c.reply.map(4);
                c.reply.bulk("name");
                c.reply.bulk(consumer.name());
                c.reply.bulk("seen-time");
                c.reply.integer(consumer.seenTime());
                c.reply.bulk("pel-count");
                c.reply.integer(consumer.pel().size());
                c.reply.bulk("pending");
                List<Map.Entry<StreamId, StreamNack>> cpel = first(consumer.pel(), count);
                c.reply.array(cpel.size());
                for (Map.Entry<StreamId, StreamNack> e : cpel) {
                    c.reply.array(3);
                    c.reply.bulk(e.getKey().toBytes());
                    c.reply.integer(e.getValue().deliveryTime());
                    c.reply.integer(e.getValue().deliveryCount());
                }
            }
        }
    }

    /** The first count entries of a PEL (0: all). */
    private static List<Map.Entry<StreamId, StreamNack>> first(Map<StreamId, StreamNack> pel, long count) {
        List<Map.Entry<StreamId, StreamNack>> out = new ArrayList<>();
        for (Map.Entry<StreamId, StreamNack> e : pel.entrySet()) {
            if (count != 0 && out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    /** The first or last entry as a bare entry, or a null. */
    private static void edge(CommandContext c, RStream s, boolean last) {
        List<StreamReplies.Entry> e = StreamReplies.collect(s, StreamId.MIN, StreamId.MAX, 1, last);
        if (e.isEmpty()) {
            c.reply.nullBulk();
        } else {
            StreamReplies.entry(c.reply, e.get(0));
        }
    }
}
