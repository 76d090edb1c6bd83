package io.cascade.server.commands;

import io.cascade.server.Blocking;
import io.cascade.server.BlockingTimeout;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.RType;
import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * XREAD and XREADGROUP (t_stream.c's xreadCommand): the streams that can serve are served at once; otherwise,
 * with BLOCK, the client waits (inside EXEC it answers null at once, as under CLIENT_DENY_BLOCKING) until an XADD
 * makes one of its streams ready (serveClientsBlockedOnStreamKey), its group is destroyed (-NOGROUP) or its
 * stream deleted (-UNBLOCKED). Neither propagates itself: XREADGROUP's deliveries go as XCLAIMs. Command thread.
 */
final class StreamReadCommands {
    /** XREAD_BLOCKED_DEFAULT_COUNT: what a blocked read without COUNT is served at most. */
    private static final long BLOCKED_DEFAULT_COUNT = 1000;

    private StreamReadCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("xread", -4, "readonly blocking", c -> xread(c, false))
                .keywordKeys("STREAMS", 1, -1, 1, 2, "RO access").acl("stream")
                .doc("Return never seen elements in multiple streams, with IDs greater than the ones reported by "
                        + "the caller for each stream. Can block.", "5.0.0", "stream", "For each stream mentioned: "
                        + "O(N) with N being the number of elements being returned, it means that XREAD-ing with a "
                        + "fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in "
                        + "order to serve the M clients blocked on the stream getting new data.",
                        "[COUNT count:integer] [BLOCK milliseconds:integer] streams:block(STREAMS key:key... "
                                + "ID:string...)"));
        t.add(cmd("xreadgroup", -7, "write blocking", c -> xread(c, true))
                .keywordKeys("STREAMS", 4, -1, 1, 2, "RO access").acl("stream")
                .doc("Return new entries from a stream using a consumer group, or access the history of the "
                        + "pending entries for a given consumer. Can block.", "5.0.0", "stream", "For each stream "
                        + "mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. "
                        + "always asking for the first 10 elements with COUNT), you can consider it O(1). On the "
                        + "other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N "
                        + "clients blocked on the stream getting new data.",
                        "group_block:block(GROUP group:string consumer:string) [COUNT count:integer] "
                                + "[BLOCK milliseconds:integer] [NOACK] streams:block(STREAMS key:key... "
                                + "ID:string...)"));
    }

    /** The parsed request: streams from streamsArg, count of them, the IDs as resolved ("$" and ">"). */
    private static final class Request {
        long deadline = -1; // -1: no BLOCK
        long count;
        int streamsArg;
        int streams;
        boolean noack;
        byte[] group;
        byte[] consumer;
        StreamId[] ids;
        StreamGroup[] groups;
    }

    static void xread(CommandContext c, boolean xreadgroup) {
        try {
            read(c, xreadgroup);
        } finally {
            // the deliveries propagate as XCLAIM / XGROUP SETID, never the command itself
            c.server.propagation.prevent();
        }
    }

    private static void read(CommandContext c, boolean xreadgroup) {
        Request r = parse(c, xreadgroup);
        // which streams serve at once, decided before the reply starts (its length comes first); a key named
        // twice for one group sees the last ID the first read will leave
        RStream[] streams = new RStream[r.streams];
        StreamId[] after = new StreamId[r.streams];
        boolean[] history = new boolean[r.streams];
        Map<Bytes, StreamId> groupLast = new HashMap<>();
        int served = 0;
        for (int i = 0; i < r.streams; i++) {
            byte[] key = c.argv[r.streamsArg + i];
            RStream s = c.lookup(key, RStream.class);
            if (s == null) {
                continue;
            }
            StreamId gt = r.ids[i];
            boolean now = false;
            if (r.groups != null) {
                if (!gt.equals(StreamId.MAX)) {
                    now = true; // an explicit ID reads the consumer's history, always at once
                    history[i] = true;
                } else {
                    StreamId last = groupLast.getOrDefault(new Bytes(key), r.groups[i].lastId());
                    if (s.length() > 0 && s.lastValidId().compareTo(last) > 0) {
                        now = true;
                        gt = last;
                        List<StreamReplies.Entry> e = StreamReplies.collect(s, next(gt), null, r.count, false);
                        groupLast.put(new Bytes(key), e.isEmpty() ? last : e.get(e.size() - 1).id());
                    }
                }
            } else if (s.length() > 0 && s.lastValidId().compareTo(gt) > 0) {
                now = true;
            }
            if (now) {
                streams[i] = s;
                after[i] = gt;
                served++;
            }
        }
        if (served > 0) {
            boolean resp3 = c.reply.resp3();
            if (resp3) {
                c.reply.map(served);
            } else {
                c.reply.array(served);
            }
            for (int i = 0; i < r.streams; i++) {
                if (streams[i] == null) {
                    continue;
                }
                byte[] key = c.argv[r.streamsArg + i];
                if (!resp3) {
                    c.reply.array(2);
                }
                c.reply.bulk(key);
                StreamId start = next(after[i]);
                if (r.groups != null) {
                    StreamGroup g = r.groups[i];
                    StreamConsumer consumer = consumerFor(c, g, r.group, r.consumer, key, r.noack);
                    StreamReplies.groupRange(c, streams[i], start, r.count,
                            new StreamReplies.GroupRead(key, r.group, g, consumer, r.noack, history[i]));
                    c.server.dirty++;
                } else {
                    StreamReplies.range(c.reply, streams[i], start, null, r.count, false);
                }
            }
            return;
        }
        if (r.deadline == -1 || c.denyBlocking) {
            c.reply.nullArray(); // no BLOCK, or blocking denied: as if the timeout had passed
            return;
        }
        List<byte[]> keys = new ArrayList<>();
        Map<Bytes, StreamId> waitAfter = new HashMap<>();
        for (int i = 0; i < r.streams; i++) {
            byte[] key = c.argv[r.streamsArg + i];
            keys.add(key);
            waitAfter.putIfAbsent(new Bytes(key), r.ids[i]); // blockForKeys keeps the first ID of a repeated key
        }
        c.server.blocking.block(c, keys, r.deadline, new Waiter(waitAfter,
                r.count != 0 ? r.count : BLOCKED_DEFAULT_COUNT, r.group, r.consumer, r.noack));
    }

    /** The ID entries are read from: the one after gt (streamIncrID wraps the maximum around to 0-0). */
    private static StreamId next(StreamId gt) {
        StreamId n = gt.incr();
        return n == null ? StreamId.MIN : n;
    }

    private static Request parse(CommandContext c, boolean xreadgroup) {
        Request r = new Request();
        for (int i = 1; i < c.argc(); i++) {
            int moreargs = c.argc() - i - 1;
            String o = c.argLower(i);
            if (o.equals("block") && moreargs > 0) {
                if (c.client.script) {
                    // Redis refuses it outright rather than answering as a timeout, for compatibility
                    throw new CommandException("ERR " + c.arg(0) + " command is not allowed with BLOCK option "
                            + "from scripts");
                }
                i++;
                r.deadline = BlockingTimeout.deadlineFromMillis(c.argv[i], System.currentTimeMillis());
            } else if (o.equals("count") && moreargs > 0) {
                i++;
                r.count = Math.max(0, c.longArg(i));
            } else if (o.equals("streams") && moreargs > 0) {
                r.streamsArg = i + 1;
                int n = c.argc() - r.streamsArg;
                if (n % 2 != 0) {
                    // XREADGROUP's error names XREAD too
                    throw new CommandException("ERR Unbalanced XREAD list of streams: for each stream key an ID "
                            + "or '$' must be specified.");
                }
                r.streams = n / 2;
                break;
            } else if (o.equals("group") && moreargs >= 2) {
                if (!xreadgroup) {
                    throw new CommandException("ERR The GROUP option is only supported by XREADGROUP. You called "
                            + "XREAD instead.");
                }
                r.group = c.argv[i + 1];
                r.consumer = c.argv[i + 2];
                i += 2;
            } else if (o.equals("noack")) {
                if (!xreadgroup) {
                    throw new CommandException("ERR The NOACK option is only supported by XREADGROUP. You called "
                            + "XREAD instead.");
                }
                r.noack = true;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        if (r.streamsArg == 0) {
            throw new CommandException(Errors.SYNTAX);
        }
        if (xreadgroup && r.group == null) {
            throw new CommandException("ERR Missing GROUP option for XREADGROUP");
        }
        r.ids = new StreamId[r.streams];
        if (r.group != null) {
            r.groups = new StreamGroup[r.streams];
        }
        for (int i = r.streamsArg + r.streams; i < c.argc(); i++) {
            int idx = i - r.streamsArg - r.streams;
            byte[] key = c.argv[i - r.streams];
            RStream s = c.lookup(key, RStream.class);
            if (r.group != null) {
                StreamGroup g = s == null ? null : s.group(r.group);
                if (g == null) {
                    throw new CommandException("NOGROUP No such key '" + text(key) + "' or consumer group '"
                            + text(r.group) + "' in XREADGROUP with GROUP option");
                }
                r.groups[idx] = g;
            }
            byte[] arg = c.argv[i];
            if (arg.length == 1 && arg[0] == '$') {
                if (xreadgroup) {
                    throw new CommandException("ERR The $ ID is meaningless in the context of XREADGROUP: you want "
                            + "to read the history of this consumer by specifying a proper ID, or use the > ID to "
                            + "get new messages. The $ ID would just return an empty result set.");
                }
                r.ids[idx] = s != null ? s.lastId() : StreamId.MIN;
            } else if (arg.length == 1 && arg[0] == '>') {
                if (!xreadgroup) {
                    throw new CommandException("ERR The > ID can be specified only when calling XREADGROUP using "
                            + "the GROUP <group> <consumer> option.");
                }
                r.ids[idx] = StreamId.MAX; // stands for ">": the group's last ID, looked up when serving
            } else {
                r.ids[idx] = StreamIds.parseStrict(arg, 0);
            }
        }
        return r;
    }

    /** The reading consumer (its seen time refreshed), created when new; with NOACK its creation propagates. */
    private static StreamConsumer consumerFor(CommandContext c, StreamGroup g, byte[] groupName, byte[] name,
                                              byte[] key, boolean noack) {
        StreamConsumer consumer = g.consumer(name);
        if (consumer != null) {
            consumer.setSeenTime(System.currentTimeMillis());
            return consumer;
        }
        consumer = StreamGroupCommands.createConsumer(c, g, name, key);
        if (noack) {
            StreamReplies.propagateConsumerCreation(c, key, groupName, name);
        }
        return consumer;
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A client blocked in XREAD / XREADGROUP: per key the ID it wants entries after (MAX for ">"), and for a
     * group read the group, consumer and NOACK (Redis's bpop.xread_*).
     */
    record Waiter(Map<Bytes, StreamId> after, long count, byte[] group, byte[] consumer, boolean noack)
            implements Blocking.Handler {
        @Override
        public RType type() {
            return RType.STREAM;
        }

        @Override
        public boolean serve(CommandContext c, byte[] key) {
            RStream s = (RStream) c.db().peek(key);
            StreamId gt = after.get(new Bytes(key));
            StreamGroup g = null;
            if (group != null) {
                g = s.group(group);
                if (g == null) {
                    c.reply.error("NOGROUP the consumer group this client was blocked on no longer exists");
                    return true;
                }
                gt = g.lastId();
            }
            if (s.lastId().compareTo(gt) <= 0) {
                return false; // nothing after what it asked for yet
            }
            StreamId start = gt.incr();
            if (c.reply.resp3()) {
                c.reply.map(1);
            } else {
                c.reply.array(1);
                c.reply.array(2);
            }
            c.reply.bulk(key);
            if (g != null) {
                StreamConsumer cons = consumerFor(c, g, group, consumer, key, noack);
                StreamReplies.groupRange(c, s, start, count,
                        new StreamReplies.GroupRead(key, group, g, cons, noack, false));
            } else {
                StreamReplies.range(c.reply, s, start, null, count, false);
            }
            return true;
        }

        @Override
        public boolean keyGone(CommandContext c, byte[] key) {
            if (group == null) {
                return false; // XREAD waits on: a new stream at that key may serve it
            }
            c.reply.error("UNBLOCKED the stream key no longer exists");
            return true;
        }
    }
}
