package io.cascade.server.command;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hdr_histogram arithmetic Redis 7.0 reports latencies with (1 ns .. 1 s, 2 significant digits). */
class LatencyHistogramTest {
    @Test
    void percentilesAreHighestEquivalentValues() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordLatencyMicros(0); // clamped to 1 us
        h.recordLatencyMicros(1);
        h.recordLatencyMicros(3000);
        assertEquals(3, h.total());
        // 1000 ns sits in sub-buckets of 4 ns: INFO shows p50=1.003 for the fastest commands, as Redis
        assertEquals(1003, h.valueAtPercentile(50));
        assertEquals(3014655, h.valueAtPercentile(99.9));
        assertEquals(1000, h.valueAtPercentile(0));
    }

    @Test
    void cumulativeBucketsDoubleFrom1024ns() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordLatencyMicros(1);
        h.recordLatencyMicros(1);
        h.recordLatencyMicros(3000);
        h.recordLatencyMicros(5_000_000); // clamped to 1 s
        assertArrayEquals(new long[] {1, 2, 4227, 3, 1082130, 4}, h.cumulativeBuckets());
    }

    @Test
    void emptyHasNoBuckets() {
        assertArrayEquals(new long[0], new LatencyHistogram().cumulativeBuckets());
    }
}
