package io.cascade.server.command;

/** Per-command counters for INFO commandstats and LATENCY HISTOGRAM; updated by the command thread. */
public final class CommandStats {
    /**
     * LATENCY HISTOGRAM's buckets: Redis's hdr_histogram (1 us .. 1 s in ns, 2 significant digits) read with a
     * log iterator from 1024 ns doubling; bucket k holds the calls at most highestEquivalent(1024 << k) ns.
     */
    public static final int LATENCY_BUCKETS = 21;

    public long calls;
    public long micros;
    public long rejected;
    public long failed;
    /** null until the first call is recorded (Redis allocates the histogram lazily too). */
    public long[] latency;

    /** updateCommandLatencyHistogram: one call's duration, clamped to [1 us, 1 s] as Redis clamps it. */
    public void recordLatency(long durationMicros) {
        long ns = Math.max(1_000, Math.min(1_000_000_000L, durationMicros * 1000));
        if (latency == null) {
            latency = new long[LATENCY_BUCKETS];
        }
        int k = 0;
        while (k < LATENCY_BUCKETS - 1 && ns > bucketTopNanos(k)) {
            k++;
        }
        latency[k]++;
    }

    /** hdr's highest equivalent value of 1024 << k at 2 significant digits: 2^m + 2^(m-7) - 1. */
    public static long bucketTopNanos(int k) {
        int m = 10 + k;
        return (1L << m) + (1L << (m - 7)) - 1;
    }
}
