package io.cascade.server.command;

/** Per-command counters for INFO commandstats; updated by the command thread. */
public final class CommandStats {
    public long calls;
    public long micros;
    public long rejected;
    public long failed;
}
