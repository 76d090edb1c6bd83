package io.cascade.server;

import io.cascade.conf.Config;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Redis's latency monitor (latency.c): per event ("command", "fast-command", "expire-cycle", ...) a ring of
 * 160 one-per-second samples in milliseconds and the all-time maximum, fed only with latencies of at least
 * latency-monitor-threshold (0 disables it). Command thread only.
 */
public final class LatencyMonitor {
    /** LATENCY_TS_LEN. */
    public static final int TS_LEN = 160;

    /** One event's time series: times (unix seconds, 0 = empty) and latencies (ms), idx the next slot. */
    public static final class Series {
        public final long[] time = new long[TS_LEN];
        public final long[] latency = new long[TS_LEN];
        public int idx;
        public long max;

        /** The slot of the latest sample. */
        public int last() {
            return (idx + TS_LEN - 1) % TS_LEN;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();
    private long threshold;
    /** latency-tracking: per-command latency histograms (LATENCY HISTOGRAM) are kept. */
    private boolean tracking;

    LatencyMonitor(Config config) {
        threshold = config.getLong("latency-monitor-threshold");
        tracking = config.getBool("latency-tracking");
        config.onChange("latency-tracking", (old, cfg) -> {
            tracking = cfg.getBool("latency-tracking");
            return null;
        });
        config.onChange("latency-monitor-threshold", (old, cfg) -> {
            threshold = cfg.getLong("latency-monitor-threshold");
            return null;
        });
    }

    public long threshold() {
        return threshold;
    }

    public boolean tracking() {
        return tracking;
    }

    /** latencyAddSampleIfNeeded. */
    public void addSampleIfNeeded(String event, long millis) {
        if (threshold != 0 && millis >= threshold) {
            addSample(event, millis);
        }
    }

    /** latencyAddSample: a second already sampled keeps the higher of its two latencies. */
    void addSample(String event, long millis) {
        Series ts = events.computeIfAbsent(event, e -> new Series());
        long now = System.currentTimeMillis() / 1000;
        ts.max = Math.max(ts.max, millis);
        int prev = ts.last();
        if (ts.time[prev] == now) {
            ts.latency[prev] = Math.max(ts.latency[prev], millis);
            return;
        }
        ts.time[ts.idx] = now;
        ts.latency[ts.idx] = millis;
        ts.idx = (ts.idx + 1) % TS_LEN;
    }

    public Series get(String event) {
        return events.get(event);
    }

    public Map<String, Series> events() {
        return events;
    }

    /** latencyResetEvent: the events named so (ignoring case), or all for null; returns how many. */
    public int reset(String event) {
        int resets = 0;
        for (Iterator<String> it = events.keySet().iterator(); it.hasNext(); ) {
            String e = it.next();
            if (event == null || e.equalsIgnoreCase(event)) {
                it.remove();
                resets++;
            }
        }
        return resets;
    }
}
