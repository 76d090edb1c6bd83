package io.cascade.storage.rdb;

import io.cascade.storage.types.Bytes;
import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads values in the RDB object format (rdbLoadObject), from a byte array: the encodings Redis 7.0 writes and
 * the older ones it still accepts (plain lists, ziplists, quicklist v1, zipmaps, hash ziplists). Values come
 * back with the encoding Redis would give them after loading (a listpack hash past hash-max-listpack-entries
 * becomes a hashtable, a small skiplist sorted set a listpack, ...); streams in the 7.0 forms and 7.2's
 * (StreamRdb); RDB 11/12 files' listpack sets and hashes with field TTLs (RdbHashes). Module values are
 * not read here (RdbModules skips them in files). Reads through an RdbInput (a byte array, or a stream that is
 * never held whole in memory). Any malformation throws RdbFormatException. Not thread-safe: one reader per
 * payload.
 */
public final class RdbValueReader {
    private final RdbInput in;

    public RdbValueReader(byte[] buf, int offset, int length) {
        this(RdbInput.of(buf, offset, length));
    }

    public RdbValueReader(RdbInput in) {
        this.in = in;
    }

    public RdbInput input() {
        return in;
    }

    /**
     * verifyDumpPayload: at least 10 bytes, an RDB version not newer than 10, and a CRC64 that matches (Redis
     * skips no check here either, except with a debug setting).
     */
    public static boolean verifyDumpPayload(byte[] p) {
        if (p.length < 10) {
            return false;
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
        if (version > RdbType.RDB_VERSION) {
            return false;
        }
        long crc = Crc64.update(0, p, 0, p.length - 8);
        for (int i = 0; i < 8; i++) {
            if ((byte) (crc >>> (8 * i)) != p[p.length - 8 + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The value of a DUMP payload already checked by verifyDumpPayload (RESTORE's rdbLoadObjectType +
     * rdbLoadObject). As in Redis, whose reader is the whole argument, a value that runs short reads on into
     * the version and checksum bytes rather than failing at the footer.
     */
    public static Object restore(byte[] payload) {
        RdbValueReader r = new RdbValueReader(payload, 0, payload.length);
        return r.readObject(r.readObjectType());
    }

    /** The offset of the next byte (an index into the array for a byte-array reader). */
    public int position() {
        return (int) in.position();
    }

    public int readObjectType() {
        int t = readByte();
        if (!RdbType.isObjectType(t)) {
            throw new RdbFormatException("unknown object type " + t);
        }
        return t;
    }

    public Object readObject(int type) {
        switch (type) {
            case RdbType.STRING:
                return readString();
            case RdbType.LIST: {
                long n = nonEmpty(readLen());
                RList l = new RList((int) Math.min(n, 1 << 16));
                for (long i = 0; i < n; i++) {
                    l.addLast(readString());
                }
                return l;
            }
            case RdbType.SET: {
                long n = nonEmpty(readLen());
                RSet s = new RSet();
                if (n > EncodingLimits.setMaxIntsetEntries) {
                    s.convertToHashtable();
                }
                for (long i = 0; i < n; i++) {
                    if (!s.add(readString())) {
                        throw new RdbFormatException("Duplicate set members detected");
                    }
                }
                return s;
            }
            case RdbType.HASH: {
                long n = nonEmpty(readLen());
                RHash h = new RHash();
                if (n > EncodingLimits.hashMaxListpackEntries) {
                    h.convertToHashtable();
                }
                for (long i = 0; i < n; i++) {
                    byte[] field = readString();
                    if (!h.put(field, readString())) {
                        throw new RdbFormatException("Duplicate hash fields detected");
                    }
                }
                return h;
            }
            case RdbType.SET_INTSET:
            case RdbType.LIST_ZIPLIST:
            case RdbType.HASH_ZIPMAP:
            case RdbType.HASH_ZIPLIST:
            case RdbType.HASH_LISTPACK:
            case RdbType.ZSET_ZIPLIST:
            case RdbType.ZSET_LISTPACK:
            case RdbType.SET_LISTPACK:
                return blob(type, readString());
            case RdbType.LIST_QUICKLIST:
            case RdbType.LIST_QUICKLIST_2:
                return quicklist(type == RdbType.LIST_QUICKLIST_2);
            case RdbType.ZSET:
            case RdbType.ZSET_2:
                return RdbZsets.readSkiplist(this, type == RdbType.ZSET_2);
            case RdbType.STREAM_LISTPACKS:
            case RdbType.STREAM_LISTPACKS_2:
            case RdbType.STREAM_LISTPACKS_3:
                return StreamRdb.read(this, type);
            case RdbType.HASH_METADATA_PRE_GA:
            case RdbType.HASH_LISTPACK_EX_PRE_GA:
            case RdbType.HASH_METADATA:
            case RdbType.HASH_LISTPACK_EX:
                return RdbHashes.read(this, type, -1).hash();
            default:
                throw new RdbFormatException("object type " + type + " is not supported yet");
        }
    }

    private RList list(List<byte[]> elements) {
        nonEmpty(elements.size());
        RList l = new RList(elements.size());
        elements.forEach(l::addLast);
        return l;
    }

    /**
     * A value saved as one compact blob (intset, ziplist, zipmap, listpack). Any fault in it is reported in
     * the words rdbLoadObject uses for that type ("Hash ziplist integrity check failed."), the detail after.
     */
    private Object blob(int type, byte[] b) {
        try {
            switch (type) {
                case RdbType.SET_INTSET:
                    return intset(Intset.decode(b));
                case RdbType.LIST_ZIPLIST:
                    return list(LegacyEncodings.ziplist(b));
                case RdbType.HASH_ZIPMAP:
                    return hash(LegacyEncodings.zipmap(b));
                case RdbType.HASH_ZIPLIST:
                    return hash(LegacyEncodings.ziplist(b));
                case RdbType.HASH_LISTPACK:
                    return hash(Listpack.decode(b));
                case RdbType.ZSET_ZIPLIST:
                    return RdbZsets.fromPairs(LegacyEncodings.ziplist(b));
                case RdbType.ZSET_LISTPACK:
                    return RdbZsets.fromPairs(Listpack.decode(b));
                default:
                    return listpackSet(Listpack.decode(b));
            }
        } catch (RdbFormatException e) {
            if (e.isEmptyKey()) {
                throw e;
            }
            String what = integrityName(type) + " integrity check failed.";
            throw new RdbFormatException(e.getMessage().contains("integrity check failed") ? e.getMessage()
                    : what + " (" + e.getMessage() + ")");
        }
    }

    static String integrityName(int type) {
        switch (type) {
            case RdbType.SET_INTSET:
                return "Intset";
            case RdbType.LIST_ZIPLIST:
                return "List ziplist";
            case RdbType.HASH_ZIPMAP:
                return "Zipmap";
            case RdbType.HASH_ZIPLIST:
                return "Hash ziplist";
            case RdbType.HASH_LISTPACK:
                return "Hash listpack";
            case RdbType.ZSET_ZIPLIST:
                return "Zset ziplist";
            case RdbType.ZSET_LISTPACK:
                return "Zset listpack";
            default:
                return "Set listpack";
        }
    }

    private static RSet intset(long[] ints) {
        if (ints.length == 0) {
            throw new RdbFormatException("Intset integrity check failed.");
        }
        RSet s = new RSet();
        for (long v : ints) {
            s.add(Ints.bytes(v));
        }
        return s;
    }

    /** RDB_TYPE_SET_LISTPACK (7.2): members given the encoding a 7.0 set of them would have. */
    private RSet listpackSet(List<byte[]> members) {
        nonEmpty(members.size());
        RSet s = new RSet();
        if (members.size() > EncodingLimits.setMaxIntsetEntries) {
            s.convertToHashtable();
        }
        for (byte[] m : members) {
            if (!s.add(m)) {
                throw new RdbFormatException("Set listpack integrity check failed.");
            }
        }
        return s;
    }

    private RHash hash(List<byte[]> pairs) {
        if (pairs.size() % 2 != 0) {
            throw new RdbFormatException("hash with an odd number of entries");
        }
        nonEmpty(pairs.size());
        RHash h = new RHash();
        Set<Bytes> seen = new HashSet<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            if (!seen.add(new Bytes(pairs.get(i)))) {
                throw new RdbFormatException("Duplicate hash fields detected");
            }
            h.put(pairs.get(i), pairs.get(i + 1));
        }
        return h;
    }

    /** quicklist v1 (ziplist nodes) or v2 (a container kind, then a listpack or one plain element). */
    private RList quicklist(boolean v2) {
        long nodes = readLen();
        RList l = new RList();
        for (long i = 0; i < nodes; i++) {
            long container = v2 ? readLen() : RdbType.QUICKLIST_PACKED;
            byte[] data = readString();
            if (container == RdbType.QUICKLIST_PLAIN) {
                l.addLast(data);
                continue;
            }
            if (container != RdbType.QUICKLIST_PACKED) {
                throw new RdbFormatException("quicklist integrity check failed");
            }
            // empty nodes are skipped silently, as Redis does; an empty list fails below
            List<byte[]> items;
            try {
                items = v2 ? Listpack.decode(data) : LegacyEncodings.ziplist(data);
            } catch (RdbFormatException e) {
                throw new RdbFormatException((v2 ? "Listpack" : "Ziplist") + " integrity check failed. ("
                        + e.getMessage() + ")");
            }
            items.forEach(l::addLast);
        }
        nonEmpty(l.size());
        return l;
    }

    static long nonEmpty(long n) {
        if (n == 0) {
            throw RdbFormatException.emptyKey();
        }
        return n;
    }

    public int readByte() {
        return in.readByte();
    }

    /** rdbRioRead of n raw bytes (a stream PEL's 16-byte IDs). */
    public byte[] readRaw(int n) {
        return in.readBytes(n, n + " raw bytes");
    }

    /** rdbLoadMillisecondTime: 8 bytes little endian (host order before RDB 9, little endian in practice). */
    public long readMillis() {
        return in.readLE(8, "a millisecond time");
    }

    /** rdbLoadLen as the unsigned 64-bit value it is (stream IDs, counters), without the size check. */
    public long readLenUnsigned() {
        int b = readByte();
        if ((b & 0xc0) >>> 6 == RdbType.ENCVAL) {
            throw new RdbFormatException("unexpected string encoding");
        }
        return b == RdbType.LEN_64BIT ? in.readBE(8, "a 64-bit length") : lenAfter(b);
    }

    /** rdbLoadLen; an encoded-string marker here is an error. */
    public long readLen() {
        int b = readByte();
        int kind = (b & 0xc0) >>> 6;
        if (kind == RdbType.ENCVAL) {
            throw new RdbFormatException("unexpected string encoding");
        }
        return lenAfter(b);
    }

    private long lenAfter(int b) {
        int kind = (b & 0xc0) >>> 6;
        if (kind == RdbType.LEN_6BIT) {
            return b & 0x3f;
        }
        if (kind == RdbType.LEN_14BIT) {
            return ((b & 0x3f) << 8) | readByte();
        }
        if (b == RdbType.LEN_32BIT) {
            return in.readBE(4, "a 32-bit length");
        }
        if (b == RdbType.LEN_64BIT) {
            long v = in.readBE(8, "a 64-bit length");
            if (v < 0) {
                throw new RdbFormatException("length too large");
            }
            return v;
        }
        throw new RdbFormatException("Unknown length encoding " + b + " in rdbLoadLen() at offset " + (in.position() - 1));
    }

    /** rdbGenericLoadStringObject: a length-prefixed string, an 8/16/32-bit integer, or an LZF blob. */
    public byte[] readString() {
        int b = readByte();
        if ((b & 0xc0) >>> 6 != RdbType.ENCVAL) {
            long n = lenAfter(b);
            return in.readStringBytes(n); // its error message is built only if it fails
        }
        switch (b & 0x3f) {
            case RdbType.ENC_INT8:
                return Ints.bytes((byte) readByte());
            case RdbType.ENC_INT16:
                return Ints.bytes((short) in.readLE(2, "a 16-bit integer string"));
            case RdbType.ENC_INT32:
                return Ints.bytes((int) in.readLE(4, "a 32-bit integer string"));
            case RdbType.ENC_LZF: {
                long clen = readLen();
                long len = readLen();
                // an LZF back reference of 3 bytes yields at most 264: a longer claim is corrupt, and checking
                // it before allocating keeps a forged length from allocating more than the data justifies
                if (clen == 0 || len == 0 || len > RdbInput.MAX_ARRAY || len / 88 > clen) {
                    throw new RdbFormatException("Invalid LZF compressed string (lengths " + clen + ", " + len
                            + ") at offset " + in.position());
                }
                byte[] c = in.readBytes(clen, "an LZF string of " + clen + " bytes");
                try {
                    return Lzf.decompress(c, 0, c.length, (int) len);
                } catch (RuntimeException e) {
                    throw new RdbFormatException("Invalid LZF compressed string ending at offset " + in.position());
                }
            }
            default:
                throw new RdbFormatException("Unknown RDB string encoding type " + (b & 0x3f) + " at offset "
                        + (in.position() - 1));
        }
    }
}
