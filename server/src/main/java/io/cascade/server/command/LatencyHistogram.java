package io.cascade.server.command;

import java.util.Arrays;

/**
 * One command's latency histogram as Redis 7.0 keeps it (hdr_histogram from 1 ns to 1 s, 2 significant
 * digits: 256 sub-buckets, half of them per power of two): the same counts array, so LATENCY HISTOGRAM's
 * buckets and INFO latencystats' percentiles come out as Redis computes them. Command thread.
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_HALF_MAGNITUDE = 7;
    private static final int SUB_BUCKET_HALF = 1 << SUB_BUCKET_HALF_MAGNITUDE;
    private static final int SUB_BUCKET_COUNT = 2 * SUB_BUCKET_HALF;
    private static final long SUB_BUCKET_MASK = SUB_BUCKET_COUNT - 1;
    /** buckets_needed_to_cover_value(1e9) = 23; counts_len = (23 + 1) * 128. */
    private static final int COUNTS_LEN = 24 * SUB_BUCKET_HALF;
    /** LATENCY_HISTOGRAM_MIN_VALUE and MAX_VALUE (ns). */
    static final long MIN_NS = 1_000;
    static final long MAX_NS = 1_000_000_000L;

    private final long[] counts = new long[COUNTS_LEN];
    private long total;

    /** updateCommandLatencyHistogram: the duration in ns, clamped to [1 us, 1 s]. */
    public void record(long ns) {
        long v = Math.max(MIN_NS, Math.min(MAX_NS, ns));
        counts[countsIndex(v)]++;
        total++;
    }

    /** record of a duration measured in microseconds, as call() measures it. */
    public void recordLatencyMicros(long micros) {
        record(micros * 1000);
    }

    public long total() {
        return total;
    }

    private static int bucketIndex(long value) {
        int pow2ceiling = 64 - Long.numberOfLeadingZeros(value | SUB_BUCKET_MASK);
        return pow2ceiling - (SUB_BUCKET_HALF_MAGNITUDE + 1);
    }

    private static int countsIndex(long value) {
        int bucket = bucketIndex(value);
        int sub = (int) (value >> bucket);
        return ((bucket + 1) << SUB_BUCKET_HALF_MAGNITUDE) + (sub - SUB_BUCKET_HALF);
    }

    private static long valueAtIndex(int index) {
        int bucket = (index >> SUB_BUCKET_HALF_MAGNITUDE) - 1;
        int sub = (index & (SUB_BUCKET_HALF - 1)) + SUB_BUCKET_HALF;
        if (bucket < 0) {
            sub -= SUB_BUCKET_HALF;
            bucket = 0;
        }
        return (long) sub << bucket;
    }

    private static long lowestEquivalent(long value) {
        int bucket = bucketIndex(value);
        return (value >> bucket) << bucket;
    }

    static long highestEquivalent(long value) {
        int bucket = bucketIndex(value);
        int sub = (int) (value >> bucket);
        int adjusted = sub >= SUB_BUCKET_COUNT ? bucket + 1 : bucket;
        return lowestEquivalent(value) + (1L << adjusted) - 1;
    }

    /** hdr_value_at_percentile, in ns. */
    public long valueAtPercentile(double percentile) {
        double requested = Math.min(percentile, 100.0);
        long countAt = Math.max(1, (long) ((requested / 100) * total + 0.5));
        long value = 0;
        long running = 0;
        for (int i = 0; i < COUNTS_LEN; i++) {
            running += counts[i];
            if (running >= countAt) {
                value = valueAtIndex(i);
                break;
            }
        }
        return percentile == 0.0 ? lowestEquivalent(value) : highestEquivalent(value);
    }

    /**
     * fillCommandCDF's walk (hdr_iter_log from 1024 ns, doubling): pairs of (bucket top in us, cumulative
     * count) where the cumulative count grew, in a flat array.
     */
    public long[] cumulativeBuckets() {
        long[] out = new long[2 * 32];
        int n = 0;
        long previous = 0;
        long cumulative = 0;
        int index = 0;
        for (long level = 1024; previous < total; level *= 2) {
            // every value whose index is at most the level's is counted at that level
            int levelIndex = countsIndex(level);
            for (; index <= levelIndex && index < COUNTS_LEN; index++) {
                cumulative += counts[index];
            }
            if (cumulative > previous) {
                out[n++] = highestEquivalent(level) / 1000;
                out[n++] = cumulative;
            }
            previous = cumulative;
            if (index >= COUNTS_LEN) {
                break;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
