package io.cascade.server.command;

/** Per-command counters for INFO commandstats and LATENCY HISTOGRAM; updated by the command thread. */
public final class CommandStats {
    public long calls;
    public long micros;
    public long rejected;
    public long failed;
    /** null until the first call is recorded (Redis allocates the histogram lazily too). */
    public LatencyHistogram latency;

    /** updateCommandLatencyHistogram: one call's duration. */
    public void recordLatency(long durationMicros) {
        if (latency == null) {
            latency = new LatencyHistogram();
        }
        latency.recordLatencyMicros(durationMicros);
    }
}
