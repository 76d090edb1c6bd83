package io.cascade.server.commands;

import io.cascade.replication.resp.RespWriter;
import io.cascade.server.command.CommandContext;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;
import io.cascade.storage.types.StreamId;
import io.cascade.storage.types.StreamIterator;
import io.cascade.storage.types.StreamNack;
import io.netty.buffer.ByteBuf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * t_stream.c's streamReplyWithRange and streamReplyWithRangeFromConsumerPEL: stream entries as replies, and,
 * when a consumer group reads them (XREADGROUP), the group's last ID and entries_read moved on, the PEL entries
 * created or reassigned and each delivery propagated as an XCLAIM (streamPropagateXCLAIM), the last ID as an
 * XGROUP SETID with NOACK (streamPropagateGroupID). Redis writes a deferred length; here the entries are
 * collected first, which changes nothing since the group work does not affect the walk. Command thread.
 */
final class StreamReplies {
    static final byte[] XCLAIM = Rewrites.ascii("XCLAIM");
    static final byte[] XGROUP = Rewrites.ascii("XGROUP");
    private static final byte[] ZERO = Rewrites.ascii("0");
    private static final byte[] TIME = Rewrites.ascii("TIME");
    private static final byte[] RETRYCOUNT = Rewrites.ascii("RETRYCOUNT");
    private static final byte[] FORCE = Rewrites.ascii("FORCE");
    private static final byte[] JUSTID = Rewrites.ascii("JUSTID");
    private static final byte[] LASTID = Rewrites.ascii("LASTID");
    private static final byte[] SETID = Rewrites.ascii("SETID");
    private static final byte[] ENTRIESREAD = Rewrites.ascii("ENTRIESREAD");
    private static final byte[] CREATECONSUMER = Rewrites.ascii("CREATECONSUMER");

    private StreamReplies() {
    }

    /**
     * Redis's deferred reply length: where the header of a reply whose length is known only at the end goes. A
     * keyspace event pushed to the calling client meanwhile (RESP3, its own xgroup-createconsumer) lands after
     * that point, as in Redis, where the header is a placeholder written first.
     */
    static int deferred(CommandContext c) {
        return c.reply.buffer().writerIndex();
    }

    /** Writes, at a position deferred() gave, what header writes (an array length, a cursor), shifting the rest. */
    static void fillDeferred(CommandContext c, int mark, Consumer<RespWriter> header) {
        ByteBuf buf = c.reply.buffer();
        byte[] tail = new byte[buf.writerIndex() - mark];
        buf.getBytes(mark, tail);
        buf.writerIndex(mark);
        header.accept(c.reply);
        buf.writeBytes(tail);
    }

    /** One entry as the iterator exposed it. */
    record Entry(StreamId id, byte[][] pairs) {
    }

    /** How a consumer group reads (streamPropInfo plus the STREAM_RWR_* flags). */
    record GroupRead(byte[] key, byte[] groupName, StreamGroup group, StreamConsumer consumer, boolean noack,
                     boolean history) {
    }

    /** The entries from start to end (null: unbounded) in order, at most count (0: all). */
    static List<Entry> collect(RStream s, StreamId start, StreamId end, long count, boolean rev) {
        List<Entry> out = new ArrayList<>();
        StreamIterator it = s.iterator(start, end, rev);
        while (it.next()) {
            byte[][] pairs = new byte[it.numFields() * 2][];
            for (int i = 0; i < it.numFields(); i++) {
                pairs[2 * i] = it.field(i);
                pairs[2 * i + 1] = it.value(i);
            }
            out.add(new Entry(it.id(), pairs));
            if (count != 0 && out.size() == count) {
                break;
            }
        }
        return out;
    }

    /** The live entry with this ID, or null. */
    static Entry lookup(RStream s, StreamId id) {
        List<Entry> one = collect(s, id, id, 1, false);
        return one.isEmpty() ? null : one.get(0);
    }

    /** An entry: [id, [field, value, ...]]. */
    static void entry(RespWriter r, Entry e) {
        r.array(2);
        r.bulk(e.id().toBytes());
        r.array(e.pairs().length);
        for (byte[] b : e.pairs()) {
            r.bulk(b);
        }
    }

    /** streamReplyWithRange without a group: the array of entries; returns how many. */
    static int range(RespWriter r, RStream s, StreamId start, StreamId end, long count, boolean rev) {
        List<Entry> entries = collect(s, start, end, count, rev);
        r.array(entries.size());
        for (Entry e : entries) {
            entry(r, e);
        }
        return entries.size();
    }

    /** streamReplyWithRange for a consumer group (XREADGROUP): entries after start, with the group's work. */
    static int groupRange(CommandContext c, RStream s, StreamId start, long count, GroupRead g) {
        if (g.history()) {
            return fromConsumerPel(c, s, start, count, g.consumer());
        }
        List<Entry> entries = collect(s, start, null, count, false);
        StreamGroup group = g.group();
        boolean propagateLastId = false;
        c.reply.array(entries.size());
        for (Entry e : entries) {
            StreamId id = e.id();
            if (id.compareTo(group.lastId()) > 0) {
                if (group.entriesRead() != StreamGroup.INVALID_ENTRIES_READ && !s.rangeHasTombstones(id, null)) {
                    group.setEntriesRead(group.entriesRead() + 1);
                } else if (s.entriesAdded() != 0) {
                    group.setEntriesRead(s.estimateDistanceFromFirstEverEntry(id));
                }
                group.setLastId(id);
                if (g.noack()) {
                    propagateLastId = true; // without NOACK the XCLAIMs carry the last ID
                }
            }
            entry(c.reply, e);
            if (!g.noack()) {
                StreamNack nack = group.deliver(id, g.consumer(), System.currentTimeMillis());
                propagateClaim(c, g.key(), group, g.groupName(), id.toBytes(), nack);
            }
        }
        if (propagateLastId) {
            propagateGroupId(c, g.key(), group, g.groupName());
        }
        return entries.size();
    }

    /**
     * streamReplyWithRangeFromConsumerPEL: the consumer's own pending entries from start, each delivered again
     * (time now, count + 1); one deleted from the stream since shows as [id, nil].
     */
    private static int fromConsumerPel(CommandContext c, RStream s, StreamId start, long count,
                                       StreamConsumer consumer) {
        List<Map.Entry<StreamId, StreamNack>> pending = new ArrayList<>();
        for (Map.Entry<StreamId, StreamNack> e : consumer.pel().tailMap(start, true).entrySet()) {
            if (count != 0 && pending.size() >= count) {
                break;
            }
            pending.add(e);
        }
        c.reply.array(pending.size());
        long now = System.currentTimeMillis();
        for (Map.Entry<StreamId, StreamNack> p : pending) {
            Entry e = lookup(s, p.getKey());
            if (e == null) {
                c.reply.array(2);
                c.reply.bulk(p.getKey().toBytes());
                c.reply.nullArray();
            } else {
                entry(c.reply, e);
                p.getValue().setDeliveryTime(now);
                p.getValue().setDeliveryCount(p.getValue().deliveryCount() + 1);
            }
        }
        return pending.size();
    }

    /** streamPropagateXCLAIM: XCLAIM key group consumer 0 id TIME t RETRYCOUNT n FORCE JUSTID LASTID last. */
    static void propagateClaim(CommandContext c, byte[] key, StreamGroup group, byte[] groupName, byte[] id,
                               StreamNack nack) {
        c.server.propagation.also(c.client.db, XCLAIM, key, groupName, nack.consumer().name(), ZERO, id, TIME,
                Rewrites.number(nack.deliveryTime()), RETRYCOUNT, Rewrites.number(nack.deliveryCount()), FORCE, JUSTID, LASTID, group.lastId().toBytes());
    }

    /** streamPropagateGroupID: XGROUP SETID key group last-id ENTRIESREAD n. */
    static void propagateGroupId(CommandContext c, byte[] key, StreamGroup group, byte[] groupName) {
        c.server.propagation.also(c.client.db, XGROUP, SETID, key, groupName, group.lastId().toBytes(), ENTRIESREAD,
                Rewrites.number(group.entriesRead()));
    }

    /** streamPropagateConsumerCreation: XGROUP CREATECONSUMER key group consumer. */
    static void propagateConsumerCreation(CommandContext c, byte[] key, byte[] groupName, byte[] consumer) {
        c.server.propagation.also(c.client.db, XGROUP, CREATECONSUMER, key, groupName, consumer);
    }
}
