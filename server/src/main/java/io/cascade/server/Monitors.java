package io.cascade.server;

import io.cascade.conf.SdsRepr;
import io.cascade.server.net.Client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Clients in MONITOR mode and what they are sent: one line per executed command, in Redis's format
 * ({@code +<sec>.<usec> [<db> <addr>] "arg" ...}), with redacted arguments shown as "(redacted)".
 * Command thread only.
 */
public final class Monitors {
    private final List<Client> monitors = new ArrayList<>();
    private final Clients clients;

    Monitors(Clients clients) {
        this.clients = clients;
    }

    public void add(Client c) {
        monitors.add(c);
    }

    public void remove(Client c) {
        monitors.remove(c);
    }

    public boolean isEmpty() {
        return monitors.isEmpty();
    }

    /** Sends one executed command to every monitor (replicationFeedMonitors). */
    void feed(Client client, int db, byte[][] argv, BitSet redacted, String unixSocketPath) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder b = new StringBuilder(64);
        b.append('+').append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000));
        b.append(" [").append(db).append(' ');
        b.append(client.unixSocket ? "unix:" + unixSocketPath : client.addr).append("] ");
        for (int j = 0; j < argv.length; j++) {
            if (j > 0) {
                b.append(' ');
            }
            SdsRepr.append(b, redacted.get(j) ? REDACTED : argv[j]);
        }
        b.append("\r\n");
        byte[] line = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (Client m : monitors) {
            clients.rawTo(m, line);
        }
    }

    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
}
