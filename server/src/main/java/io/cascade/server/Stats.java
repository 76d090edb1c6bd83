package io.cascade.server;

import io.cascade.storage.Keyspace;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters INFO reports (names follow Redis's INFO fields). Atomic ones are bumped by I/O threads; the rest
 * belong to the command thread. CONFIG RESETSTAT zeroes them.
 */
public final class Stats {
    public final AtomicLong connectionsReceived = new AtomicLong();
    public final AtomicLong rejectedConnections = new AtomicLong();
    public final AtomicLong netInputBytes = new AtomicLong();
    public final AtomicLong netOutputBytes = new AtomicLong();
    public final AtomicLong readsProcessed = new AtomicLong();
    /** Socket writes: one per client per batch of replies (command thread). */
    public long writesProcessed;
    public long commandsProcessed;
    public long totalErrorReplies;
    /** Errors our master's commands produced here (INFO unexpected_error_replies). */
    public long unexpectedErrorReplies;
    /** Keys deleted because their time had come (INFO expired_keys). */
    public long expiredKeys;
    /**
     * activeExpireCycle's counters: the share of sampled keys found expired (a moving average, as Redis's
     * stat_expired_stale_perc, 0..1), the cycles that ran out of time, and the nanoseconds spent in them.
     */
    public double expiredStalePerc;
    public long expiredTimeCapReached;
    public long expireCycleNanos;
    /** Key lookups by read commands that found / did not find the key (INFO keyspace_hits/misses). */
    public long keyspaceHits;
    public long keyspaceMisses;
    /** errorstats: replies per error code (the first word of the error, e.g. ERR, WRONGTYPE). */
    public final Map<String, Long> errorCodes = new TreeMap<>();

    /** Instantaneous ops/sec and kbps, sampled by the cron as Redis's trackInstantaneousMetric does. */
    private final Sampler opsSampler = new Sampler();
    private final Sampler inputSampler = new Sampler();
    private final Sampler outputSampler = new Sampler();

    /** After an active expire cycle: Redis's moving average (5 % of this cycle's share), the cap, the time. */
    void expireCycleDone(Keyspace.CycleCounts counts, long nanos) {
        double current = counts.sampled == 0 ? 0 : (double) counts.expired / counts.sampled;
        expiredStalePerc = current * 0.05 + expiredStalePerc * 0.95;
        if (counts.timedOut) {
            expiredTimeCapReached++;
        }
        expireCycleNanos += nanos;
    }

    /** Counts an error reply under its code, as Redis's afterErrorReply does. */
    public void countError(String error) {
        totalErrorReplies++;
        int space = error.indexOf(' ');
        errorCodes.merge(space < 0 ? error : error.substring(0, space), 1L, Long::sum);
    }

    void sample(long nowMillis) {
        opsSampler.add(nowMillis, commandsProcessed);
        inputSampler.add(nowMillis, netInputBytes.get());
        outputSampler.add(nowMillis, netOutputBytes.get());
    }

    public long instantaneousOps() {
        return Math.round(opsSampler.perSecond());
    }

    public double instantaneousInputKbps() {
        return inputSampler.perSecond() / 1024;
    }

    public double instantaneousOutputKbps() {
        return outputSampler.perSecond() / 1024;
    }

    void reset() {
        connectionsReceived.set(0);
        rejectedConnections.set(0);
        netInputBytes.set(0);
        netOutputBytes.set(0);
        readsProcessed.set(0);
        writesProcessed = 0;
        commandsProcessed = 0;
        totalErrorReplies = 0;
        unexpectedErrorReplies = 0;
        expiredKeys = 0;
        expiredStalePerc = 0;
        expiredTimeCapReached = 0;
        expireCycleNanos = 0;
        keyspaceHits = 0;
        keyspaceMisses = 0;
        errorCodes.clear();
    }

    /** Average rate over the last 16 samples taken at least 100 ms apart (STATS_METRIC_SAMPLES in Redis). */
    private static final class Sampler {
        private final double[] rates = new double[16];
        private int index;
        private long lastMillis;
        private long lastValue;

        void add(long now, long value) {
            if (lastMillis == 0) {
                lastMillis = now;
                lastValue = value;
                return;
            }
            long dt = now - lastMillis;
            if (dt < 100) {
                return;
            }
            rates[index++ % rates.length] = Math.max(0, value - lastValue) * 1000.0 / dt; // 0 after a reset
            lastMillis = now;
            lastValue = value;
        }

        double perSecond() {
            double sum = 0;
            for (double r : rates) {
                sum += r;
            }
            return sum / rates.length;
        }
    }
}
