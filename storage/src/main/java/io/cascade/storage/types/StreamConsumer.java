package io.cascade.storage.types;

import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A consumer of a stream consumer group (Redis's streamConsumer): its name, the last time it was seen, and its
 * own PEL, which shares the StreamNack objects of the group's PEL. Changed through StreamGroup. Command thread.
 */
public final class StreamConsumer {
    private final byte[] name;
    private long seenTime;
    final TreeMap<StreamId, StreamNack> pel = new TreeMap<>();

    StreamConsumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    public byte[] name() {
        return name;
    }

    /** Milliseconds since the epoch (streamLookupConsumer refreshes it; the caller decides when). */
    public long seenTime() {
        return seenTime;
    }

    public void setSeenTime(long ms) {
        seenTime = ms;
    }

    /** The entries pending for this consumer, by ID. */
    public NavigableMap<StreamId, StreamNack> pel() {
        return Collections.unmodifiableNavigableMap(pel);
    }
}
