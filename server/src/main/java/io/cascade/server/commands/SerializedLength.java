package io.cascade.server.commands;

import io.cascade.storage.types.EncodingLimits;
import io.cascade.storage.types.Ints;
import io.cascade.storage.types.RHash;
import io.cascade.storage.types.RList;
import io.cascade.storage.types.RSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The size of a value's RDB payload (Redis's rdbSavedObjectLen, for DEBUG OBJECT's serializedlength) and the
 * quicklist layout Redis would give a list (DEBUG OBJECT's ql_* fields), computed from the encodings Redis 7.0
 * uses: strings (with the small-integer forms), intset and listpack blobs, hashtables, quicklist nodes.
 * Not computed: LZF compression, which Redis applies to strings and blobs over 20 bytes when rdbcompression is
 * on; that needs the RDB writer's LZF (storage/rdb, not written yet), so such values count uncompressed. Lists
 * are laid out as if every element had been pushed at the tail (Redis's layout also depends on history).
 * Command thread.
 */
final class SerializedLength {
    /** list-max-listpack-size's negative classes: bytes per node for -1 .. -5. */
    private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};
    private static final int SIZE_SAFETY_LIMIT = 8192;
    private static final int SIZE_ESTIMATE_OVERHEAD = 8;

    private SerializedLength() {
    }

    /** The quicklist of a list: per node its listpack size in bytes, and its element count. */
    record Quicklist(List<Long> nodeBytes, List<Integer> nodeCounts) {
    }

    static long of(Object value) {
        if (value instanceof byte[] s) {
            return string(s);
        }
        if (value instanceof RSet set) {
            if (set.isIntset()) {
                return blob(intsetBytes(set));
            }
            long[] n = {lenLen(set.size())};
            set.forEach(m -> n[0] += string(m));
            return n[0];
        }
        if (value instanceof RHash hash) {
            if (!hash.isHashtable()) {
                List<byte[]> entries = new ArrayList<>();
                hash.forEach((f, v) -> {
                    entries.add(f);
                    entries.add(v);
                });
                return blob(listpackBytes(entries));
            }
            long n = lenLen(hash.size());
            for (Map.Entry<io.cascade.storage.types.Bytes, byte[]> e : hash.entries()) {
                n += string(e.getKey().b) + string(e.getValue());
            }
            return n;
        }
        if (value instanceof RList list) {
            Quicklist ql = quicklist(list);
            long n = lenLen(ql.nodeBytes().size());
            for (int i = 0; i < ql.nodeBytes().size(); i++) {
                // the container kind (plain or packed) in one length byte, then the node as a string
                n += 1 + blob(ql.nodeBytes().get(i));
            }
            return n;
        }
        throw new IllegalArgumentException("no RDB form known for " + value.getClass().getSimpleName());
    }

    /** rdbSaveStringObject / rdbSaveRawString: short canonical integers get 1 + 1/2/4 bytes. */
    static long string(byte[] s) {
        if (s.length <= 11) {
            Long v = Ints.parse(s);
            if (v != null) {
                if (v >= -(1 << 7) && v <= (1 << 7) - 1) {
                    return 2;
                }
                if (v >= -(1 << 15) && v <= (1 << 15) - 1) {
                    return 3;
                }
                if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    return 5;
                }
            }
        }
        return blob(s.length);
    }

    /** A length-prefixed byte string (no LZF, see the class comment). */
    private static long blob(long bytes) {
        return lenLen(bytes) + bytes;
    }

    /** rdbSaveLen: 1, 2, 5 or 9 bytes. */
    static int lenLen(long len) {
        if (len < (1 << 6)) {
            return 1;
        }
        if (len < (1 << 14)) {
            return 2;
        }
        return len <= 0xffffffffL ? 5 : 9;
    }

    /** An intset: 8 header bytes and every member in the width of the widest one. */
    private static long intsetBytes(RSet set) {
        int[] width = {2};
        set.forEach(m -> {
            long v = Ints.parse(m);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                width[0] = 8;
            } else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && width[0] < 4) {
                width[0] = 4;
            }
        });
        return 8 + (long) set.size() * width[0];
    }

    /** A listpack of these elements: 6 header bytes, the entries, 1 end byte. */
    static long listpackBytes(List<byte[]> elements) {
        long n = 7;
        for (byte[] e : elements) {
            n += entryBytes(e);
        }
        return n;
    }

    /** One listpack entry: encoding and data (integers in 1..9 bytes, strings with a 1/2/5-byte header), backlen. */
    static int entryBytes(byte[] e) {
        Long v = e.length <= 20 ? Ints.parse(e) : null;
        int body;
        if (v != null) {
            if (v >= 0 && v <= 127) {
                body = 1;
            } else if (v >= -4096 && v <= 4095) {
                body = 2;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                body = 3;
            } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
                body = 4;
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                body = 5;
            } else {
                body = 9;
            }
        } else if (e.length < 64) {
            body = 1 + e.length;
        } else if (e.length < 4096) {
            body = 2 + e.length;
        } else {
            body = 5 + e.length;
        }
        int back = body < 128 ? 1 : body < 16384 ? 2 : body < 2097152 ? 3 : body < 268435456 ? 4 : 5;
        return body + back;
    }

    /** The nodes quicklistPushTail would build for these elements (_quicklistNodeAllowInsert's limits). */
    static Quicklist quicklist(RList list) {
        int fill = EncodingLimits.listMaxListpackSize;
        List<Long> bytes = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        boolean lastPlain = false;
        for (int i = 0; i < list.size(); i++) {
            byte[] e = list.get(i);
            if (e.length >= EncodingLimits.quicklistPackedThreshold) {
                bytes.add((long) e.length); // a plain node holds the element alone, as is
                counts.add(1);
                lastPlain = true;
                continue;
            }
            int last = bytes.size() - 1;
            if (last < 0 || lastPlain || exceeds(fill, bytes.get(last), counts.get(last), e.length)) {
                bytes.add(7L);
                counts.add(0);
                last++;
            }
            lastPlain = false;
            bytes.set(last, bytes.get(last) + entryBytes(e));
            counts.set(last, counts.get(last) + 1);
        }
        return new Quicklist(bytes, counts);
    }

    /** The opposite of _quicklistNodeAllowInsert for a node of nodeBytes holding count elements. */
    private static boolean exceeds(int fill, long nodeBytes, int count, int elementBytes) {
        long newBytes = nodeBytes + elementBytes + SIZE_ESTIMATE_OVERHEAD;
        if (fill < 0 && -fill - 1 < NODE_BYTES.length && newBytes <= NODE_BYTES[-fill - 1]) {
            return false;
        }
        if (newBytes > SIZE_SAFETY_LIMIT) {
            return true;
        }
        return count >= fill; // a count limit; with a fill below -5 every element gets a node of its own
    }
}
