package io.cascade.storage.rdb;

/**
 * Redis's CRC64 (crc64.c): the Jones polynomial 0xad93d23594c935a9, reflected input and output, initial value 0
 * and no final xor. It closes DUMP payloads and RDB files. Pure functions; any thread.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        long poly = 0x95ac9329ac4bc9b5L; // the Jones polynomial, bit-reversed for the reflected algorithm
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code len} bytes of {@code b} from {@code off}. */
    public static long update(long crc, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ b[i]) & 0xff)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] b) {
        return update(0, b, 0, b.length);
    }
}
