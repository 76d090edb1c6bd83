package io.cascade.storage.types;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A stream consumer group (Redis's streamCG): the last delivered ID, the entries_read counter, the group PEL
 * (ID to StreamNack) and the consumers by name, both in radix tree order. A NACK is in the group PEL and in
 * exactly one consumer's PEL; the methods here keep the two in step. Command thread.
 */
public final class StreamGroup {
    /** SCG_INVALID_ENTRIES_READ: the counter cannot be known (XINFO then shows a null lag). */
    public static final long INVALID_ENTRIES_READ = -1;

    private final byte[] name;
    private StreamId lastId;
    private long entriesRead;
    private final TreeMap<StreamId, StreamNack> pel = new TreeMap<>();
    private final TreeMap<Bytes, StreamConsumer> consumers = new TreeMap<>();

    StreamGroup(byte[] name, StreamId lastId, long entriesRead) {
        this.name = name;
        this.lastId = lastId;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void setLastId(StreamId id) {
        lastId = id;
    }

    /** A signed counter; INVALID_ENTRIES_READ when unknown. */
    public long entriesRead() {
        return entriesRead;
    }

    public void setEntriesRead(long n) {
        entriesRead = n;
    }

    public NavigableMap<StreamId, StreamNack> pel() {
        return Collections.unmodifiableNavigableMap(pel);
    }

    public NavigableMap<Bytes, StreamConsumer> consumers() {
        return Collections.unmodifiableNavigableMap(consumers);
    }

    /** streamCreateConsumer: seen now; null when a consumer of that name exists. */
    public StreamConsumer createConsumer(byte[] name, long nowMs) {
        Bytes k = new Bytes(name);
        if (consumers.containsKey(k)) {
            return null;
        }
        StreamConsumer c = new StreamConsumer(name, nowMs);
        consumers.put(k, c);
        return c;
    }

    /** streamLookupConsumer without the refresh (the caller sets seenTime when Redis would). */
    public StreamConsumer consumer(byte[] name) {
        return consumers.get(new Bytes(name));
    }

    /** streamDelConsumer: drops its pending entries from the group PEL too; returns how many it had. */
    public int deleteConsumer(StreamConsumer c) {
        int pending = c.pel.size();
        for (StreamId id : c.pel.keySet()) {
            pel.remove(id);
        }
        consumers.remove(new Bytes(c.name()));
        return pending;
    }

    /**
     * A delivery to a consumer, as XREADGROUP records it: a new NACK (delivered now, once), or, when the ID is
     * pending already, the existing one moved to this consumer with its time and count reset.
     */
    public StreamNack deliver(StreamId id, StreamConsumer to, long nowMs) {
        StreamNack nack = pel.get(id);
        if (nack == null) {
            nack = new StreamNack(nowMs, 1, to);
            pel.put(id, nack);
        } else {
            nack.consumer.pel.remove(id);
            nack.consumer = to;
            nack.setDeliveryTime(nowMs);
            nack.setDeliveryCount(1);
        }
        to.pel.put(id, nack);
        return nack;
    }

    /** A NACK created as XCLAIM FORCE or RDB loading does; null when the ID is pending already. */
    public StreamNack addPending(StreamId id, StreamConsumer to, long deliveryTime, long deliveryCount) {
        if (pel.containsKey(id)) {
            return null;
        }
        StreamNack nack = new StreamNack(deliveryTime, deliveryCount, to);
        pel.put(id, nack);
        if (to != null) {
            to.pel.put(id, nack);
        }
        return nack;
    }

    /** Moves a pending entry to another consumer (XCLAIM, XAUTOCLAIM); time and count are the caller's. */
    public void assign(StreamId id, StreamNack nack, StreamConsumer to) {
        if (nack.consumer != null) {
            nack.consumer.pel.remove(id);
        }
        nack.consumer = to;
        to.pel.put(id, nack);
    }

    /** XACK of one ID (also XCLAIM of a deleted entry): false when it was not pending. */
    public boolean ack(StreamId id) {
        StreamNack nack = pel.remove(id);
        if (nack == null) {
            return false;
        }
        if (nack.consumer != null) {
            nack.consumer.pel.remove(id);
        }
        return true;
    }

    /** A consumer as loaded from an RDB; null when its name is taken. */
    public StreamConsumer loadConsumer(byte[] name, long seenTime) {
        return createConsumer(name, seenTime);
    }

    /**
     * The RDB's consumer PEL entry: the group's NACK for id gets this consumer. False when the group PEL lacks
     * the ID or the consumer has it already ("Consumer entry not found in group global PEL", "Duplicated
     * consumer PEL entry").
     */
    public boolean loadConsumerPending(StreamConsumer c, StreamId id) {
        StreamNack nack = pel.get(id);
        if (nack == null || c.pel.containsKey(id)) {
            return false;
        }
        nack.consumer = c;
        c.pel.put(id, nack);
        return true;
    }

    /** True when every pending entry has a consumer (the RDB loader's deep check). */
    public boolean everyPendingOwned() {
        for (StreamNack n : pel.values()) {
            if (n.consumer == null) {
                return false;
            }
        }
        return true;
    }

    /** The copy streamDup makes: same PEL times and counts, same consumers, new NACK objects shared likewise. */
    StreamGroup duplicate() {
        StreamGroup g = new StreamGroup(name, lastId, entriesRead);
        for (Map.Entry<StreamId, StreamNack> e : pel.entrySet()) {
            g.pel.put(e.getKey(), new StreamNack(e.getValue().deliveryTime(), e.getValue().deliveryCount(), null));
        }
        for (StreamConsumer c : consumers.values()) {
            StreamConsumer nc = new StreamConsumer(c.name(), c.seenTime());
            g.consumers.put(new Bytes(c.name()), nc);
            for (StreamId id : c.pel.keySet()) {
                StreamNack n = g.pel.get(id);
                n.consumer = nc;
                nc.pel.put(id, n);
            }
        }
        return g;
    }
}
