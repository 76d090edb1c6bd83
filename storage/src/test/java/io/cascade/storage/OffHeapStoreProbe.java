package io.cascade.storage;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Test access to the segments of a one-partition OffHeapStore (partition bits 0). */
final class OffHeapStoreProbe {
    private final OffHeapStore store;

    OffHeapStoreProbe(OffHeapStore store) {
        this.store = store;
    }

    int segmentBits() {
        store.partition(0).finishMigration();
        return store.partition(0).segmentBits();
    }

    Map<String, Integer> segmentOfEachKey() {
        OffHeapPartition p = store.partition(0);
        p.finishMigration();
        Map<String, Integer> m = new HashMap<>();
        for (int s = 0; s < p.segments(); s++) {
            for (byte[] k : p.segmentKeys(s)) {
                m.put(new String(k, StandardCharsets.ISO_8859_1), s);
            }
        }
        return m;
    }
}
