package io.cascade.server;

import io.cascade.conf.Config;
import io.cascade.server.net.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.Iterator;

/**
 * Redis's slow log (slowlog.c): commands that ran for at least slowlog-log-slower-than microseconds, newest
 * first, at most slowlog-max-len of them (trimmed when the next one is pushed, as Redis does), each with its
 * arguments trimmed as Redis trims them. Command thread only.
 */
public final class Slowlog {
    /** SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
    static final int MAX_ARGC = 32;
    static final int MAX_STRING = 128;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    /** One entry, as SLOWLOG GET shows it. */
    public record Entry(long id, long unixTime, long micros, byte[][] argv, String peerId, String clientName) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private long slowerThan;
    private long maxLen;

    Slowlog(Config config) {
        slowerThan = config.getLong("slowlog-log-slower-than");
        maxLen = config.getLong("slowlog-max-len");
        config.onChange("slowlog-log-slower-than", (old, cfg) -> {
            slowerThan = cfg.getLong("slowlog-log-slower-than");
            return null;
        });
        config.onChange("slowlog-max-len", (old, cfg) -> {
            maxLen = cfg.getLong("slowlog-max-len");
            return null;
        });
    }

    /** slowlogPushEntryIfNeeded: logs the call when it was slow enough, then trims the log to its length. */
    void pushIfNeeded(Client client, byte[][] argv, BitSet redacted, long micros) {
        if (slowerThan < 0) {
            return; // disabled
        }
        if (micros >= slowerThan) {
            entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, trim(argv, redacted),
                    client.addr, client.name == null ? "" : client.name));
        }
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** At most 32 arguments (the last says how many more there were), each at most 128 bytes. */
    private static byte[][] trim(byte[][] argv, BitSet redacted) {
        int n = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[n][];
        for (int j = 0; j < n; j++) {
            if (n != argv.length && j == n - 1) {
                out[j] = ("... (" + (argv.length - n + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII);
            } else if (redacted.get(j)) {
                out[j] = REDACTED;
            } else if (argv[j].length > MAX_STRING) {
                byte[] more = ("... (" + (argv[j].length - MAX_STRING) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                out[j] = new byte[MAX_STRING + more.length];
                System.arraycopy(argv[j], 0, out[j], 0, MAX_STRING);
                System.arraycopy(more, 0, out[j], MAX_STRING, more.length);
            } else {
                out[j] = argv[j].clone();
            }
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    /** Newest first. */
    public Iterator<Entry> iterator() {
        return entries.iterator();
    }

    public void reset() {
        entries.clear();
    }
}
