package io.cascade.storage;

import net.openhft.chronicle.hash.impl.VanillaChronicleHash;
import net.openhft.chronicle.hash.serialization.impl.ByteArraySizedReader;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.MapSegmentContext;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Chronicle Map operations OffHeapPartition needs on whole maps: making one (on the command thread, or ahead
 * of need on the cascade-offheap-maps thread), listing a segment's keys, picking a random key. Static helpers;
 * a map itself is only used by the command thread once made.
 */
final class ChronicleMaps {
    /** Creates the partitions' next maps ahead of need (one daemon thread for every store). */
    static final ExecutorService MAKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cascade-offheap-maps");
        t.setDaemon(true);
        return t;
    });

    private ChronicleMaps() {
    }

    /** An in-memory map (no file) with a power-of-two number of segments of about ENTRIES_PER_SEGMENT each. */
    static ChronicleMap<byte[], byte[]> create(String name, long entries, double avgKey, double avgValue) {
        long wanted = Math.max(1, entries / OffHeapPartition.ENTRIES_PER_SEGMENT);
        int segments = (int) Math.max(1, Long.highestOneBit(wanted));
        return ChronicleMap.of(byte[].class, byte[].class)
                .name(name)
                .entries(entries)
                .averageKeySize(Math.max(1, avgKey))
                // every value has ValueCodec's header: a smaller average would only shrink the largest entry
                .averageValueSize(Math.max(ValueCodec.HEADER, avgValue))
                .actualSegments(segments)
                .maxBloatFactor(4)
                .keyReaderAndDataAccess(ByteArraySizedReader.INSTANCE, new ByteArrayAccess())
                .valueReaderAndDataAccess(ByteArraySizedReader.INSTANCE, new ByteArrayAccess())
                .create();
    }

    /**
     * The largest key plus value, in bytes, that m takes in one entry. Chronicle sizes an entry's chunks from the
     * average sizes the map was made with and refuses an entry of more chunks than a segment tier holds ("Entry
     * is too large"); the entry also holds the two sizes as stop-bit numbers (up to 5 bytes each), hence the
     * margin. At least 3,262 for every map create makes (averages 1 and HEADER: docs/storage.md).
     */
    static long maxEntryBytes(ChronicleMap<byte[], byte[]> m) {
        VanillaChronicleHash<?, ?, ?, ?> h = (VanillaChronicleHash<?, ?, ?, ?>) m;
        return h.chunkSize * h.maxChunksPerEntry - ENTRY_SIZE_FIELDS;
    }

    /** Room for an entry's key size and value size fields (stop-bit encoded ints). */
    static final int ENTRY_SIZE_FIELDS = 10;

    /** Adds the keys of one segment of m to keys (collected first, so the caller may change the map after). */
    static void segmentKeys(ChronicleMap<byte[], byte[]> m, int segment, List<byte[]> keys) {
        if (segment >= m.segments()) {
            return;
        }
        try (MapSegmentContext<byte[], byte[], ?> c = m.segmentContext(segment)) {
            c.forEachSegmentEntry(e -> keys.add(e.key().getUsing(null)));
        }
    }
}
