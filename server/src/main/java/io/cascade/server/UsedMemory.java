package io.cascade.server;

import io.cascade.replication.Backlog;
import io.cascade.server.net.Client;

/**
 * used_memory as Cascade counts it, for INFO, MEMORY STATS and maxmemory: the heap in use when the server
 * started (its code and tables, Redis's startup.allocated), the dataset as its stores charge it (off-heap entries
 * with their overhead, heap values by Footprint, expires), the replication buffer, the clients' buffers and the
 * Lua engines. Not the JVM's heap in use: that includes garbage not yet collected, so it would move by megabytes
 * without a write, and maxmemory would evict on a GC's schedule. Command thread.
 */
public final class UsedMemory {
    private final Server server;
    private long peak;
    /**
     * The clients' query and output buffers, summed by the cron, and by eviction when the limit looks reached:
     * walking every client before each command would cost as much as the command.
     */
    private long clientBuffers;

    UsedMemory(Server server) {
        this.server = server;
    }

    /** used_memory. */
    public long used() {
        return overhead() + dataset();
    }

    /** used_memory_overhead: all but the dataset (startup, replication buffer, clients, scripts). */
    public long overhead() {
        return server.initialMemoryUsage + replicationBuffers() + clientBuffers + scripts();
    }

    /** The keys and values of every database, and of a dataset being loaded beside them (swapdb). */
    public long dataset() {
        long n = server.databases.usedMemory();
        var loading = server.replica.loadingDataset;
        return loading == null ? n : n + loading.usedMemory();
    }

    /** mem_total_replication_buffers: the backlog and what the replicas have not been sent yet, in one buffer. */
    public long replicationBuffers() {
        Backlog backlog = server.downstream.backlog();
        return backlog == null ? 0 : backlog.memory();
    }

    /** The Lua VMs, the EVAL cache and the function libraries. */
    public long scripts() {
        return server.scripting.luaMemory() + server.functions.luaMemory() + server.scripting.scriptsMemory()
                + server.functions.overheadMemory();
    }

    /** mem_clients_normal, as last summed. */
    public long clientBuffers() {
        return clientBuffers;
    }

    /**
     * freeMemoryGetNotCountedMemory: the part of the replication buffer beyond repl-backlog-size is the replicas'
     * own (their output buffers), which maxmemory does not count: evicting keys to make room for it would
     * only make more of it (their DELs).
     */
    public long notCountedForEviction() {
        long buffers = replicationBuffers();
        long backlogSize = server.config.getMemory("repl-backlog-size");
        return buffers > backlogSize ? buffers - backlogSize : 0;
    }

    /** Sums the clients' buffers again, and keeps the peak (serverCron's stat_peak_memory). */
    void cron() {
        sumClientBuffers();
        peak();
    }

    /** Sums the clients' buffers now (eviction does before it decides: clients gone since the cron count no more). */
    void sumClientBuffers() {
        long n = 0;
        for (Client c : server.clients.all()) {
            if (c.replicaSession == null) {
                n += c.queryBytes + c.bufferedQueryBytes + OutputLimits.outputBytes(c);
            }
        }
        clientBuffers = n;
    }

    /** used_memory_peak: the largest used_memory seen by the cron or by INFO. */
    public long peak() {
        peak = Math.max(peak, used());
        return peak;
    }

    /** CONFIG RESETSTAT. */
    void resetPeak() {
        peak = 0;
    }
}
