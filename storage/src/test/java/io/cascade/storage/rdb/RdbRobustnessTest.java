package io.cascade.storage.rdb;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Corrupt input on every corpus file that loads: (a) truncated at every offset (small files) or at ~200 spread
 * offsets (large ones), which must fail with RdbFormatException; (b) 100 single bit flips per file at seeded
 * random offsets, which must fail with RdbFormatException or load, and must fail when the file has a checksum
 * (a flip in the version digits excepted: "0009" can become "0001", a version without checksum); (c) read
 * through a stream that hands out a few bytes at a time, which must give the same keys as reading at once.
 * No other exception, no OutOfMemoryError, no hang may come out of any of them.
 */
class RdbRobustnessTest {
    private static final int ALL_OFFSETS_UP_TO = 4096;
    private static final int SPREAD_OFFSETS = 200;
    private static final int FLIPS = 100;
    /** Decoder exceptions the reader wrapped into RdbFormatException, by class: reported, for the record. */
    private static final Map<String, Integer> WRAPPED = new TreeMap<>();

    /** A loadable RDB of the corpus: its exact bytes, and whether it carries a checksum. */
    private record Sample(String name, byte[] rdb, boolean checksummed) {
    }

    private static List<Sample> samples() throws IOException {
        List<Sample> out = new ArrayList<>();
        for (String n : RdbCorpus.dataFiles()) {
            JsonNode e = RdbCorpus.expected(n);
            if (!RdbCorpus.expectedOk(e) && !RdbCorpusTest.MODULE_ONLY_FAILURES.contains(n)) {
                continue;
            }
            byte[] all = RdbCorpus.rdb(n).bytes();
            Collected c = new Collected();
            RdbFileReader r = new RdbFileReader(RdbInput.of(all, 0, all.length), c);
            r.read();
            byte[] rdb = Arrays.copyOf(all, (int) r.bytesConsumed());
            out.add(new Sample(n, rdb, c.version >= 5 && c.checksum != 0));
        }
        return out;
    }

    /** Reads; true when it loaded, false on RdbFormatException; anything else fails the test. */
    private static boolean loads(String what, InputStream in) {
        try {
            // a small buffer: cheap to create thousands of times, and every refill boundary gets crossed
            new RdbFileReader(RdbInput.of(in, 256), new Collected()).read();
            return true;
        } catch (RdbFormatException e) {
            if (e.getMessage().startsWith("Bad data format")) {
                WRAPPED.merge(e.getMessage().replaceAll("^Bad data format(?: at offset \\d+)?: ([^:( ]+).*$", "$1"), 1, Integer::sum);
            }
            return false;
        } catch (Throwable t) {
            throw new AssertionError(what + ": " + t, t);
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(180)
    void truncationsFlipsAndSplitReads() throws IOException {
        long t0 = System.nanoTime();
        List<Sample> samples = samples();
        long truncations = 0;
        long flips = 0;
        long flipsLoaded = 0;
        Random random = new Random(20260601);
        for (Sample s : samples) {
            byte[] b = s.rdb;
            for (int cut : cuts(b.length)) {
                truncations++;
                if (loads(s.name + " cut at " + cut, new ByteArrayInputStream(b, 0, cut))) {
                    fail(s.name + " truncated to " + cut + " of " + b.length + " bytes loaded");
                }
            }
            for (int i = 0; i < FLIPS; i++) {
                int at = random.nextInt(b.length);
                int bit = random.nextInt(8);
                byte[] f = b.clone();
                f[at] ^= (byte) (1 << bit);
                flips++;
                boolean ok = loads(s.name + " flip at " + at + " bit " + bit, new ByteArrayInputStream(f));
                if (ok) {
                    flipsLoaded++;
                    boolean inVersion = at >= 5 && at < 9;
                    assertTrue(!s.checksummed || inVersion, s.name + ": a flip at " + at + " bit " + bit
                            + " loaded although the file has a checksum");
                }
            }
            Collected whole = new Collected();
            Collected split = new Collected();
            new RdbFileReader(RdbInput.of(b, 0, b.length), whole).read();
            new RdbFileReader(new Trickle(b, random.nextLong()), split).read();
            assertEquals(whole.keys.size(), split.keys.size(), s.name);
            for (int i = 0; i < whole.keys.size(); i++) {
                assertEquals(RdbRender.value(whole.keys.get(i).value(), whole.keys.get(i).fieldTtls()),
                        RdbRender.value(split.keys.get(i).value(), split.keys.get(i).fieldTtls()), s.name);
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("RDB robustness: %d files, %d truncations, %d bit flips (%d loaded), %d ms; wrapped %s%n",
                samples.size(), truncations, flips, flipsLoaded, ms, WRAPPED);
        assertTrue(samples.size() > 100, "corpus files");
    }

    /** Every prefix of a small file; about SPREAD_OFFSETS spread ones (and both ends) of a large one. */
    private static int[] cuts(int len) {
        if (len <= ALL_OFFSETS_UP_TO) {
            int[] all = new int[len];
            for (int i = 0; i < len; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            c.add(i);
            c.add(len - 1 - i);
        }
        for (int i = 0; i < SPREAD_OFFSETS - 40; i++) {
            c.add((int) ((long) len * i / (SPREAD_OFFSETS - 40)));
        }
        return c.stream().distinct().mapToInt(Integer::intValue).toArray();
    }

    /** A stream that returns 1 to 17 bytes per read, so every refill boundary is crossed. */
    private static final class Trickle extends InputStream {
        private final byte[] b;
        private final Random random;
        private int pos;

        Trickle(byte[] b, long seed) {
            this.b = b;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            if (pos >= b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(17)), b.length - pos);
            System.arraycopy(b, pos, dst, off, n);
            pos += n;
            return n;
        }
    }
}
