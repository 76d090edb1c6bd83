package io.cascade.server.commands;

import io.cascade.server.command.CommandContext;
import io.cascade.storage.AccessClock;
import io.cascade.storage.rdb.RdbValueWriter;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * DEBUG OBJECT key: Redis's one-line description of a value ("Value at:0x... refcount:1 encoding:... serializedlength:N
 * lru:N lru_seconds_idle:N", plus the quicklist fields for a list). What Cascade cannot know is stated here:
 * the address is a stable made-up one per key (tests only compare it across in-place changes). lru is the raw
 * 24-bit access field and lru_seconds_idle the idle time computed from it as an LRU clock, under an LFU policy
 * too, as Redis does. Command thread.
 */
final class DebugObject {
    /** Redis's OBJ_SHARED_REFCOUNT: the refcount of the shared integers 0..9999. */
    private static final int SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final int SHARED_INTEGERS = 10000;

    private DebugObject() {
    }

    static void reply(CommandContext c) {
        byte[] key = c.argv[2];
        Object value = c.db().peek(key); // dictFind: no expiry check, as Redis
        if (value == null) {
            c.reply.error("ERR no such key");
            return;
        }
        String encoding = value instanceof RValue v ? v.encoding()
                : ObjectCommand.stringEncoding((byte[]) value, c.db().builtInPlace(key));
        int refcount = encoding.equals("int") && shared(c, (byte[]) value) ? SHARED_REFCOUNT : 1;
        int lru = c.db().lruField(key);
        StringBuilder b = new StringBuilder("Value at:").append(address(c.client.db, key))
                .append(" refcount:").append(refcount)
                .append(" encoding:").append(encoding)
                .append(" serializedlength:").append(RdbValueWriter.serializedLength(value, c.server.config.getBool("rdbcompression")))
                .append(" lru:").append(lru)
                .append(" lru_seconds_idle:").append(AccessClock.idleMillis(lru) / 1000);
        if (value instanceof RList list) {
            List<byte[]> nodes = RdbValueWriter.quicklistNodes(list);
            long size = 0;
            for (byte[] n : nodes) {
                size += n.length;
            }
            b.append(" ql_nodes:").append(nodes.size())
                    .append(" ql_avg_node:").append(String.format(Locale.ROOT, "%.2f", (double) list.size() / Math.max(1, nodes.size())))
                    .append(" ql_listpack_max:").append(EncodingLimits.listMaxListpackSize)
                    .append(" ql_compressed:").append(EncodingLimits.listCompressDepth != 0 ? 1 : 0)
                    .append(" ql_uncompressed_size:").append(size);
        }
        c.reply.simple(b.toString());
    }

    /** Small integers are Redis's shared objects unless an LRU/LFU maxmemory policy needs per-key clocks. */
    private static boolean shared(CommandContext c, byte[] s) {
        long v = Ints.parse(s);
        if (v < 0 || v >= SHARED_INTEGERS) {
            return false;
        }
        String policy = c.server.config.getEnum("maxmemory-policy");
        return c.server.config.getMemory("maxmemory") == 0 || !(policy.contains("lru") || policy.contains("lfu"));
    }

    /** A stable pointer-like text for the key's value ("%p" of a heap address in Redis). */
    private static String address(int db, byte[] key) {
        long h = 31L * Arrays.hashCode(key) + db;
        h = (h ^ (h >>> 29)) * 0xbf58476d1ce4e5b9L;
        return "0x7f" + String.format(Locale.ROOT, "%010x", (h >>> 24) & 0xfffffffff8L);
    }
}
