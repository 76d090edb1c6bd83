package io.cascade.storage.rdb;

import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.G17;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RStream;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes values in Redis 7.0's RDB object format (rdbSaveObjectType / rdbSaveObject): strings with their integer
 * and LZF encodings, lists as quicklists of listpack nodes, sets as intsets or plain sets, hashes as listpacks
 * or plain hashes, sorted sets as listpacks or skiplists (ZSET_2), streams as their nodes and groups
 * (StreamRdb). The bytes are those redis-server writes for the same value, except where Redis's layout
 * depends on history Cascade does not keep (noted at each place). Used by DUMP and, later, the RDB writer.
 * Not thread-safe: one writer per thread.
 */
public final class RdbValueWriter {
    /** quicklist's optimization_level: the node size limit for list-max-listpack-size -1 .. -5. */
    private static final int[] NODE_SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    private static final int SIZE_SAFETY_LIMIT = 8192;
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;
    private static final int MIN_COMPRESS_BYTES = 48;
    private static final int MIN_COMPRESS_IMPROVE = 8;

    private static final byte[] NEGATIVE_ZERO = {'-', '0'};

    private final ByteArrayOutputStream out;
    private final boolean compression;

    /** @param compression the rdbcompression setting: LZF for strings longer than 20 bytes */
    public RdbValueWriter(ByteArrayOutputStream out, boolean compression) {
        this.out = out;
        this.compression = compression;
    }

    /** DUMP's payload: type, value, the RDB version (2 bytes) and the CRC64 of all that (8 bytes), little endian. */
    public static byte[] dump(Object value, boolean compression) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        RdbValueWriter w = new RdbValueWriter(buf, compression);
        w.writeObjectType(value);
        w.writeObject(value);
        buf.write(RdbType.RDB_VERSION & 0xff);
        buf.write((RdbType.RDB_VERSION >>> 8) & 0xff);
        long crc = Crc64.of(buf.toByteArray());
        for (int i = 0; i < 8; i++) {
            buf.write((int) (crc >>> (8 * i)) & 0xff);
        }
        return buf.toByteArray();
    }

    public void writeObjectType(Object value) {
        if (value instanceof byte[]) {
            out.write(RdbType.STRING);
        } else if (value instanceof RList) {
            out.write(RdbType.LIST_QUICKLIST_2);
        } else if (value instanceof RSet s) {
            out.write(s.isIntset() ? RdbType.SET_INTSET : RdbType.SET);
        } else if (value instanceof RHash h) {
            out.write(h.isHashtable() ? RdbType.HASH : RdbType.HASH_LISTPACK);
        } else if (value instanceof RZSet z) {
            out.write(z.isSkiplist() ? RdbType.ZSET_2 : RdbType.ZSET_LISTPACK);
        } else if (value instanceof RStream) {
            out.write(RdbType.STREAM_LISTPACKS_2);
        } else {
            throw new IllegalArgumentException("no RDB encoding for " + value.getClass().getSimpleName());
        }
    }

    public void writeObject(Object value) {
        if (value instanceof byte[] s) {
            writeStringObject(s);
        } else if (value instanceof RList l) {
            writeList(l);
        } else if (value instanceof RSet s) {
            writeSet(s);
        } else if (value instanceof RHash h) {
            writeHash(h);
        } else if (value instanceof RZSet z) {
            writeZset(z);
        } else if (value instanceof RStream st) {
            StreamRdb.write(this, st);
        } else {
            throw new IllegalArgumentException("no RDB encoding for " + value.getClass().getSimpleName());
        }
    }

    /**
     * rdbSaveLen: 6 bits, 14 bits, or a marker byte and 32 or 64 bits big endian. len is unsigned (a stream's
     * IDs and a group's entries_read of -1 are written as 64-bit values).
     */
    public void writeLen(long len) {
        if (Long.compareUnsigned(len, 1 << 6) < 0) {
            out.write((int) len);
        } else if (Long.compareUnsigned(len, 1 << 14) < 0) {
            out.write((int) ((len >>> 8) | (RdbType.LEN_14BIT << 6)));
            out.write((int) (len & 0xff));
        } else if (Long.compareUnsigned(len, 0xffffffffL) <= 0) {
            out.write(RdbType.LEN_32BIT);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        } else {
            out.write(RdbType.LEN_64BIT);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)) & 0xff);
            }
        }
    }

    /** rdbWriteRaw: bytes as they are (a stream PEL's 16-byte IDs). */
    public void writeRaw(byte[] b) {
        out.write(b, 0, b.length);
    }

    /** rdbSaveMillisecondTime: 8 bytes little endian. */
    public void writeMillis(long ms) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (ms >>> (8 * i)) & 0xff);
        }
    }

    /**
     * A string value as rdbSaveStringObject writes it. A string Redis holds int-encoded (a canonical integer
     * of up to 20 characters) is written as an RDB integer when it fits 32 bits, else as its digits, uncompressed;
     * any other string as rdbSaveRawString.
     */
    public void writeStringObject(byte[] s) {
        Long v = s.length <= 20 ? Ints.parse(s) : null;
        if (v != null) {
            if (!writeEncodedInteger(v)) {
                writeLen(s.length);
                out.write(s, 0, s.length);
            }
            return;
        }
        writeString(s);
    }

    /** rdbSaveRawString: integer encoding for short canonical integers, LZF past 20 bytes, else verbatim. */
    public void writeString(byte[] s) {
        if (s.length <= 11) {
            Long v = Ints.parse(s);
            if (v != null && writeEncodedInteger(v)) {
                return;
            }
        }
        if (compression && s.length > 20) {
            byte[] c = Lzf.compress(s, s.length - 4);
            if (c != null) {
                writeLzfBlob(c, s.length);
                return;
            }
        }
        writeLen(s.length);
        out.write(s, 0, s.length);
    }

    private boolean writeEncodedInteger(long v) {
        int enc = RdbType.ENCVAL << 6;
        if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
            out.write(enc | RdbType.ENC_INT8);
            out.write((int) v & 0xff);
        } else if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
            out.write(enc | RdbType.ENC_INT16);
            out.write((int) v & 0xff);
            out.write((int) (v >>> 8) & 0xff);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(enc | RdbType.ENC_INT32);
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        } else {
            return false;
        }
        return true;
    }

    private void writeLzfBlob(byte[] compressed, int originalLen) {
        out.write((RdbType.ENCVAL << 6) | RdbType.ENC_LZF);
        writeLen(compressed.length);
        writeLen(originalLen);
        out.write(compressed, 0, compressed.length);
    }

    /**
     * A list as a quicklist of listpack nodes. Cascade keeps a list flat, so the nodes are cut where Redis cuts
     * them for a list built by RPUSH in order (list-max-listpack-size), and the inner nodes are LZF-compressed
     * as list-compress-depth asks. A list built otherwise (LPUSH, LINSERT, LREM...) has the same elements
     * but its node boundaries, and so its DUMP bytes, may differ from Redis's.
     */
    private void writeList(RList l) {
        List<byte[]> nodes = quicklistNodes(l);
        writeLen(nodes.size());
        int depth = EncodingLimits.listCompressDepth;
        int n = nodes.size();
        for (int i = 0; i < n; i++) {
            writeLen(RdbType.QUICKLIST_PACKED);
            byte[] lp = nodes.get(i);
            boolean inner = depth > 0 && n >= depth * 2 && i >= depth && i < n - depth;
            byte[] c = inner && lp.length >= MIN_COMPRESS_BYTES ? Lzf.compress(lp, lp.length) : null;
            if (c != null && c.length + MIN_COMPRESS_IMPROVE < lp.length) {
                writeLzfBlob(c, lp.length); // a compressed node is saved as is, whatever rdbcompression says
            } else {
                writeString(lp);
            }
        }
    }

    /**
     * The listpacks of the quicklist Redis 7.0 would hold this list in, built by pushing every element at the
     * tail (_quicklistNodeAllowInsert's limits); Redis's own layout also depends on the list's history.
     */
    public static List<byte[]> quicklistNodes(RList l) {
        int fill = EncodingLimits.listMaxListpackSize;
        List<byte[]> nodes = new ArrayList<>();
        Listpack.Builder cur = null;
        for (int i = 0; i < l.size(); i++) {
            byte[] e = l.get(i);
            if (cur == null || !allowInsert(cur, e.length, fill)) {
                if (cur != null) {
                    nodes.add(cur.build());
                }
                cur = new Listpack.Builder();
            }
            cur.append(e);
        }
        if (cur != null) {
            nodes.add(cur.build());
        }
        return nodes;
    }

    /** Redis's rdbSavedObjectLen: the bytes writeObject produces for the value (DEBUG OBJECT's serializedlength). */
    public static long serializedLength(Object value, boolean compression) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new RdbValueWriter(buf, compression).writeObject(value);
        return buf.size();
    }

    /** _quicklistNodeAllowInsert for a packed node. */
    private static boolean allowInsert(Listpack.Builder node, int sz, int fill) {
        long newSz = (long) node.bytes() + sz + SIZE_ESTIMATE_OVERHEAD;
        if (fill < 0) {
            int offset = -fill - 1;
            if (offset < NODE_SIZE_LIMITS.length && newSz <= NODE_SIZE_LIMITS[offset]) {
                return true;
            }
        }
        if (newSz > SIZE_SAFETY_LIMIT) {
            return false;
        }
        return node.count() < fill;
    }

    /**
     * A set: an intset blob, or the members in Cascade's order (Redis's own order there comes from its hash
     * table and its seed, so no two servers agree on it). Redis never narrows an intset's encoding after SREM;
     * Cascade writes the narrowest one that fits.
     */
    private void writeSet(RSet s) {
        if (s.isIntset()) {
            long[] ints = new long[s.size()];
            int[] n = {0};
            s.forEach(m -> ints[n[0]++] = Ints.parse(m));
            writeString(Intset.encode(ints, n[0]));
            return;
        }
        writeLen(s.size());
        s.forEach(this::writeString);
    }

    private void writeHash(RHash h) {
        if (!h.isHashtable()) {
            Listpack.Builder b = new Listpack.Builder();
            h.forEach((f, v) -> {
                b.append(f);
                b.append(v);
            });
            writeString(b.build());
            return;
        }
        writeLen(h.size());
        h.forEach((f, v) -> {
            writeString(f);
            writeString(v);
        });
    }

    /**
     * A sorted set: a listpack of member, score pairs in order, each score as zzlInsertAt writes it; or, for a
     * skiplist, the length and the pairs from the highest to the lowest (Redis walks its skiplist backwards so
     * that loading inserts at the head each time), scores as 8 little-endian IEEE bytes.
     */
    private void writeZset(RZSet z) {
        if (z.isListpack()) {
            writeString(zsetListpack(z));
            return;
        }
        writeLen(z.size());
        for (ZNode n = z.last(); n != null; n = n.prev()) {
            writeString(n.member());
            long bits = Double.doubleToRawLongBits(n.score());
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
        }
    }

    /** The listpack Redis 7.0 holds a listpack-encoded sorted set in. */
    public static byte[] zsetListpack(RZSet z) {
        Listpack.Builder b = new Listpack.Builder();
        for (ZNode n = z.first(); n != null; n = n.next()) {
            b.append(n.member());
            b.append(listpackScore(n.score()));
        }
        return b.build();
    }

    /**
     * A score as zzlInsertAt stores it: an integer entry when double2ll accepts the double (integral and within
     * +-2^62, so -0 becomes 0), else the text of d2string ("inf", "-inf", or "%.17g", which is never a canonical
     * integer for those doubles, so the listpack keeps it a string).
     */
    static byte[] listpackScore(double d) {
        if (Double.doubleToRawLongBits(d) == Double.doubleToRawLongBits(-0.0)) {
            return NEGATIVE_ZERO; // only in a listpack loaded from an old ziplist: Redis keeps its "-0" text
        }
        if (d >= -(double) (Long.MAX_VALUE / 2) && d <= (double) (Long.MAX_VALUE / 2) && (long) d == d) {
            return Ints.bytes((long) d);
        }
        return G17.format(d).getBytes(StandardCharsets.US_ASCII);
    }
}
