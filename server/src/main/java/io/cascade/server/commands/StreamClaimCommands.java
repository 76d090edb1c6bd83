package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.server.command.Numbers;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamNack;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

import static io.cascade.server.command.CommandTable.cmd;
import static io.cascade.server.commands.StreamReadCommands.text;

/**
 * XCLAIM and XAUTOCLAIM (t_stream.c): pending entries change owner; each change, and each PEL entry dropped
 * because its stream entry is gone, propagates as an idempotent XCLAIM (streamPropagateXCLAIM), never as the
 * command itself. Command thread.
 */
final class StreamClaimCommands {
    /** XAUTOCLAIM's COUNT bound: LONG_MAX / max(sizeof(streamID), attempts_factor). */
    private static final long MAX_AUTOCLAIM_COUNT = Long.MAX_VALUE / 16;

    private StreamClaimCommands() {
    }

    static void register(CommandTable t) {
        t.add(cmd("xclaim", -6, "write fast", StreamClaimCommands::xclaim).keys(1, 1, 1, "RW update")
                .acl("stream").tips("nondeterministic_output")
                .doc("Changes (or acquires) ownership of a message in a consumer group, as if the message was "
                        + "delivered to the specified consumer.", "5.0.0", "stream", "O(log N) with N being the "
                        + "number of messages in the PEL of the consumer group.", "key:key group:string "
                        + "consumer:string min-idle-time:string ID:string... [IDLE ms:integer] "
                        + "[TIME unix-time-milliseconds:unix-time] [RETRYCOUNT count:integer] [FORCE] [JUSTID] "
                        + "[LASTID id:string]"));
        t.add(cmd("xautoclaim", -6, "write fast", StreamClaimCommands::xautoclaim).keys(1, 1, 1, "RW delete")
                .acl("stream").tips("nondeterministic_output")
                .doc("Changes (or acquires) ownership of messages in a consumer group, as if the messages were "
                        + "delivered to the specified consumer.", "6.2.0", "stream", "O(1) if COUNT is small.",
                        "key:key group:string consumer:string min-idle-time:string start:string "
                                + "[COUNT count:integer] [JUSTID]"));
    }

    private static StreamGroup groupOrError(CommandContext c, RStream s) {
        StreamGroup g = s == null ? null : s.group(c.argv[2]);
        if (g == null) {
            throw new CommandException("NOGROUP No such key '" + text(c.argv[1]) + "' or consumer group '"
                    + text(c.argv[2]) + "'");
        }
        return g;
    }

    /** getLongLongFromObjectOrReply with Redis's message for the argument. */
    private static long longOr(CommandContext c, int i, String error) {
        Long v = Numbers.parseLong(c.argv[i]);
        if (v == null) {
            throw new CommandException("ERR " + error);
        }
        return v;
    }

    /** The claiming consumer: looked up (seen now) or created on first use. */
    private static StreamConsumer claimer(CommandContext c, StreamGroup g) {
        StreamConsumer consumer = g.consumer(c.argv[3]);
        if (consumer != null) {
            consumer.setSeenTime(System.currentTimeMillis());
            return consumer;
        }
        return StreamGroupCommands.createConsumer(c, g, c.argv[3], c.argv[1]);
    }

    /** xclaimCommand. */
    static void xclaim(CommandContext c) {
        RStream s = c.lookup(c.argv[1], RStream.class);
        StreamGroup group = groupOrError(c, s);
        long minIdle = Math.max(0, longOr(c, 4, "Invalid min-idle-time argument for XCLAIM"));
        List<StreamId> ids = new ArrayList<>();
        int j = 5;
        for (; j < c.argc(); j++) {
            StreamId id = StreamIds.tryParseStrict(c.argv[j]);
            if (id == null) {
                break; // the options begin
            }
            ids.add(id);
        }
        long now = System.currentTimeMillis();
        long retryCount = -1;
        long deliveryTime = -1;
        boolean force = false;
        boolean justId = false;
        StreamId lastId = StreamId.MIN;
        for (; j < c.argc(); j++) {
            int moreargs = c.argc() - 1 - j;
            String opt = c.argLower(j);
            if (opt.equals("force")) {
                force = true;
            } else if (opt.equals("justid")) {
                justId = true;
            } else if (opt.equals("idle") && moreargs > 0) {
                j++;
                deliveryTime = now - longOr(c, j, "Invalid IDLE option argument for XCLAIM");
            } else if (opt.equals("time") && moreargs > 0) {
                j++;
                deliveryTime = longOr(c, j, "Invalid TIME option argument for XCLAIM");
            } else if (opt.equals("retrycount") && moreargs > 0) {
                j++;
                retryCount = longOr(c, j, "Invalid RETRYCOUNT option argument for XCLAIM");
            } else if (opt.equals("lastid") && moreargs > 0) {
                j++;
                lastId = StreamIds.parseStrict(c.argv[j], 0);
            } else {
                throw new CommandException("ERR Unrecognized XCLAIM option '" + c.arg(j) + "'");
            }
        }
        boolean propagateLastId = false;
        if (lastId.compareTo(group.lastId()) > 0) {
            group.setLastId(lastId);
            propagateLastId = true;
        }
        if (deliveryTime != -1) {
            // a bogus time (clocks apart) is taken as now rather than refused
            if (deliveryTime < 0 || deliveryTime > now) {
                deliveryTime = now;
            }
        } else {
            deliveryTime = now;
        }
        StreamConsumer consumer = null;
        List<Object> out = new ArrayList<>();
        int header = StreamReplies.deferred(c);
        for (int k = 0; k < ids.size(); k++) {
            StreamId id = ids.get(k);
            byte[] idArg = c.argv[5 + k];
            StreamNack nack = group.pel().get(id);
            if (!s.entryExists(id)) {
                if (nack != null) {
                    // the entry is gone: its PEL entry goes, and the replicas are told with an XCLAIM
                    StreamReplies.propagateClaim(c, c.argv[1], group, c.argv[2], idArg, nack);
                    propagateLastId = false;
                    c.server.dirty++;
                    group.ack(id);
                }
                continue;
            }
            if (force && nack == null) {
                nack = group.addPending(id, null, now, 1);
            }
            if (nack == null) {
                continue;
            }
            if (nack.consumer() != null && minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = claimer(c, group);
            }
            if (nack.consumer() != consumer) {
                group.assign(id, nack, consumer);
            }
            nack.setDeliveryTime(deliveryTime);
            if (retryCount >= 0) {
                nack.setDeliveryCount(retryCount);
            } else if (!justId) {
                nack.setDeliveryCount(nack.deliveryCount() + 1);
            }
            out.add(justId ? id : StreamReplies.lookup(s, id));
            StreamReplies.propagateClaim(c, c.argv[1], group, c.argv[2], idArg, nack);
            propagateLastId = false;
            c.server.dirty++;
        }
        if (propagateLastId) {
            StreamReplies.propagateGroupId(c, c.argv[1], group, c.argv[2]);
            c.server.dirty++;
        }
        for (Object o : out) {
            if (o instanceof StreamId id) {
                c.reply.bulk(id.toBytes());
            } else {
                StreamReplies.entry(c.reply, (StreamReplies.Entry) o);
            }
        }
        int claimed = out.size();
        StreamReplies.fillDeferred(c, header, r -> r.array(claimed));
        c.server.propagation.prevent();
    }

    /** xautoclaimCommand: claims idle pending entries from start; replies [cursor, claimed, deleted]. */
    static void xautoclaim(CommandContext c) {
        long minIdle = Math.max(0, longOr(c, 4, "Invalid min-idle-time argument for XAUTOCLAIM"));
        StreamId start = StreamIds.startBound(c.argv[5]);
        long count = 100;
        boolean justId = false;
        for (int j = 6; j < c.argc(); j++) {
            int moreargs = c.argc() - 1 - j;
            if (c.argIs(j, "count") && moreargs > 0) {
                Long v = Numbers.parseLong(c.argv[j + 1]);
                if (v == null || v < 1 || v > MAX_AUTOCLAIM_COUNT) {
                    throw new CommandException("ERR COUNT must be > 0");
                }
                count = v;
                j++;
            } else if (c.argIs(j, "justid")) {
                justId = true;
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        RStream s = c.lookup(c.argv[1], RStream.class);
        StreamGroup group = groupOrError(c, s);
        long attempts = count * 10;
        NavigableMap<StreamId, StreamNack> pel = group.pel();
        long now = System.currentTimeMillis();
        StreamConsumer consumer = null;
        List<Object> claimed = new ArrayList<>();
        List<StreamId> deleted = new ArrayList<>();
        c.reply.array(3);
        int header = StreamReplies.deferred(c);
        StreamId pos = start;
        boolean inclusive = true;
        boolean exhausted = false;
        while (attempts-- > 0 && count > 0) {
            StreamId id = inclusive ? pel.ceilingKey(pos) : pel.higherKey(pos);
            if (id == null) {
                exhausted = true;
                break;
            }
            pos = id;
            inclusive = false;
            StreamNack nack = pel.get(id);
            if (!s.entryExists(id)) {
                StreamReplies.propagateClaim(c, c.argv[1], group, c.argv[2], id.toBytes(), nack);
                c.server.dirty++;
                group.ack(id);
                deleted.add(id);
                count--;
                continue;
            }
            if (minIdle != 0 && now - nack.deliveryTime() < minIdle) {
                continue;
            }
            if (consumer == null) {
                consumer = claimer(c, group);
            }
            if (nack.consumer() != consumer) {
                group.assign(id, nack, consumer);
            }
            nack.setDeliveryTime(now);
            if (!justId) {
                nack.setDeliveryCount(nack.deliveryCount() + 1);
            }
            claimed.add(justId ? id : StreamReplies.lookup(s, id));
            count--;
            StreamReplies.propagateClaim(c, c.argv[1], group, c.argv[2], id.toBytes(), nack);
            c.server.dirty++;
        }
        StreamId next = exhausted ? null : inclusive ? pel.ceilingKey(pos) : pel.higherKey(pos);
        for (Object o : claimed) {
            if (o instanceof StreamId id) {
                c.reply.bulk(id.toBytes());
            } else {
                StreamReplies.entry(c.reply, (StreamReplies.Entry) o);
            }
        }
        byte[] cursor = (next == null ? StreamId.MIN : next).toBytes();
        int n = claimed.size();
        StreamReplies.fillDeferred(c, header, r -> {
            r.bulk(cursor);
            r.array(n);
        });
        c.reply.array(deleted.size());
        for (StreamId id : deleted) {
            c.reply.bulk(id.toBytes());
        }
        c.server.propagation.prevent();
    }
}
