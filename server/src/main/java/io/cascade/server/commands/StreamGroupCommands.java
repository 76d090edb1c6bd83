package io.cascade.server.commands;

import io.cascade.server.Notifications;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamNack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import static io.cascade.server.command.CommandTable.cmd;
import static io.cascade.server.commands.StreamReadCommands.text;

/**
 * The consumer group commands of t_stream.c: XGROUP (CREATE, SETID, DESTROY, CREATECONSUMER, DELCONSUMER, HELP;
 * one handler for all, as xgroupCommand), XACK and XPENDING. Groups change without a signalled key, as in
 * Redis: a WATCH on the stream does not see them. Command thread.
 */
final class StreamGroupCommands {
    private StreamGroupCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("xgroup", -2, "", null)
                .doc("A container for consumer groups commands", "5.0.0", "stream", "Depends on subcommand.", null)
                .sub(cmd("create", -5, "write denyoom", StreamGroupCommands::xgroup).keys(2, 2, 1, "RW insert")
                        .acl("stream").doc("Create a consumer group.", "5.0.0", "stream", "O(1)",
                                "key:key groupname:string id:(ID:string|$) [MKSTREAM] "
                                        + "[ENTRIESREAD entries_read:integer]"))
                .sub(cmd("createconsumer", 5, "write denyoom", StreamGroupCommands::xgroup)
                        .keys(2, 2, 1, "RW insert").acl("stream").doc("Create a consumer in a consumer group.",
                                "6.2.0", "stream", "O(1)", "key:key groupname:string consumername:string"))
                .sub(cmd("help", 2, "loading stale", StreamGroupCommands::xgroup).acl("stream")
                        .doc("Show helpful text about the different subcommands", "5.0.0", "stream", "O(1)",
                                null))
                .sub(cmd("destroy", 4, "write", StreamGroupCommands::xgroup).keys(2, 2, 1, "RW delete")
                        .acl("stream").doc("Destroy a consumer group.", "5.0.0", "stream", "O(N) where N is the "
                                + "number of entries in the group's pending entries list (PEL).",
                                "key:key groupname:string"))
                .sub(cmd("delconsumer", 5, "write", StreamGroupCommands::xgroup).keys(2, 2, 1, "RW delete")
                        .acl("stream").doc("Delete a consumer from a consumer group.", "5.0.0", "stream", "O(1)",
                                "key:key groupname:string consumername:string"))
                .sub(cmd("setid", -5, "write", StreamGroupCommands::xgroup).keys(2, 2, 1, "RW update")
                        .acl("stream").doc("Set a consumer group to an arbitrary last delivered ID value.",
                                "5.0.0", "stream", "O(1)", "key:key groupname:string id:(ID:string|$) "
                                        + "[ENTRIESREAD entries_read:integer]")));
        t.add(cmd("xack", -4, "write fast", StreamGroupCommands::xack).keys(1, 1, 1, "RW update").acl("stream")
                .doc("Marks a pending message as correctly processed, effectively removing it from the pending "
                        + "entries list of the consumer group. Return value of the command is the number of "
                        + "messages successfully acknowledged, that is, the IDs we were actually able to resolve "
                        + "in the PEL.", "5.0.0", "stream", "O(1) for each message ID processed.",
                        "key:key group:string ID:string..."));
        t.add(cmd("xpending", -3, "readonly", StreamGroupCommands::xpending).keys(1, 1, 1, "RO access")
                .acl("stream").tips("nondeterministic_output")
                .doc("Return information and entries from a stream consumer group pending entries list, that "
                        + "are messages fetched but never acknowledged.", "5.0.0", "stream", "O(N) with N being "
                        + "the number of elements returned, so asking for a small fixed number of entries per "
                        + "call is O(1). O(M), where M is the total number of entries scanned when used with the "
                        + "IDLE filter. When the command returns just the summary and the list of consumers is "
                        + "small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every "
                        + "consumer.", "key:key group:string [filters:block([IDLE min-idle-time:integer] "
                        + "start:string end:string count:integer [consumer:string])]"));
    }

    /** streamCreateConsumer: a new consumer, seen now; dirty++ and the xgroup-createconsumer event. */
    static StreamConsumer createConsumer(CommandContext c, StreamGroup g, byte[] name, byte[] key) {
        StreamConsumer consumer = g.createConsumer(name, System.currentTimeMillis());
        if (consumer != null) {
            c.server.dirty++;
            c.notify(Notifications.STREAM, "xgroup-createconsumer", key);
        }
        return consumer;
    }

    /** addReplySubcommandSyntaxError. */
    static CommandException subcommandSyntax(CommandContext c) {
        return new CommandException(Errors.subcommandSyntax(c.argv));
    }

    /** xgroupCommand. */
    static void xgroup(CommandContext c) {
        String opt = c.argLower(1);
        boolean mkstream = false;
        long entriesRead = StreamGroup.INVALID_ENTRIES_READ;
        RStream s = null;
        byte[] key = null;
        byte[] groupName = null;
        StreamGroup cg = null;
        if (c.argc() >= 4) {
            boolean create = opt.equals("create");
            boolean setid = opt.equals("setid");
            int i = 5;
            while (i < c.argc()) {
                if (create && c.argIs(i, "mkstream")) {
                    mkstream = true;
                    i++;
                } else if ((create || setid) && c.argIs(i, "entriesread") && i + 1 < c.argc()) {
                    entriesRead = c.longArg(i + 1);
                    if (entriesRead < 0 && entriesRead != StreamGroup.INVALID_ENTRIES_READ) {
                        throw new CommandException("ERR value for ENTRIESREAD must be positive or -1");
                    }
                    i += 2;
                } else {
                    throw subcommandSyntax(c);
                }
            }
            key = c.argv[2];
            s = c.lookupWrite(key, RStream.class);
            groupName = c.argv[3];
            if (!mkstream) {
                if (s == null) {
                    throw new CommandException("ERR The XGROUP subcommand requires the key to exist. Note that "
                            + "for CREATE you may want to use the MKSTREAM option to create an empty stream "
                            + "automatically.");
                }
                cg = s.group(groupName);
                if (cg == null && (setid || opt.equals("createconsumer") || opt.equals("delconsumer"))) {
                    throw new CommandException("NOGROUP No such consumer group '" + text(groupName)
                            + "' for key name '" + text(key) + "'");
                }
            }
        }
        if (c.argc() == 2 && opt.equals("help")) {
            c.help("CREATE <key> <groupname> <id|$> [option]",
                    "    Create a new consumer group. Options are:",
                    "    * MKSTREAM",
                    "      Create the empty stream if it does not exist.",
                    "    * ENTRIESREAD entries_read",
                    "      Set the group's entries_read counter (internal use).",
                    "CREATECONSUMER <key> <groupname> <consumer>",
                    "    Create a new consumer in the specified group.",
                    "DELCONSUMER <key> <groupname> <consumer>",
                    "    Remove the specified consumer.",
                    "DESTROY <key> <groupname>",
                    "    Remove the specified group.",
                    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                    "    Set the current group ID and entries_read counter.");
        } else if (opt.equals("create") && c.argc() >= 5 && c.argc() <= 8) {
            StreamId id;
            if (isDollar(c.argv[4])) {
                id = s != null ? s.lastId() : StreamId.MIN;
            } else {
                id = StreamIds.parseStrict(c.argv[4], 0);
            }
            if (s == null) {
                s = new RStream();
                c.db().update(key, s); // dbAdd and signalModifiedKey
                c.server.dirty--; // dbAdd counts no change of its own in Redis: the group's dirty++ follows
            }
            if (s.createGroup(groupName, id, entriesRead) != null) {
                c.ok();
                c.server.dirty++;
                c.notify(Notifications.STREAM, "xgroup-create", key);
            } else {
                c.reply.error("BUSYGROUP Consumer Group name already exists");
            }
        } else if (opt.equals("setid") && (c.argc() == 5 || c.argc() == 7)) {
            StreamId id = isDollar(c.argv[4]) ? s.lastId() : StreamIds.parse(c.argv[4], 0);
            cg.setLastId(id);
            cg.setEntriesRead(entriesRead);
            c.ok();
            c.server.dirty++;
            c.notify(Notifications.STREAM, "xgroup-setid", key);
        } else if (opt.equals("destroy") && c.argc() == 4) {
            if (cg != null) {
                s.destroyGroup(groupName);
                c.reply.integer(1);
                c.server.dirty++;
                c.notify(Notifications.STREAM, "xgroup-destroy", key);
                c.server.blocking.signalKeyAsReady(c.db(), key); // its blocked XREADGROUP clients get -NOGROUP
            } else {
                c.reply.integer(0);
            }
        } else if (opt.equals("createconsumer") && c.argc() == 5) {
            c.reply.integer(createConsumer(c, cg, c.argv[4], key) != null ? 1 : 0);
        } else if (opt.equals("delconsumer") && c.argc() == 5) {
            long pending = 0;
            StreamConsumer consumer = cg.consumer(c.argv[4]);
            if (consumer != null) {
                pending = cg.deleteConsumer(consumer);
                c.server.dirty++;
                c.notify(Notifications.STREAM, "xgroup-delconsumer", key);
            }
            c.reply.integer(pending);
        } else {
            throw subcommandSyntax(c);
        }
    }

    private static boolean isDollar(byte[] b) {
        return b.length == 1 && b[0] == '$';
    }

    /** xackCommand: no key or group acknowledges nothing; the IDs are all parsed first. */
    static void xack(CommandContext c) {
        RStream s = c.lookup(c.argv[1], RStream.class);
        StreamGroup g = s == null ? null : s.group(c.argv[2]);
        if (g == null) {
            c.reply.integer(0);
            return;
        }
        List<StreamId> ids = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            ids.add(StreamIds.parseStrict(c.argv[j], 0));
        }
        int acknowledged = 0;
        for (StreamId id : ids) {
            if (g.ack(id)) {
                acknowledged++;
                c.server.dirty++;
            }
        }
        c.reply.integer(acknowledged);
    }

    /** xpendingCommand: the summary, or the extended form with [IDLE ms] start end count [consumer]. */
    static void xpending(CommandContext c) {
        boolean justInfo = c.argc() == 3;
        if (c.argc() != 3 && (c.argc() < 6 || c.argc() > 9)) {
            throw new CommandException(Errors.SYNTAX);
        }
        StreamId start = null;
        StreamId end = null;
        long count = 0;
        long minIdle = 0;
        byte[] consumerName = null;
        if (c.argc() >= 6) {
            int startIdx = 3;
            if (c.argIs(3, "idle")) {
                minIdle = c.longArg(4);
                if (c.argc() < 8) {
                    throw new CommandException(Errors.SYNTAX);
                }
                startIdx += 2;
            }
            count = Math.max(0, c.longArg(startIdx + 2));
            start = StreamIds.startBound(c.argv[startIdx]);
            end = StreamIds.endBound(c.argv[startIdx + 1]);
            if (startIdx + 3 < c.argc()) {
                consumerName = c.argv[startIdx + 3];
            }
        }
        RStream s = c.lookup(c.argv[1], RStream.class);
        StreamGroup g = s == null ? null : s.group(c.argv[2]);
        if (g == null) {
            throw new CommandException("NOGROUP No such key '" + text(c.argv[1]) + "' or consumer group '"
                    + text(c.argv[2]) + "'");
        }
        if (justInfo) {
            summary(c, g);
            return;
        }
        NavigableMap<StreamId, StreamNack> pel = g.pel();
        if (consumerName != null) {
            StreamConsumer consumer = g.consumer(consumerName);
            if (consumer == null) {
                c.reply.array(0);
                return;
            }
            pel = consumer.pel();
        }
        long now = System.currentTimeMillis();
        List<Map.Entry<StreamId, StreamNack>> out = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            for (Map.Entry<StreamId, StreamNack> e : pel.subMap(start, true, end, true).entrySet()) {
                if (count == 0) {
                    break;
                }
                if (minIdle != 0 && now - e.getValue().deliveryTime() < minIdle) {
                    continue;
                }
                out.add(e);
                count--;
            }
        }
        c.reply.array(out.size());
        for (Map.Entry<StreamId, StreamNack> e : out) {
            c.reply.array(4);
            c.reply.bulk(e.getKey().toBytes());
            c.reply.bulk(e.getValue().consumer().name());
            c.reply.integer(Math.max(0, now - e.getValue().deliveryTime()));
            c.reply.integer(e.getValue().deliveryCount());
        }
    }

    private static void summary(CommandContext c, StreamGroup g) {
        c.reply.array(4);
        c.reply.integer(g.pel().size());
        if (g.pel().isEmpty()) {
            c.reply.nullBulk();
            c.reply.nullBulk();
            c.reply.nullArray();
            return;
        }
        c.reply.bulk(g.pel().firstKey().toBytes());
        c.reply.bulk(g.pel().lastKey().toBytes());
        List<StreamConsumer> withPending = new ArrayList<>();
        for (Map.Entry<Bytes, StreamConsumer> e : g.consumers().entrySet()) {
            if (!e.getValue().pel().isEmpty()) {
                withPending.add(e.getValue());
            }
        }
        c.reply.array(withPending.size());
        for (StreamConsumer consumer : withPending) {
            c.reply.array(2);
            c.reply.bulk(consumer.name());
            c.reply.bulk(Long.toString(consumer.pel().size()));
        }
    }
}
