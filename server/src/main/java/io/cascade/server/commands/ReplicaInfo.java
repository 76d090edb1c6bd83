package io.cascade.server.commands;

import io.cascade.replication.ReplicaLink;
import io.cascade.server.Replica;
import io.cascade.server.Server;

import java.util.Locale;

import static io.cascade.server.commands.InfoCommand.field;

/** INFO replication's replica block, in Redis 7.0's field order (spec 7.5). Command thread. */
final class ReplicaInfo {
    private ReplicaInfo() {
    }

    static void append(Server s, StringBuilder b) {
        Replica r = s.replica;
        ReplicaLink link = r.link;
        long now = System.currentTimeMillis();
        field(b, "master_host", r.master.host());
        field(b, "master_port", r.master.port());
        field(b, "master_link_status", r.linkUp() ? "up" : "down");
        field(b, "master_last_io_seconds_ago", r.linkUp() ? (now - link.lastIoMillis) / 1000 : -1);
        boolean transfer = link != null && link.state == ReplicaLink.State.TRANSFER;
        field(b, "master_sync_in_progress", transfer ? 1 : 0);
        field(b, "slave_read_repl_offset", r.readOffset());
        field(b, "slave_repl_offset", r.processedOffset());
        if (transfer) {
            long total = link.syncTotalBytes;
            long read = link.syncReadBytes;
            field(b, "master_sync_total_bytes", total);
            field(b, "master_sync_read_bytes", read);
            field(b, "master_sync_left_bytes", total - read);
            field(b, "master_sync_perc", String.format(Locale.ROOT, "%.2f", total > 0 ? 100.0 * read / total : 0.0));
            field(b, "master_sync_last_io_seconds_ago", (now - link.lastIoMillis) / 1000);
        }
        if (!r.linkUp()) {
            field(b, "master_link_down_since_seconds",
                    r.linkDownSinceMillis <= 0 ? -1 : (now - r.linkDownSinceMillis) / 1000);
        }
        field(b, "slave_priority", s.config.getLong("replica-priority"));
        field(b, "slave_read_only", s.config.getBool("replica-read-only") ? 1 : 0);
        field(b, "replica_announced", s.config.getBool("replica-announced") ? 1 : 0);
    }
}
