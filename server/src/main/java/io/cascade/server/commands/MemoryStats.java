package io.cascade.server.commands;

import io.cascade.replication.Backlog;
import io.cascade.server.Server;
import io.cascade.server.command.CommandContext;
import io.cascade.storage.Keyspace;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MEMORY STATS with Redis 7.0's fields in Redis's order (getMemoryOverheadData): total.allocated is INFO's
 * used_memory (UsedMemory), the allocator is the JVM heap (allocator.allocated the heap in use, allocator.active
 * the committed heap), the process figures are read from /proc, and the per-database hash-table overheads follow
 * Redis's model of its dicts (entry, bucket and robj sizes), as MEMORY USAGE does. Buffers Cascade does not have
 * (AOF, cluster links) are 0.
 * Command thread.
 */
final class MemoryStats {
    private static final int DICT_ENTRY = 24;
    private static final int BUCKET = 8;
    private static final int ROBJ = 16;

    private MemoryStats() {
    }

    static void stats(CommandContext c) {
        Server s = c.server;
        Runtime rt = Runtime.getRuntime();
        long used = s.usedMemory.used();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        long committed = rt.totalMemory();
        long rss = rss();
        // the committed heap is not all touched yet: what of it is resident is at most the process's RSS
        long resident = rss == 0 ? committed : Math.min(committed, rss);
        long peak = s.usedMemory.peak();
        long startup = s.initialMemoryUsage;
        Backlog backlog = s.downstream.backlog();
        long replBacklog = backlog == null ? 0 : backlog.histlen();

        long overhead = s.usedMemory.overhead();
        int dbs = 0;
        long keys = 0;
        long[][] perDb = new long[s.databases.count()][];
        for (int i = 0; i < s.databases.count(); i++) {
            Keyspace db = s.databases.db(i);
            long n = db.size();
            if (n == 0) {
                continue;
            }
            long expires = db.expiresCount();
            long main = n * DICT_ENTRY + slots(n) * BUCKET + n * ROBJ;
            long exp = expires == 0 ? 0 : expires * DICT_ENTRY + slots(expires) * BUCKET;
            perDb[i] = new long[] {main, exp};
            overhead += main + exp;
            keys += n;
            dbs++;
        }
        long dataset = Math.max(0, used - overhead);
        long net = used > startup ? used - startup : 1;

        c.reply.map(27 + dbs);
        field(c, "peak.allocated", peak);
        field(c, "total.allocated", used);
        field(c, "startup.allocated", startup);
        field(c, "replication.backlog", replBacklog);
        field(c, "clients.slaves", 0);
        field(c, "clients.normal", s.usedMemory.clientBuffers());
        field(c, "cluster.links", 0);
        field(c, "aof.buffer", 0);
        field(c, "lua.caches", s.scripting.scriptsMemory());
        field(c, "functions.caches", s.functions.overheadMemory());
        for (int i = 0; i < perDb.length; i++) {
            if (perDb[i] == null) {
                continue;
            }
            c.reply.bulk("db." + i);
            c.reply.map(3);
            field(c, "overhead.hashtable.main", perDb[i][0]);
            field(c, "overhead.hashtable.expires", perDb[i][1]);
            field(c, "overhead.hashtable.slot-to-keys", 0);
        }
        field(c, "overhead.total", overhead);
        field(c, "keys.count", keys);
        field(c, "keys.bytes-per-key", keys == 0 ? 0 : net / keys);
        field(c, "dataset.bytes", dataset);
        // Redis computes these percentages and ratios in float
        ratio(c, "dataset.percentage", (float) dataset * 100 / net);
        ratio(c, "peak.percentage", peak == 0 ? 0 : (float) used * 100 / peak);
        field(c, "allocator.allocated", heapUsed);
        field(c, "allocator.active", committed);
        field(c, "allocator.resident", resident);
        ratio(c, "allocator-fragmentation.ratio", heapUsed == 0 ? 0 : (float) committed / heapUsed);
        field(c, "allocator-fragmentation.bytes", committed - heapUsed);
        ratio(c, "allocator-rss.ratio", committed == 0 ? 0 : (float) resident / committed);
        field(c, "allocator-rss.bytes", resident - committed);
        ratio(c, "rss-overhead.ratio", resident == 0 ? 0 : (float) rss / resident);
        field(c, "rss-overhead.bytes", rss - resident);
        ratio(c, "fragmentation", used == 0 ? 0 : (float) rss / used);
        field(c, "fragmentation.bytes", rss - used);
    }

    /**
     * MEMORY DOCTOR (getMemoryDoctorReport) on the checks that mean the same on the JVM: an almost empty
     * instance and a past peak; the fragmentation checks measure jemalloc and are left out.
     */
    static String doctor(Server s) {
        long used = s.usedMemory.used();
        long peak = s.usedMemory.peak();
        // Redis's check is used memory under 5 MB, of which under 1 MB is its startup: the JVM starts larger
        if (used - s.initialMemoryUsage < 4 * 1024 * 1024) {
            return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used "
                    + "in these conditions. Please, leave for your mission on Earth and fill it with some data. The new "
                    + "Sam and I will be back to our programming as soon as I finished rebooting.\n";
        }
        if ((float) peak / used > 1.5) {
            return "Sam, I detected a few issues in this Redis instance memory implants:\n\n"
                    + " * Peak memory: In the past this instance used more than 150% the memory that is currently "
                    + "using. The allocator is normally not able to release memory after a peak, so you can expect to "
                    + "see a big fragmentation ratio, however this is actually harmless and is only due to the memory "
                    + "peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the "
                    + "memory will be used as soon as you fill the Redis instance with more data. If the memory peak "
                    + "was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, "
                    + "otherwise the only other option is to shutdown and restart the instance.\n\n"
                    + "I'm here to keep you safe, Sam. I want to help you.\n";
        }
        return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this "
                + "base.\n";
    }

    /** A dict's bucket count for n entries: Redis grows it to the next power of two, from 4. */
    private static long slots(long n) {
        long size = 4;
        while (size < n) {
            size <<= 1;
        }
        return size;
    }

    private static void field(CommandContext c, String name, long value) {
        c.reply.bulk(name);
        c.reply.integer(value);
    }

    private static void ratio(CommandContext c, String name, float value) {
        c.reply.bulk(name);
        c.reply.doubleReply(value);
    }

    /** The process's resident set (/proc/self/statm), as INFO's used_memory_rss. */
    static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (Exception e) {
            return 0;
        }
    }
}
