package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.server.command.CommandException;
import io.cascade.server.command.CommandTable;
import io.cascade.server.command.Errors;
import io.cascade.storage.rdb.Listpack;
import io.cascade.storage.rdb.RdbValueWriter;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.Jemalloc;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.StreamConsumer;
import io.cascade.storage.types.StreamGroup;

import java.util.List;

import static io.cascade.server.command.CommandTable.cmd;

/**
 * MEMORY USAGE, HELP, DOCTOR, MALLOC-STATS and PURGE. MEMORY USAGE answers with what Redis 7.0 would allocate
 * for the same key and value (objectComputeSize's model: robj, sds and dict entry sizes rounded to jemalloc's
 * size classes, listpack/intset blobs, sampled collections), so tools that rank keys by it rank them as they
 * would on Redis; Cascade's own layout (docs/storage.md) is more compact for small values. Command thread.
 */
public final class MemoryCommands {
    private static final int ROBJ = 16;
    private static final int DICT_ENTRY = 24;
    private static final int DICT = 56;
    private static final int QUICKLIST = 48;
    private static final int QUICKLIST_NODE = 32;
    private static final String SHARD_TIPS = "nondeterministic_output request_policy:all_shards response_policy:special";

    private MemoryCommands() {
    }

    public static void register(CommandTable t) {
        t.add(cmd("memory", -2, "", null)
                .doc("A container for memory diagnostics commands", "4.0.0", "server", "Depends on subcommand.", null)
                .sub(cmd("usage", -3, "readonly", MemoryCommands::usage).keys(2, 2, 1, "RO")
                        .doc("Estimate the memory usage of a key", "4.0.0", "server",
                                "O(N) where N is the number of samples.", "key:key [SAMPLES count:integer]"))
                .sub(cmd("stats", 2, "", MemoryStats::stats).tips(SHARD_TIPS)
                        .doc("Show memory usage details", "4.0.0", "server", "O(1)", null))
                .sub(cmd("doctor", 2, "", c -> c.reply.verbatim(MemoryStats.doctor(c.server))).tips(SHARD_TIPS)
                        .doc("Outputs memory problems report", "4.0.0", "server", "O(1)", null))
                .sub(cmd("malloc-stats", 2, "", c -> c.reply.bulk("Stats not supported for the current allocator"))
                        .tips(SHARD_TIPS).doc("Show allocator internal stats", "4.0.0", "server",
                                "Depends on how much memory is allocated, could be slow", null))
                .sub(cmd("purge", 2, "", CommandContext::ok)
                        .tips("request_policy:all_shards response_policy:all_succeeded")
                        .doc("Ask the allocator to release memory", "4.0.0", "server",
                                "Depends on how much memory is allocated, could be slow", null))
                .sub(cmd("help", 2, "loading stale", MemoryCommands::help)
                        .doc("Show helpful text about the different subcommands", "4.0.0", "server", "O(1)", null)));
    }

    static void help(CommandContext c) {
        c.help("DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }

    static void usage(CommandContext c) {
        long samples = 5;
        for (int i = 3; i < c.argc(); i++) {
            if (c.argIs(i, "samples") && i + 1 < c.argc()) {
                samples = c.longArg(++i);
                if (samples < 0) {
                    throw new CommandException(Errors.SYNTAX);
                }
                if (samples == 0) {
                    samples = Long.MAX_VALUE;
                }
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        Object v = c.db().peek(c.argv[2]); // dictFind: no expiry check, as Redis
        if (v == null) {
            c.reply.nullBulk();
            return;
        }
        long value = v instanceof byte[] s && c.db().builtInPlace(c.argv[2]) ? ROBJ + sds(s.length)
                : valueSize(v, samples);
        c.reply.integer(value + sds(c.argv[2].length) + DICT_ENTRY);
    }

    /**
     * objectComputeSize for the value as Redis 7.0 would encode it (a string by its bytes: a string built in
     * place is raw, robj and sds apart, whatever its bytes).
     */
    static long valueSize(Object v, long samples) {
        if (v instanceof byte[] s) {
            if (s.length <= 20 && Ints.parse(s) != null) {
                return ROBJ;
            }
            // embstr: robj and sds header in one allocation; raw: two
            return s.length <= 44 ? jemalloc(ROBJ + 3 + s.length + 1) : ROBJ + sds(s.length);
        }
        if (v instanceof RList l) {
            List<byte[]> nodes = RdbValueWriter.quicklistNodes(l);
            long sum = 0;
            int n = 0;
            for (byte[] node : nodes) {
                if (n++ >= samples) {
                    break;
                }
                sum += QUICKLIST_NODE + jemalloc(node.length);
            }
            return ROBJ + QUICKLIST + (n == 0 ? 0 : (long) ((double) sum / n * nodes.size())); // ql->len counts nodes
        }
        if (v instanceof RSet s) {
            if (s.isIntset()) {
                return ROBJ + jemalloc(8 + (long) s.size() * intsetWidth(s));
            }
            long[] acc = new long[2];
            long limit = samples;
            s.forEach(m -> {
                if (acc[1] < limit) {
                    acc[0] += DICT_ENTRY + sds(m.length);
                    acc[1]++;
                }
            });
            return ROBJ + DICT + 8L * slots(s.size()) + (acc[1] == 0 ? 0 : (long) ((double) acc[0] / acc[1] * s.size()));
        }
        if (v instanceof RHash h) {
            if (!h.isHashtable()) {
                long[] bytes = {7};
                h.forEach((f, val) -> bytes[0] += Listpack.entrySize(f) + Listpack.entrySize(val));
                return ROBJ + jemalloc(bytes[0]);
            }
            long[] acc = new long[2];
            long limit = samples;
            h.forEach((f, val) -> {
                if (acc[1] < limit) {
                    acc[0] += sds(f.length) + sds(val.length) + DICT_ENTRY;
                    acc[1]++;
                }
            });
            return ROBJ + DICT + 8L * slots(h.size()) + (acc[1] == 0 ? 0 : (long) ((double) acc[0] / acc[1] * h.size()));
        }
        if (v instanceof RStream st) {
            return streamSize(st, samples);
        }
        return ROBJ; // sorted sets are not stored by Cascade yet
    }

    /**
     * objectComputeSize of a stream: robj and stream structs, the radix tree (streamRadixTreeMemoryUsage), the
     * node listpacks' allocations (the first samples averaged over all but the last, plus the last), and per
     * group its struct, PEL tree and NACKs, per consumer its struct, name and PEL tree.
     */
    private static long streamSize(RStream s, long samples) {
        long size = ROBJ + 80 + raxUsage(s.nodeCount(), RaxNodes.count(s.nodes().keySet()));
        long[] lps = s.nodeAllocations();
        long sampled = 0;
        int n = 0;
        while (n < samples && n < lps.length) {
            sampled += lps[n++];
        }
        if (lps.length <= n) {
            size += sampled;
        } else {
            size += (n == 0 ? 0 : sampled / n) * (lps.length - 1) + lps[lps.length - 1];
        }
        for (StreamGroup g : s.groups().values()) {
            size += 40 + raxUsage(g.pel().size(), RaxNodes.count(g.pel().keySet())) + 24L * g.pel().size();
            for (StreamConsumer c : g.consumers().values()) {
                size += 24 + c.name().length + raxUsage(c.pel().size(), RaxNodes.count(c.pel().keySet()));
            }
        }
        return size;
    }

    /** streamRadixTreeMemoryUsage: 16 bytes per key, a 4-byte header and 30 words per node (sizeof(rax) is lost). */
    private static long raxUsage(long keys, long nodes) {
        return keys * 16 + nodes * 4 + nodes * 8 * 30;
    }

    private static int intsetWidth(RSet s) {
        int[] width = {2};
        s.forEach(m -> {
            long x = Ints.parse(m);
            if (x < Short.MIN_VALUE || x > Short.MAX_VALUE) {
                width[0] = Math.max(width[0], x < Integer.MIN_VALUE || x > Integer.MAX_VALUE ? 8 : 4);
            }
        });
        return width[0];
    }

    /** A dict's bucket count: the next power of two at or above its size (4 at least), as _dictExpand. */
    private static long slots(long size) {
        return Math.max(4, Long.highestOneBit(Math.max(1, size - 1)) << 1);
    }

    /** An sds string of len bytes: the smallest header that fits, the bytes and the terminator, allocated. */
    private static long sds(long len) {
        int header = len < 32 ? 1 : len < 256 ? 3 : len < 65536 ? 5 : len < (1L << 32) ? 9 : 17;
        return jemalloc(header + len + 1);
    }

    /** jemalloc's size class for n bytes: 8, multiples of 16 up to 128, then four classes per doubling. */
    static long jemalloc(long n) {
        return Jemalloc.usable(n);
    }
}
