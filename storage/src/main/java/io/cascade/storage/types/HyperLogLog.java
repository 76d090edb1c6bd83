package io.cascade.storage.types;

import java.util.Arrays;

/**
 * A HyperLogLog in Redis 7.0's exact string representation, so the bytes Cascade stores (and replicates, and
 * digests) are the bytes Redis would: a 16-byte header ("HYLL", encoding, 3 unused bytes, the cached
 * cardinality little endian with bit 63 meaning "stale"), then either 16384 dense 6-bit registers packed LSB
 * first, or the sparse opcodes ZERO (00xxxxxx), XZERO (01xxxxxx yyyyyyyy) and VAL (1vvvvvxx). An instance is a
 * mutable working copy of one value: load it with {@link #of}, change it, store {@link #toBytes()}.
 * The sparse opcode editing is in {@link HllSparse}. Command thread (or any single thread).
 */
public final class HyperLogLog {
    public static final int P = 14;
    public static final int Q = 64 - P;
    public static final int REGISTERS = 1 << P;
    public static final int BITS = 6;
    public static final int REGISTER_MAX = (1 << BITS) - 1;
    public static final int HDR_SIZE = 16;
    public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
    public static final int DENSE = 0;
    public static final int SPARSE = 1;
    /** Redis's hash seed for HLL elements. */
    private static final long SEED = 0xadc83b19L;

    /** The value bytes; only the first len are meaningful (room is kept for sparse growth). */
    byte[] buf;
    int len;

    private HyperLogLog(byte[] buf, int len) {
        this.buf = buf;
        this.len = len;
    }

    /** A working copy of a stored value; call only on values {@link #isValid} accepts. */
    public static HyperLogLog of(byte[] value) {
        return new HyperLogLog(Arrays.copyOf(value, value.length + 8), value.length);
    }

    /** Redis's createHLLObject: sparse, one XZERO covering all 16384 registers, cache zero (and valid). */
    public static HyperLogLog create() {
        byte[] b = new byte[HDR_SIZE + 2 + 8];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        HllSparse.xzero(b, HDR_SIZE, REGISTERS);
        return new HyperLogLog(b, HDR_SIZE + 2);
    }

    /**
     * Redis's isHLLObjectOrReply (after the type check): long enough for a header, the magic, a known encoding,
     * and the exact size when dense. A sparse body is checked only when it is read.
     */
    public static boolean isValid(byte[] v) {
        if (v.length < HDR_SIZE || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L') {
            return false;
        }
        int enc = v[4] & 0xff;
        if (enc > SPARSE) {
            return false;
        }
        return enc != DENSE || v.length == DENSE_SIZE;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buf, len);
    }

    public int encoding() {
        return buf[4] & 0xff;
    }

    public boolean isDense() {
        return encoding() == DENSE;
    }

    public int length() {
        return len;
    }

    // ---- cached cardinality ----

    public void invalidateCache() {
        buf[15] |= (byte) 0x80;
    }

    public boolean validCache() {
        return (buf[15] & 0x80) == 0;
    }

    public long cachedCardinality() {
        long card = 0;
        for (int i = 7; i >= 0; i--) {
            card = (card << 8) | (buf[8 + i] & 0xff);
        }
        return card;
    }

    public void setCachedCardinality(long card) {
        for (int i = 0; i < 8; i++) {
            buf[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---- hashing ----

    /** MurmurHash2, 64-bit version, reading 8-byte blocks little endian as Redis's endian-neutral variant. */
    public static long murmurHash64A(byte[] key, long seed) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        int len = key.length;
        long h = seed ^ ((long) len * m);
        int end = len - (len & 7);
        for (int i = 0; i < end; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (key[i + j] & 0xff);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = len & 7;
        if (rest > 0) {
            for (int j = rest - 1; j >= 0; j--) {
                h ^= (long) (key[end + j] & 0xff) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /**
     * Redis's hllPatLen: the register an element maps to (low 14 bits of its hash) in the low 32 bits of the
     * result, and the length of its "000..1" run (1..51) in the high 32 bits.
     */
    public static long patLen(byte[] ele) {
        long hash = murmurHash64A(ele, SEED);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q; // makes the run end by bit Q, so count <= Q+1
        int count = Long.numberOfTrailingZeros(hash) + 1;
        return ((long) count << 32) | index;
    }

    // ---- dense registers ----

    /** Register regnum of dense registers starting at offset base of b (the byte after the end reads as 0). */
    static int denseGet(byte[] b, int base, int limit, int regnum) {
        int bit = regnum * BITS;
        int at = base + (bit >>> 3);
        int fb = bit & 7;
        int b0 = b[at] & 0xff;
        int b1 = at + 1 < limit ? b[at + 1] & 0xff : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & REGISTER_MAX;
    }

    static void denseSet(byte[] b, int base, int limit, int regnum, int val) {
        int bit = regnum * BITS;
        int at = base + (bit >>> 3);
        int fb = bit & 7;
        b[at] = (byte) ((b[at] & ~(REGISTER_MAX << fb)) | (val << fb));
        if (at + 1 < limit) {
            int fb8 = 8 - fb;
            b[at + 1] = (byte) ((b[at + 1] & ~(REGISTER_MAX >>> fb8)) | (val >>> fb8));
        }
    }

    /** A register of a dense value. */
    public int register(int regnum) {
        return denseGet(buf, HDR_SIZE, len, regnum);
    }

    /** Sets a register of a dense value (PFSELFTEST). */
    public void setRegister(int regnum, int val) {
        denseSet(buf, HDR_SIZE, len, regnum, val);
    }

    /** Redis's hllDenseSet: raises the register to count; 1 when it changed. */
    int denseRaise(int index, int count) {
        if (count > denseGet(buf, HDR_SIZE, len, index)) {
            denseSet(buf, HDR_SIZE, len, index, count);
            return 1;
        }
        return 0;
    }

    // ---- operations ----

    /**
     * Redis's hllAdd: 1 when a register changed, 0 when not, -1 when the sparse form is corrupt. A sparse value
     * becomes dense when the register needs a value above 32 or the value would outgrow sparseMaxBytes.
     */
    public int add(byte[] ele, long sparseMaxBytes) {
        long pl = patLen(ele);
        int index = (int) pl;
        int count = (int) (pl >>> 32);
        return switch (encoding()) {
            case DENSE -> denseRaise(index, count);
            case SPARSE -> HllSparse.set(this, index, count, sparseMaxBytes);
            default -> -1;
        };
    }

    /** Raises register index to count (as PFMERGE writes its result); -1 when corrupt. */
    public int raise(int index, int count, long sparseMaxBytes) {
        return isDense() ? denseRaise(index, count) : HllSparse.set(this, index, count, sparseMaxBytes);
    }

    /** Redis's hllSparseToDense; false (and unchanged) when the sparse form is corrupt. */
    public boolean toDense() {
        if (isDense()) {
            return true;
        }
        byte[] dense = HllSparse.toDense(buf, len);
        if (dense == null) {
            return false;
        }
        buf = Arrays.copyOf(dense, DENSE_SIZE + 8);
        len = DENSE_SIZE;
        return true;
    }

    /** Redis's hllMerge: max[i] = max(max[i], register i); false when the sparse form is corrupt. */
    public boolean mergeInto(byte[] max) {
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                int v = denseGet(buf, HDR_SIZE, len, i);
                if (v > max[i]) {
                    max[i] = (byte) v;
                }
            }
            return true;
        }
        return HllSparse.mergeInto(buf, len, max);
    }

    /** Redis's hllCount; returns -1 when the sparse form is found corrupt. */
    public long count() {
        int[] histo = new int[64];
        if (isDense()) {
            for (int i = 0; i < REGISTERS; i++) {
                histo[denseGet(buf, HDR_SIZE, len, i)]++;
            }
        } else if (!HllSparse.histogram(buf, len, histo)) {
            return -1;
        }
        return HllEstimator.estimate(histo);
    }

    /** The cardinality of raw one-byte-per-register values (PFCOUNT of several keys). */
    public static long countRaw(byte[] registers) {
        int[] histo = new int[64];
        for (int i = 0; i < REGISTERS; i++) {
            histo[registers[i] & 63]++;
        }
        return HllEstimator.estimate(histo);
    }

    /** PFDEBUG DECODE: the sparse opcodes as "z:len", "Z:len" and "v:value,len", space separated. */
    public String decodeSparse() {
        return HllSparse.decode(buf, len);
    }
}
