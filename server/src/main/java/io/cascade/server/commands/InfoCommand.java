package io.cascade.server.commands;

import io.cascade.conf.MemoryUnits;
import io.cascade.replication.Backlog;
import io.cascade.replication.ReplicaSession;
import io.cascade.server.Persistence;
import io.cascade.server.PubSub;
import io.cascade.server.Replica;
import io.cascade.server.Server;
import io.cascade.server.UsedMemory;
import io.cascade.server.Stats;
import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandSpec;
import io.cascade.server.command.CommandStats;
import io.cascade.server.command.CommandTable;
import io.cascade.storage.Keyspace;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * INFO, with Redis 7.0's sections and field names in Redis's order. Values Cascade cannot have (fork,
 * AOF, Lua memory) are reported as an idle Redis reports them. Runs on the command thread.
 */
public final class InfoCommand {
    /** What plain INFO (or "default") prints, as Redis 7.0's genRedisInfoString with default sections. */
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");

    private InfoCommand() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("info", -1, "loading stale sentinel", InfoCommand::info).acl("dangerous")
                .tips("nondeterministic_output request_policy:all_shards response_policy:special")
                .doc("Get information and statistics about the server", "1.0.0", "server",
                        "O(1)", "[section:string...]"));
    }

    static void info(CommandContext c) {
        Set<String> sections = new LinkedHashSet<>();
        if (c.argc() == 1) {
            sections.addAll(DEFAULT);
        }
        for (int i = 1; i < c.argc(); i++) {
            String s = c.argLower(i);
            switch (s) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(s);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String section : ALL) {
            if (sections.contains(section)) {
                if (b.length() > 0) {
                    b.append("\r\n");
                }
                section(c.server, section, b);
            }
        }
        c.reply.verbatim(b.toString());
    }

    private static void section(Server s, String name, StringBuilder b) {
        switch (name) {
            case "server" -> server(s, b);
            case "clients" -> clients(s, b);
            case "memory" -> memory(s, b);
            case "persistence" -> persistence(s, b);
            case "stats" -> stats(s, b);
            case "replication" -> replication(s, b);
            case "cpu" -> cpu(b);
            case "modules" -> b.append("# Modules\r\n");
            case "commandstats" -> commandstats(s, b);
            case "errorstats" -> errorstats(s, b);
            case "latencystats" -> latencystats(s, b);
            case "cluster" -> b.append("# Cluster\r\ncluster_enabled:0\r\n");
            case "keyspace" -> keyspace(s, b);
            default -> throw new IllegalArgumentException(name);
        }
    }

    static void field(StringBuilder b, String name, Object value) {
        b.append(name).append(':').append(value).append("\r\n");
    }

    private static void server(Server s, StringBuilder b) {
        long now = System.currentTimeMillis();
        long uptime = (now - s.startMillis) / 1000;
        b.append("# Server\r\n");
        field(b, "redis_version", Server.REDIS_VERSION);
        field(b, "redis_git_sha1", "00000000");
        field(b, "redis_git_dirty", 0);
        field(b, "redis_build_id", "cascade-" + Server.VERSION);
        field(b, "redis_mode", "standalone");
        field(b, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch").replace("amd64", "x86_64"));
        field(b, "arch_bits", 64);
        field(b, "monotonic_clock", "POSIX clock_gettime");
        field(b, "multiplexing_api", s.transport());
        field(b, "atomicvar_api", "java");
        field(b, "gcc_version", "0.0.0");
        field(b, "process_id", ProcessHandle.current().pid());
        field(b, "process_supervised", "no");
        field(b, "run_id", s.runId);
        field(b, "tcp_port", s.config.getInt("port"));
        field(b, "server_time_usec", now * 1000);
        field(b, "uptime_in_seconds", uptime);
        field(b, "uptime_in_days", uptime / 86400);
        field(b, "hz", s.config.getInt("hz"));
        field(b, "configured_hz", s.config.getInt("hz"));
        field(b, "lru_clock", (now / 1000) & ((1 << 24) - 1));
        field(b, "executable", ProcessHandle.current().info().command().orElse(""));
        field(b, "config_file", s.config.configFile() == null ? "" : s.config.configFile().toAbsolutePath());
        field(b, "io_threads_active", 0);
        field(b, "cascade_version", Server.VERSION);
    }

    private static void clients(Server s, StringBuilder b) {
        b.append("# Clients\r\n");
        field(b, "connected_clients", s.clients.count());
        field(b, "cluster_connections", 0);
        field(b, "maxclients", s.config.getInt("maxclients"));
        field(b, "client_recent_max_input_buffer", 0);
        field(b, "client_recent_max_output_buffer", 0);
        field(b, "blocked_clients", s.blocking.blockedCount());
        field(b, "tracking_clients", 0);
        field(b, "clients_in_timeout_table", s.blocking.timeoutCount());
    }

    private static void memory(Server s, StringBuilder b) {
        UsedMemory m = s.usedMemory;
        Runtime rt = Runtime.getRuntime();
        long used = m.used();
        long peak = m.peak();
        long startup = s.initialMemoryUsage;
        long overhead = m.overhead();
        long dataset = used - overhead;
        long rss = rss();
        // the allocator is the JVM heap: in use (garbage included), committed, and at most the RSS of it resident
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long committed = rt.totalMemory();
        long resident = rss == 0 ? committed : Math.min(committed, rss);
        long maxmemory = s.config.getMemory("maxmemory");
        b.append("# Memory\r\n");
        field(b, "used_memory", used);
        field(b, "used_memory_human", MemoryUnits.bytesToHuman(used));
        field(b, "used_memory_rss", rss);
        field(b, "used_memory_rss_human", MemoryUnits.bytesToHuman(rss));
        field(b, "used_memory_peak", peak);
        field(b, "used_memory_peak_human", MemoryUnits.bytesToHuman(peak));
        field(b, "used_memory_peak_perc", percent(used, peak));
        field(b, "used_memory_overhead", overhead);
        field(b, "used_memory_startup", startup);
        field(b, "used_memory_dataset", dataset);
        field(b, "used_memory_dataset_perc", percent(dataset, used - startup));
        field(b, "allocator_allocated", heapUsed);
        field(b, "allocator_active", committed);
        field(b, "allocator_resident", resident);
        field(b, "total_system_memory", totalSystemMemory());
        field(b, "total_system_memory_human", MemoryUnits.bytesToHuman(totalSystemMemory()));
        // the scripting engines, in Redis's order (the two Lua heaps, the caches and function libraries)
        long evalVm = s.scripting.luaMemory();
        long functionsVm = s.functions.luaMemory();
        field(b, "used_memory_lua", evalVm);
        field(b, "used_memory_vm_eval", evalVm);
        field(b, "used_memory_lua_human", MemoryUnits.bytesToHuman(evalVm));
        field(b, "used_memory_scripts_eval", s.scripting.scriptsMemory());
        field(b, "number_of_cached_scripts", s.scripting.scriptCount());
        field(b, "number_of_functions", s.functions.functionCount());
        field(b, "number_of_libraries", s.functions.libraryCount());
        field(b, "used_memory_vm_functions", functionsVm);
        field(b, "used_memory_vm_total", evalVm + functionsVm);
        field(b, "used_memory_vm_total_human", MemoryUnits.bytesToHuman(evalVm + functionsVm));
        long scripts = s.scripting.scriptsMemory() + s.functions.overheadMemory();
        field(b, "used_memory_functions", s.functions.overheadMemory());
        field(b, "used_memory_scripts", scripts);
        field(b, "used_memory_scripts_human", MemoryUnits.bytesToHuman(scripts));
        field(b, "maxmemory", Long.toUnsignedString(maxmemory));
        field(b, "maxmemory_human", MemoryUnits.bytesToHuman(maxmemory));
        field(b, "maxmemory_policy", s.config.getEnum("maxmemory-policy"));
        field(b, "allocator_frag_ratio", ratio(committed, heapUsed));
        field(b, "allocator_frag_bytes", committed - heapUsed);
        field(b, "allocator_rss_ratio", ratio(resident, committed));
        field(b, "allocator_rss_bytes", resident - committed);
        field(b, "rss_overhead_ratio", ratio(rss, resident));
        field(b, "rss_overhead_bytes", rss - resident);
        field(b, "mem_fragmentation_ratio", ratio(rss, used));
        field(b, "mem_fragmentation_bytes", rss - used);
        field(b, "mem_not_counted_for_evict", m.notCountedForEviction());
        Backlog backlog = s.downstream.backlog();
        // one buffer for the backlog and the replicas: what exceeds repl-backlog-size counts as the replicas'
        long replBuffers = backlog == null ? 0 : backlog.memory();
        long backlogSize = s.config.getMemory("repl-backlog-size");
        boolean excess = !s.downstream.sessions().isEmpty() && replBuffers > backlogSize;
        field(b, "mem_replication_backlog", excess ? backlogSize : replBuffers);
        field(b, "mem_total_replication_buffers", replBuffers);
        field(b, "mem_clients_slaves", excess ? replBuffers - backlogSize : 0);
        field(b, "mem_clients_normal", m.clientBuffers());
        field(b, "mem_cluster_links", 0);
        field(b, "mem_aof_buffer", 0);
        field(b, "mem_allocator", "jvm-" + System.getProperty("java.version"));
        field(b, "active_defrag_running", 0);
        field(b, "lazyfree_pending_objects", 0);
        field(b, "lazyfreed_objects", 0);
        field(b, "jvm_heap_used", heapUsed);
        field(b, "jvm_heap_max", rt.maxMemory());
    }

    /** "%.2f%%" of part over whole, 0 when whole is 0 (Redis's INFO percentages). */
    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.2f%%", whole <= 0 ? 0.0 : (double) part * 100 / whole);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private static void persistence(Server s, StringBuilder b) {
        b.append("# Persistence\r\n");
        Persistence p = s.persistence;
        field(b, "loading", p.loading ? 1 : 0);
        field(b, "async_loading", s.replica.asyncLoading ? 1 : 0);
        // no fork, so nothing is copied on write: the snapshot keeps only the chunks not yet on disk
        field(b, "current_cow_peak", 0);
        field(b, "current_cow_size", 0);
        field(b, "current_cow_size_age", 0);
        field(b, "current_fork_perc", p.keysTotal() == 0 ? "0.00"
                : String.format(Locale.ROOT, "%.2f", 100.0 * p.keysProcessed() / p.keysTotal()));
        field(b, "current_save_keys_processed", p.keysProcessed());
        field(b, "current_save_keys_total", p.keysTotal());
        field(b, "rdb_changes_since_last_save", s.dirty);
        field(b, "rdb_bgsave_in_progress", p.snapshotInProgress() ? 1 : 0);
        field(b, "rdb_last_save_time", p.lastSaveSeconds);
        field(b, "rdb_last_bgsave_status", p.lastBgsaveOk ? "ok" : "err");
        field(b, "rdb_last_bgsave_time_sec", p.lastBgsaveSeconds);
        field(b, "rdb_current_bgsave_time_sec", p.currentBgsaveSeconds());
        field(b, "rdb_saves", p.saves);
        field(b, "rdb_last_cow_size", 0);
        field(b, "rdb_last_load_keys_expired", p.lastLoadKeysExpired);
        field(b, "rdb_last_load_keys_loaded", p.lastLoadKeysLoaded);
        field(b, "aof_enabled", 0);
        field(b, "aof_rewrite_in_progress", 0);
        field(b, "aof_rewrite_scheduled", 0);
        field(b, "aof_last_rewrite_time_sec", -1);
        field(b, "aof_current_rewrite_time_sec", -1);
        field(b, "aof_last_bgrewrite_status", "ok");
        field(b, "aof_rewrites", 0);
        field(b, "aof_rewrites_consecutive_failures", 0);
        field(b, "aof_last_write_status", "ok");
        field(b, "aof_last_cow_size", 0);
        field(b, "module_fork_in_progress", 0);
        field(b, "module_fork_last_cow_size", 0);
        if (p.loading) {
            long elapsed = System.currentTimeMillis() / 1000 - p.loadingStartSeconds;
            long total = p.loadingTotalBytes;
            long loaded = p.loadingLoadedBytes;
            field(b, "loading_start_time", p.loadingStartSeconds);
            field(b, "loading_total_bytes", total);
            field(b, "loading_rdb_used_mem", 0);
            field(b, "loading_loaded_bytes", loaded);
            field(b, "loading_loaded_perc", String.format(Locale.ROOT, "%.2f",
                    total == 0 ? 0.0 : 100.0 * loaded / total));
            // loadingGenericProgress's estimate: the time so far, scaled by the bytes still to read
            field(b, "loading_eta_seconds", elapsed == 0 ? 1 : elapsed * Math.max(1, total - loaded) / (loaded + 1));
        }
    }

    private static void stats(Server s, StringBuilder b) {
        Stats st = s.stats;
        b.append("# Stats\r\n");
        field(b, "total_connections_received", st.connectionsReceived.get());
        field(b, "total_commands_processed", st.commandsProcessed);
        field(b, "instantaneous_ops_per_sec", st.instantaneousOps());
        field(b, "total_net_input_bytes", st.netInputBytes.get());
        field(b, "total_net_output_bytes", st.netOutputBytes.get());
        field(b, "total_net_repl_input_bytes", 0);
        field(b, "total_net_repl_output_bytes", 0);
        field(b, "instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousInputKbps()));
        field(b, "instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", st.instantaneousOutputKbps()));
        field(b, "instantaneous_input_repl_kbps", "0.00");
        field(b, "instantaneous_output_repl_kbps", "0.00");
        field(b, "rejected_connections", st.rejectedConnections.get());
        field(b, "sync_full", s.downstream.syncFull);
        field(b, "sync_partial_ok", s.downstream.syncPartialOk);
        field(b, "sync_partial_err", s.downstream.syncPartialErr);
        field(b, "expired_keys", st.expiredKeys);
        field(b, "expired_stale_perc", String.format(Locale.ROOT, "%.2f", st.expiredStalePerc * 100));
        field(b, "expired_time_cap_reached_count", st.expiredTimeCapReached);
        field(b, "expire_cycle_cpu_milliseconds", st.expireCycleNanos / 1_000_000);
        field(b, "evicted_keys", s.evictions.evictedKeys);
        field(b, "evicted_clients", 0);
        field(b, "total_eviction_exceeded_time", s.evictions.totalExceededMillis());
        field(b, "current_eviction_exceeded_time", s.evictions.currentExceededMillis());
        field(b, "keyspace_hits", st.keyspaceHits);
        field(b, "keyspace_misses", st.keyspaceMisses);
        field(b, "pubsub_channels", s.pubsub.channelCount(PubSub.Kind.GLOBAL));
        field(b, "pubsub_patterns", s.pubsub.numpat());
        field(b, "pubsubshard_channels", s.pubsub.channelCount(PubSub.Kind.SHARD));
        field(b, "latest_fork_usec", 0);
        field(b, "total_forks", 0);
        field(b, "migrate_cached_sockets", s.migrateSockets.cachedCount());
        long tracked = 0;
        for (int i = 0; i < s.databases.count(); i++) {
            tracked += s.databases.db(i).ownExpiresTracked();
        }
        field(b, "slave_expires_tracked_keys", tracked);
        // no active defragmentation (the JVM's collector compacts) and no client-side caching (CLIENT TRACKING):
        // reported as an idle Redis reports them
        for (String name : new String[] {"active_defrag_hits", "active_defrag_misses", "active_defrag_key_hits",
                "active_defrag_key_misses", "total_active_defrag_time", "current_active_defrag_time",
                "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"}) {
            field(b, name, 0);
        }
        field(b, "unexpected_error_replies", st.unexpectedErrorReplies);
        field(b, "total_error_replies", st.totalErrorReplies);
        field(b, "total_reads_processed", st.readsProcessed.get());
        field(b, "total_writes_processed", st.writesProcessed);
        // no I/O threads and no reply buffers resized by a cron: as a Redis with io-threads 1 and idle clients
        field(b, "io_threaded_reads_processed", 0);
        field(b, "io_threaded_writes_processed", 0);
        field(b, "reply_buffer_shrinks", 0);
        field(b, "reply_buffer_expands", 0);
    }

    private static void replication(Server s, StringBuilder b) {
        b.append("# Replication\r\n");
        Replica r = s.replica;
        field(b, "role", r.isReplica() ? "slave" : "master");
        if (r.isReplica()) {
            ReplicaInfo.append(s, b);
        }
        List<ReplicaSession> replicas = s.downstream.sessions();
        field(b, "connected_slaves", replicas.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < replicas.size(); i++) {
            field(b, "slave" + i, replicas.get(i).infoLine(now));
        }
        if (!r.isReplica() && s.config.getLong("min-replicas-to-write") > 0
                && s.config.getLong("min-replicas-max-lag") > 0) {
            field(b, "min_slaves_good_slaves", s.downstream.goodReplicas(s.config.getLong("min-replicas-max-lag")));
        }
        field(b, "master_failover_state", s.failover.state().infoName);
        field(b, "master_replid", r.repl.replid);
        field(b, "master_replid2", r.repl.replid2);
        field(b, "master_repl_offset", r.repl.masterReplOffset);
        field(b, "second_repl_offset", r.repl.secondReplidOffset);
        Backlog backlog = s.downstream.backlog();
        field(b, "repl_backlog_active", backlog != null ? 1 : 0);
        field(b, "repl_backlog_size", s.config.getMemory("repl-backlog-size"));
        field(b, "repl_backlog_first_byte_offset", backlog != null ? backlog.firstByteOffset() : 0);
        field(b, "repl_backlog_histlen", backlog != null ? backlog.histlen() : 0);
    }

    private static void cpu(StringBuilder b) {
        long[] process = processCpuTicks();
        // INFO runs on the command thread, Cascade's "main thread"
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long mainTotal = threads.getCurrentThreadCpuTime();
        long mainUser = threads.getCurrentThreadUserTime();
        b.append("# CPU\r\n");
        field(b, "used_cpu_sys", seconds(process[1]));
        field(b, "used_cpu_user", seconds(process[0]));
        field(b, "used_cpu_sys_children", "0.000000");
        field(b, "used_cpu_user_children", "0.000000");
        field(b, "used_cpu_sys_main_thread", nanos(Math.max(0, mainTotal - mainUser)));
        field(b, "used_cpu_user_main_thread", nanos(Math.max(0, mainUser)));
    }

    private static void commandstats(Server s, StringBuilder b) {
        b.append("# Commandstats\r\n");
        for (Map.Entry<CommandSpec, CommandStats> e : s.commandStats().entrySet()) {
            CommandStats cs = e.getValue();
            if (cs.calls == 0 && cs.rejected == 0 && cs.failed == 0) {
                continue;
            }
            b.append("cmdstat_").append(e.getKey().fullName).append(":calls=").append(cs.calls)
                    .append(",usec=").append(cs.micros)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f",
                            cs.calls == 0 ? 0.0 : (double) cs.micros / cs.calls))
                    .append(",rejected_calls=").append(cs.rejected)
                    .append(",failed_calls=").append(cs.failed).append("\r\n");
        }
    }

    /** genRedisInfoStringLatencyStats: each command's latency percentiles (latency-tracking-info-percentiles). */
    private static void latencystats(Server s, StringBuilder b) {
        b.append("# Latencystats\r\n");
        if (!s.latency.tracking()) {
            return;
        }
        List<Double> percentiles = s.config.latencyTrackingPercentiles();
        for (CommandSpec spec : s.commands.all()) {
            latencystats(s, spec, percentiles, b);
            for (CommandSpec sub : spec.subcommands().values()) {
                latencystats(s, sub, percentiles, b);
            }
        }
    }

    private static void latencystats(Server s, CommandSpec spec, List<Double> percentiles, StringBuilder b) {
        CommandStats cs = s.commandStats().get(spec);
        if (cs == null || cs.latency == null) {
            return;
        }
        b.append("latency_percentiles_usec_").append(spec.fullName).append(':');
        for (int j = 0; j < percentiles.size(); j++) {
            double p = percentiles.get(j);
            // "%f" with trailing zeros (and a trailing point) trimmed: 50, 99, 99.9
            String name = String.format(Locale.ROOT, "%f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
            b.append('p').append(name).append('=')
                    .append(String.format(Locale.ROOT, "%.3f", cs.latency.valueAtPercentile(p) / 1000.0));
            if (j != percentiles.size() - 1) {
                b.append(',');
            }
        }
        b.append("\r\n");
    }

    private static void errorstats(Server s, StringBuilder b) {
        b.append("# Errorstats\r\n");
        for (Map.Entry<String, Long> e : s.stats.errorCodes.entrySet()) {
            b.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
        }
    }

    private static void keyspace(Server s, StringBuilder b) {
        b.append("# Keyspace\r\n");
        for (int i = 0; i < s.databases.count(); i++) {
            Keyspace ks = s.databases.db(i);
            if (ks.size() > 0) {
                b.append("db").append(i).append(":keys=").append(ks.size()).append(",expires=")
                        .append(ks.expiresCount()).append(",avg_ttl=0\r\n");
            }
        }
    }

    // ---- process figures from /proc (Linux), zero elsewhere ----

    private static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (Exception e) {
            return 0;
        }
    }

    private static long totalSystemMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return 0;
    }

    /** utime and stime of this process, in clock ticks (fields 14 and 15 of /proc/self/stat). */
    private static long[] processCpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    private static String seconds(long ticks) {
        return String.format(Locale.ROOT, "%.6f", ticks / 100.0);
    }

    private static String nanos(long ns) {
        return String.format(Locale.ROOT, "%.6f", ns / 1e9);
    }

}
