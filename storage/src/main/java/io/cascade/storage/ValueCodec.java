package io.cascade.storage;

import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;
import io.cascade.storage.types.RZSet;
import io.cascade.storage.types.ZNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The compact byte form of a value kept off heap: a header of one byte naming the type (and encoding) and
 * the key's 24-bit access field (AccessClock, Redis's robj->lru, little-endian), then the payload. Strings are their bytes; lists, hashes and sets are varint-length-prefixed elements, the way a
 * listpack lays them out; an intset is its sorted numbers as zigzag/delta varints; a listpack sorted set is its
 * members in order, each followed by its score (an integral score as a varint, any other as its 8 bytes, as
 * see zscoreTag). Decoding always builds a
 * fresh value with the types' public API, so RHash's hashtable flag and RSet's intset/hashtable state come
 * back as they were encoded. Pure functions; any thread.
 */
public final class ValueCodec {
    public static final byte STRING = 0;
    public static final byte LIST = 1;
    public static final byte HASH_LISTPACK = 2;
    public static final byte HASH_HASHTABLE = 3;
    public static final byte SET_INTSET = 4;
    public static final byte SET_HASHTABLE = 5;
    public static final byte ZSET_LISTPACK = 6;
    /**
     * A string a command built in place (SETRANGE, SETBIT, APPEND to a value, BITFIELD, PFADD): Redis's object is
     * then raw whatever its bytes, and OBJECT ENCODING says so; the payload is the string's bytes, as STRING's.
     */
    public static final byte STRING_BUILT = 8;
    /** Not a value: the stores' marker for "this key's value lives on the heap" (a header with no payload). */
    public static final byte HEAP = 0x7f;
    /** Bytes before the payload: the type byte and the 3 bytes of the access field. */
    public static final int HEADER = 4;

    private ValueCodec() {
    }

    public static byte[] encode(Object value) {
        if (value instanceof byte[] s) {
            return encodeString(s, false);
        }
        if (value instanceof RList l) {
            return encodeList(l);
        }
        if (value instanceof RHash h) {
            return encodeHash(h);
        }
        if (value instanceof RSet s) {
            return s.isIntset() ? encodeIntset(s) : encodeMembers(s);
        }
        if (value instanceof RZSet z && z.isListpack()) {
            return encodeZset(z);
        }
        throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName());
    }

    /** A string's entry; builtInPlace marks one a command built in place (STRING_BUILT). */
    public static byte[] encodeString(byte[] s, boolean builtInPlace) {
        byte[] out = new byte[s.length + HEADER];
        out[0] = builtInPlace ? STRING_BUILT : STRING;
        System.arraycopy(s, 0, out, HEADER, s.length);
        return out;
    }

    public static Object decode(byte[] b) {
        Reader r = new Reader(b, HEADER);
        switch (b[0]) {
            case STRING, STRING_BUILT: {
                byte[] s = new byte[b.length - HEADER];
                System.arraycopy(b, HEADER, s, 0, s.length);
                return s;
            }
            case LIST: {
                int n = r.varint();
                RList l = new RList(n);
                for (int i = 0; i < n; i++) {
                    l.addLast(r.chunk());
                }
                return l;
            }
            case HASH_LISTPACK:
            case HASH_HASHTABLE: {
                RHash h = new RHash();
                if (b[0] == HASH_HASHTABLE) {
                    h.convertToHashtable();
                }
                int n = r.varint();
                for (int i = 0; i < n; i++) {
                    byte[] f = r.chunk();
                    h.put(f, r.chunk());
                }
                return h;
            }
            case SET_INTSET: {
                RSet s = new RSet();
                int n = r.varint();
                long v = 0;
                for (int i = 0; i < n; i++) {
                    v = i == 0 ? unzigzag(r.varlong()) : v + r.varlong(); // ascending: deltas are unsigned
                    s.add(Ints.bytes(v));
                }
                return s;
            }
            case SET_HASHTABLE: {
                RSet s = new RSet();
                s.convertToHashtable();
                int n = r.varint();
                for (int i = 0; i < n; i++) {
                    s.add(r.chunk());
                }
                return s;
            }
            case ZSET_LISTPACK: {
                RZSet z = new RZSet();
                int n = r.varint();
                for (int i = 0; i < n; i++) {
                    byte[] m = r.chunk();
                    long v = r.varlong();
                    z.addLoaded(m, (v & 1) == 0 ? (double) unzigzag(v >>> 1) : Double.longBitsToDouble(r.fixed64()));
                }
                return z;
            }
            default:
                throw new IllegalArgumentException("not an encoded value: header " + b[0]);
        }
    }

    /** True when b is the heap marker rather than an encoded value. */
    public static boolean isHeapMarker(byte[] b) {
        return b.length == HEADER && b[0] == HEAP;
    }

    /** The heap marker carrying a key's access field. */
    public static byte[] heapMarker(int lru) {
        byte[] b = new byte[HEADER];
        b[0] = HEAP;
        setLru(b, lru);
        return b;
    }

    /** The access field in an encoded value's (or marker's) header. */
    public static int lru(byte[] b) {
        return (b[1] & 0xff) | (b[2] & 0xff) << 8 | (b[3] & 0xff) << 16;
    }

    /** Writes the access field into the header, in place. */
    public static void setLru(byte[] b, int lru) {
        b[1] = (byte) lru;
        b[2] = (byte) (lru >>> 8);
        b[3] = (byte) (lru >>> 16);
    }

    private static byte[] encodeList(RList l) {
        int n = l.size();
        int size = HEADER + varintSize(n);
        for (int i = 0; i < n; i++) {
            size += chunkSize(l.get(i));
        }
        Writer w = new Writer(size, LIST);
        w.varint(n);
        for (int i = 0; i < n; i++) {
            w.chunk(l.get(i));
        }
        return w.done();
    }

    private static byte[] encodeHash(RHash h) {
        int size = HEADER + varintSize(h.size());
        for (Map.Entry<Bytes, byte[]> e : h.entries()) {
            size += chunkSize(e.getKey().b) + chunkSize(e.getValue());
        }
        Writer w = new Writer(size, h.isHashtable() ? HASH_HASHTABLE : HASH_LISTPACK);
        w.varint(h.size());
        for (Map.Entry<Bytes, byte[]> e : h.entries()) {
            w.chunk(e.getKey().b);
            w.chunk(e.getValue());
        }
        return w.done();
    }

    private static byte[] encodeIntset(RSet s) {
        long[] v = new long[s.size()];
        int[] at = {0};
        s.forEach(m -> v[at[0]++] = Ints.parse(m));
        int size = HEADER + varintSize(v.length);
        for (int i = 0; i < v.length; i++) {
            size += varlongSize(i == 0 ? zigzag(v[0]) : v[i] - v[i - 1]);
        }
        Writer w = new Writer(size, SET_INTSET);
        w.varint(v.length);
        for (int i = 0; i < v.length; i++) {
            w.varlong(i == 0 ? zigzag(v[0]) : v[i] - v[i - 1]);
        }
        return w.done();
    }

    private static byte[] encodeMembers(RSet s) {
        List<byte[]> members = new ArrayList<>(s.size());
        s.forEach(members::add);
        int size = HEADER + varintSize(members.size());
        for (byte[] m : members) {
            size += chunkSize(m);
        }
        Writer w = new Writer(size, SET_HASHTABLE);
        w.varint(members.size());
        for (byte[] m : members) {
            w.chunk(m);
        }
        return w.done();
    }

    /**
     * A score's tag: (zigzag << 1) for an integral score of magnitude below 2^61 (most scores: 1 to 9 bytes),
     * else 1 and the IEEE bits follow. -0 is never integral here, so it survives.
     */
    private static long zscoreTag(double d) {
        long l = (long) d;
        if (l == d && Math.abs(l) < (1L << 61) && Double.doubleToRawLongBits(d) != Double.doubleToRawLongBits(-0.0)) {
            return zigzag(l) << 1;
        }
        return 1;
    }

    private static byte[] encodeZset(RZSet z) {
        int[] size = {HEADER + varintSize(z.size())};
        z.forEach((m, d) -> {
            long tag = zscoreTag(d);
            size[0] += chunkSize(m) + varlongSize(tag) + (tag == 1 ? 8 : 0);
        });
        Writer w = new Writer(size[0], ZSET_LISTPACK);
        w.varint(z.size());
        for (ZNode n = z.first(); n != null; n = n.next()) {
            w.chunk(n.member());
            long tag = zscoreTag(n.score());
            w.varlong(tag);
            if (tag == 1) {
                w.fixed64(Double.doubleToRawLongBits(n.score()));
            }
        }
        return w.done();
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int chunkSize(byte[] b) {
        return varintSize(b.length) + b.length;
    }

    private static int varintSize(int v) {
        return varlongSize(v & 0xffffffffL);
    }

    /** Bytes of an unsigned LEB128 varint (the long read as unsigned: deltas may use all 64 bits). */
    private static int varlongSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static final class Writer {
        private final byte[] out;
        private int pos = HEADER;

        Writer(int size, byte header) {
            out = new byte[size];
            out[0] = header;
        }

        void varint(int v) {
            varlong(v & 0xffffffffL);
        }

        void varlong(long v) {
            while ((v & ~0x7fL) != 0) {
                out[pos++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out[pos++] = (byte) v;
        }

        void fixed64(long v) {
            for (int i = 0; i < 8; i++) {
                out[pos++] = (byte) (v >>> (8 * i));
            }
        }

        void chunk(byte[] b) {
            varint(b.length);
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
        }

        byte[] done() {
            if (pos != out.length) {
                throw new IllegalStateException("size mismatch " + pos + " != " + out.length);
            }
            return out;
        }
    }

    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in, int pos) {
            this.in = in;
            this.pos = pos;
        }

        int varint() {
            return (int) varlong();
        }

        long varlong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = in[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v |= (in[pos++] & 0xffL) << (8 * i);
            }
            return v;
        }

        byte[] chunk() {
            int n = varint();
            byte[] b = new byte[n];
            System.arraycopy(in, pos, b, 0, n);
            pos += n;
            return b;
        }
    }
}
