package io.cascade.storage.rdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Crc64's eight-bytes-at-a-time path against the one-byte-at-a-time definition, and the spec's vectors. */
class Crc64Test {
    private static long reference(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x95ac9329ac4bc9b5L : crc >>> 1;
            }
        }
        return crc;
    }

    @Test
    void vectorsAndRandomSlices() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
        Random r = new Random(7);
        byte[] data = new byte[4096];
        r.nextBytes(data);
        for (int i = 0; i < 2000; i++) {
            int off = r.nextInt(200);
            int len = r.nextInt(data.length - off);
            long seed = r.nextLong();
            assertEquals(reference(seed, data, off, len), Crc64.update(seed, data, off, len), off + "+" + len);
        }
        // split anywhere, the CRC continues
        long whole = Crc64.of(data);
        int cut = 1234;
        assertEquals(whole, Crc64.update(Crc64.update(0, data, 0, cut), data, cut, data.length - cut));
    }
}
