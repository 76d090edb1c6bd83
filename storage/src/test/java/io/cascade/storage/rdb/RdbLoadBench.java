package io.cascade.storage.rdb;

import io.cascade.storage.Databases;
import io.cascade.storage.OffHeapStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Load speed of a synthetic RDB of a million keys (strings, small hashes, small lists): parse only, then into
 * heap and off-heap Databases. Run by hand: mvn -pl storage test -Dtest=RdbLoadBench -Drdb.bench=true.
 */
@EnabledIfSystemProperty(named = "rdb.bench", matches = "true")
class RdbLoadBench {
    private static final int KEYS = 1_000_000;

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
    }

    static byte[] file() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 << 20);
        out.writeBytes("REDIS0010".getBytes(StandardCharsets.US_ASCII));
        out.write(0xfe);
        out.write(0);
        for (int i = 0; i < KEYS; i++) {
            int kind = i % 10;
            out.write(kind == 8 ? 4 : kind == 9 ? 1 : 0);
            str(out, "key:" + i);
            if (kind == 8) {
                out.write(5);
                for (int f = 0; f < 5; f++) {
                    str(out, "field" + f);
                    str(out, "value-" + i);
                }
            } else if (kind == 9) {
                out.write(5);
                for (int e = 0; e < 5; e++) {
                    str(out, "element-" + e);
                }
            } else {
                str(out, "value-value-value-" + i);
            }
        }
        out.write(0xff);
        long crc = Crc64.of(out.toByteArray());
        for (int i = 0; i < 8; i++) {
            out.write((int) (crc >>> (8 * i)));
        }
        return out.toByteArray();
    }

    @Test
    void loadAMillionKeys() throws IOException {
        byte[] f = file();
        System.out.printf("file: %.1f MB, %d keys%n", f.length / 1e6, KEYS);
        for (int round = 0; round < 3; round++) {
            long c0 = System.nanoTime();
            long crc = Crc64.of(f);
            System.out.printf("crc64 alone %d ms (%x)%n", (System.nanoTime() - c0) / 1_000_000, crc & 1);
            long t0 = System.nanoTime();
            long[] n = new long[1];
            new RdbFileReader(new ByteArrayInputStream(f), (db, key, type, value, exp, idle, freq) -> n[0]++).read();
            long t1 = System.nanoTime();
            RdbLoader.load(new ByteArrayInputStream(f), new Databases(16), new RdbLoader.Options());
            long t2 = System.nanoTime();
            Databases off = new Databases(16, i -> new OffHeapStore("bench" + i));
            RdbLoader.load(new ByteArrayInputStream(f), off, new RdbLoader.Options());
            long t3 = System.nanoTime();
            System.out.printf("parse %d ms (%.0f MB/s), heap load %d ms, off-heap load %d ms%n", (t1 - t0) / 1_000_000,
                    f.length / 1e3 / ((t1 - t0) / 1e6), (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
            off.db(0).clear();
        }
    }
}
