package io.cascade.storage.types;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HyperLogLog bytes and estimates against values captured from redis-server 7.0.15: elements "e0", "e1", ...
 * added with PFADD in batches of 1000, with a PFCOUNT (which writes the cached cardinality) at each checkpoint.
 */
class HyperLogLogTest {
    private static final long SPARSE_MAX = 3000;

    /** Checkpoint, length, encoding, PFCOUNT, SHA-256 of the value before and after that PFCOUNT. */
    private static final String[][] GOLDEN = {
        {"1", "21", "sparse", "1", "b0e9338b711c718f8c660c838331c48590e4ecac97391cb8408bdd5bec28776d",
            "ccda8ba82764c30e591077812417c1f3a165c993cdaba7a6c5c185325d6745c5"},
        {"10", "48", "sparse", "10", "56b94838b096a84d959c2d6024c05dfef0df686245f944a8cb2ad282a3276fc3",
            "0bba112db5cc118cf31893908d2e54640bdf4049ee589c6fbf8d90df0fd3c91a"},
        {"100", "285", "sparse", "100", "608a092ccb3ebb14d4d6e92217b4872a8a7edecce5fbebcb11f526a2d75e395b",
            "aebee27e50c672722325ed27d2acb1011cc7138f9a0f43d52abc23308a822a44"},
        {"300", "713", "sparse", "302", "79fd85a20c9916727871fa749b307983515ff9908a8176db5d06797f084198c2",
            "5c5ae406a720663ee52d40494c2524c28b6a11e991e72ee5280d5c0ccea416c5"},
        {"700", "1403", "sparse", "704", "80d4472b003366046de06d75c7f6bf3cd08918541a522928a8b3d06c7afba9ca",
            "ce9617f34cd6e2195fc01f74d27f9ac8d233bf771927cb0d988afdcf7f228def"},
        {"1000", "1906", "sparse", "1008", "c752e6c4c832dde5b51b7b8162940ab67954078623f4d65c4441aea7d162a3f5",
            "ab6313e24c05ff993730105e09ef76d5c0c4fcde58406d6a29d1889220a056e4"},
        {"1500", "2719", "sparse", "1509", "f55224b8abc076a3f247befe06091d14b184992f3a1fbb265d56a32ca7b7d882",
            "27fd190c99857ded3c88da07d9539633e78cbb33e7b9a05048b5f889f7e357cb"},
        {"2000", "12304", "dense", "2000", "3aed1b2fa46236fc4b3555fb87ce764cea10225fc6a1974a3589c500efc76dfd",
            "934a6aaa45ebe9f4d7eb83d8de87a5e1a80bedb95a800a5d53c7008670f21c56"},
        {"5000", "12304", "dense", "4968", "9b3141ec012ebc9f1ce8039059ebb9949b100b6810eb873446b1d8811626b6e6",
            "bd470063c39f632ff0572b22d3ae558cdc523a5ae6f47e7324ed636dcc84e2ec"},
        {"20000", "12304", "dense", "19901", "cbe81fe18b0a2a2bad0ed46b81a9a99297c1ee24018a7a51fd5fc73056471ef8",
            "e0b65a9f0a68fd6067a893468cad7c12075492b4a9ebafeece2765c5d950fac3"},
        {"100000", "12304", "dense", "100853", "e28095a3a0e236546bb8f72cda968fb002cc5ed53b6ca69bd3642bbc6b425d04",
            "548dba672576d8a299d51943c2728e21beda0aea57391bd87567dba08eed8e4e"},
    };

    /** PFADD's effect on a value: every element added, then the cache marked stale if anything changed. */
    private static HyperLogLog pfadd(byte[] value, List<byte[]> elements) {
        HyperLogLog h = value == null ? HyperLogLog.create() : HyperLogLog.of(value);
        boolean updated = value == null;
        for (byte[] e : elements) {
            int r = h.add(e, SPARSE_MAX);
            assertTrue(r >= 0);
            updated |= r == 1;
        }
        if (updated) {
            h.invalidateCache();
        }
        return h;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void bytesAfterPfaddAndPfcountMatchRedisInSparseAndDenseForms() throws Exception {
        byte[] value = null;
        int done = 0;
        for (String[] g : GOLDEN) {
            int n = Integer.parseInt(g[0]);
            for (int batch = done; batch < n; batch += 1000) {
                List<byte[]> els = new ArrayList<>();
                for (int i = batch; i < Math.min(n, batch + 1000); i++) {
                    els.add(b("e" + i));
                }
                value = pfadd(value, els).toBytes();
            }
            done = n;
            HyperLogLog h = HyperLogLog.of(value);
            assertEquals(Integer.parseInt(g[1]), value.length, "length at " + n);
            assertEquals(g[2].equals("dense"), h.isDense(), "encoding at " + n);
            assertEquals(g[4], sha256(value), "bytes at " + n);
            assertFalse(h.validCache());
            long card = h.count();
            assertEquals(Long.parseLong(g[3]), card, "estimate at " + n);
            h.setCachedCardinality(card);
            value = h.toBytes();
            assertEquals(g[5], sha256(value), "bytes after PFCOUNT at " + n);
            assertTrue(HyperLogLog.of(value).validCache());
            assertEquals(card, HyperLogLog.of(value).cachedCardinality());
        }
    }

    @Test
    void emptyHllIsOneXzeroAndCountsZero() {
        byte[] v = HyperLogLog.create().toBytes();
        byte[] expected = new byte[18];
        System.arraycopy(b("HYLL"), 0, expected, 0, 4);
        expected[4] = 1;
        expected[16] = 0x7f; // XZERO of 16384 registers: 01 111111 11111111
        expected[17] = (byte) 0xff;
        assertArrayEquals(expected, v);
        assertEquals(0, HyperLogLog.of(v).count());
        assertEquals("Z:16384", HyperLogLog.of(v).decodeSparse());
    }

    @Test
    void hashOfHelloLandsWhereRedisPutsIt() {
        // PFADD one hello; PFDEBUG GETREG one on Redis: only register 9216 is set, to 1
        long pl = HyperLogLog.patLen(b("hello"));
        assertEquals(9216, (int) pl);
        assertEquals(1, (int) (pl >>> 32));
    }

    @Test
    void mergeOfTwoSparseMatchesRedis() throws Exception {
        List<byte[]> a = new ArrayList<>();
        List<byte[]> bb = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            a.add(b("a" + i));
            bb.add(b("b" + i));
        }
        byte[] max = new byte[HyperLogLog.REGISTERS];
        assertTrue(pfadd(null, a).mergeInto(max));
        assertTrue(pfadd(null, bb).mergeInto(max));
        assertEquals(401, HyperLogLog.countRaw(max));
        HyperLogLog dest = HyperLogLog.create();
        for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
            if (max[j] != 0) {
                dest.raise(j, max[j], SPARSE_MAX);
            }
        }
        dest.invalidateCache();
        byte[] v = dest.toBytes();
        assertEquals(867, v.length);
        assertEquals("d8009b7989da5c29430070acb46322faca28d124902681ed55f6bc886252c9d2", sha256(v));
        assertEquals(401, HyperLogLog.of(v).count());
    }

    @Test
    void sparseAndDenseAgreeAndDenseIsExactSize() {
        HyperLogLog sparse = HyperLogLog.create();
        HyperLogLog dense = HyperLogLog.create();
        assertTrue(dense.toDense());
        assertEquals(HyperLogLog.DENSE_SIZE, dense.length());
        for (int i = 0; i < 800; i++) {
            sparse.add(b("x" + i), SPARSE_MAX);
            dense.add(b("x" + i), SPARSE_MAX);
        }
        assertFalse(sparse.isDense());
        assertEquals(dense.count(), sparse.count());
        HyperLogLog converted = HyperLogLog.of(sparse.toBytes());
        assertTrue(converted.toDense());
        for (int r = 0; r < HyperLogLog.REGISTERS; r++) {
            assertEquals(dense.register(r), converted.register(r), "register " + r);
        }
    }

    @Test
    void registerAboveThirtyTwoPromotesToDense() {
        HyperLogLog h = HyperLogLog.create();
        assertEquals(1, h.raise(5, 33, SPARSE_MAX));
        assertTrue(h.isDense());
        assertEquals(33, h.register(5));
        assertEquals(0, h.register(4));
        assertEquals(0, h.register(6));
    }

    @Test
    void sparseGrowthPastTheLimitPromotes() {
        HyperLogLog h = HyperLogLog.create();
        assertEquals(1, h.raise(100, 3, 20)); // XZERO -> XZERO VAL XZERO needs 21 bytes > 20
        assertTrue(h.isDense());
        HyperLogLog k = HyperLogLog.create();
        assertEquals(1, k.raise(100, 3, 21));
        assertFalse(k.isDense());
        assertEquals("Z:100 v:3,1 Z:16283", k.decodeSparse());
    }

    @Test
    void adjacentEqualValuesMergeIntoOneOpcode() {
        HyperLogLog h = HyperLogLog.create();
        h.raise(10, 2, SPARSE_MAX);
        h.raise(11, 2, SPARSE_MAX);
        h.raise(12, 2, SPARSE_MAX);
        assertEquals("z:10 v:2,3 Z:16371", h.decodeSparse());
        assertEquals(0, h.raise(11, 1, SPARSE_MAX));
        h.raise(11, 5, SPARSE_MAX);
        assertEquals("z:10 v:2,1 v:5,1 v:2,1 Z:16371", h.decodeSparse());
    }

    @Test
    void corruptSparseIsDetected() {
        byte[] v = HyperLogLog.create().toBytes();
        byte[] longer = Arrays.copyOf(v, v.length + 1); // a trailing ZERO: 16385 registers
        assertTrue(HyperLogLog.isValid(longer));
        assertEquals(-1, HyperLogLog.of(longer).count());
        assertFalse(HyperLogLog.of(longer).toDense());
        assertFalse(HyperLogLog.of(longer).mergeInto(new byte[HyperLogLog.REGISTERS]));
        byte[] shorter = Arrays.copyOf(v, 17); // a truncated XZERO
        assertEquals(-1, HyperLogLog.of(shorter).count());
    }

    @Test
    void validityChecksOfRedis() {
        assertFalse(HyperLogLog.isValid(b("HYLL")));
        assertFalse(HyperLogLog.isValid(b("HYLX\0\0\0\0\0\0\0\0\0\0\0\0")));
        assertFalse(HyperLogLog.isValid(b("HYLL\2\0\0\0\0\0\0\0\0\0\0\0")));
        assertFalse(HyperLogLog.isValid(b("HYLL\0\0\0\0\0\0\0\0\0\0\0\0"))); // dense of the wrong size
        assertTrue(HyperLogLog.isValid(b("HYLL\1\0\0\0\0\0\0\0\0\0\0\0"))); // sparse: checked when read
    }

    @Test
    void estimatorOfAnEmptyAndAFullHistogram() {
        int[] histo = new int[64];
        histo[0] = HyperLogLog.REGISTERS;
        assertEquals(0, HllEstimator.estimate(histo));
        byte[] raw = new byte[HyperLogLog.REGISTERS];
        Arrays.fill(raw, (byte) 1);
        long allOnes = HyperLogLog.countRaw(raw);
        assertTrue(allOnes > 16384 && allOnes < 30000, "estimate " + allOnes);
    }
}
